package dev.hangar.core.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hangar.core.error.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FilePathTest {
    @Test
    void aPathIsItsNamesFromTheRootWithOrWithoutSlashesAtItsEnds() {
        assertThat(FilePath.of("Users/alice/notes.txt").segments()).containsExactly("Users", "alice", "notes.txt");
        assertThat(FilePath.of("/Users/alice/")).isEqualTo(FilePath.of("Users/alice"));
        assertThat(FilePath.of("/Users/alice/").toString()).isEqualTo("Users/alice");
        assertThat(FilePath.of("").isRoot()).isTrue();
        assertThat(FilePath.of("/").isRoot()).isTrue();
        assertThat(FilePath.of(null).isRoot()).isTrue();
        assertThat(FilePath.of("a/résumé v1.txt").name()).isEqualTo("résumé v1.txt");
        assertThat(FilePath.of("Users/alice/x").within(FilePath.of("Users/alice"))).isTrue();
        assertThat(FilePath.of("Users/alice2/x").within(FilePath.of("Users/alice"))).isFalse();
        assertThat(FilePath.of("Users").within(FilePath.of("Users/alice"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../x", "Users/../..", "a/./b", "a//b", "a\\b", "a/b\u0000c", "a/\nb"})
    void whatCouldLeaveTheShareOrIsNotPlainlyWrittenIsRefused(String text) {
        assertThatThrownBy(() -> FilePath.of(text)).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo("InvalidFilePath"));
    }

    @Test
    void overlongNamesAndPathsAreRefused() {
        assertThatThrownBy(() -> FilePath.of("a/" + "n".repeat(256))).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> FilePath.of("a/".repeat(600))).isInstanceOf(ApiException.class);
        assertThat(FilePath.of("a/" + "n".repeat(255)).name()).hasSize(255);
    }
}
