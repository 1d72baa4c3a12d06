package dev.hangar.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IgnoreFileTest {
    @TempDir
    Path folder;

    @Test
    void gitignorePatternsLeaveOutWhatTheySay() {
        var ignore = IgnoreFile.parse(List.of("# data stays home", "data/", "*.ckpt", "/build", "!keep.ckpt",
                "logs/**/*.txt", "**/__pycache__", "cache?.bin", "[Tt]mp", "", "trailing   "), ".gitignore");
        assertThat(ignore.test("data/")).isTrue();
        assertThat(ignore.test("sub/data/")).as("unanchored: at any depth").isTrue();
        assertThat(ignore.test("data")).as("folders only").isFalse();
        assertThat(ignore.test("model.ckpt")).isTrue();
        assertThat(ignore.test("deep/model.ckpt")).isTrue();
        assertThat(ignore.test("keep.ckpt")).as("taken back").isFalse();
        assertThat(ignore.test("build/")).isTrue();
        assertThat(ignore.test("src/build/")).as("anchored at the folder").isFalse();
        assertThat(ignore.test("logs/a/b/run.txt")).isTrue();
        assertThat(ignore.test("logs/run.txt")).isTrue();
        assertThat(ignore.test("pkg/__pycache__/")).isTrue();
        assertThat(ignore.test("cache1.bin")).isTrue();
        assertThat(ignore.test("cache12.bin")).isFalse();
        assertThat(ignore.test("Tmp")).isTrue();
        assertThat(ignore.test("trailing")).isTrue();
        assertThat(ignore.test("train.py")).isFalse();
    }

    @Test
    void amlignoreWinsOverGitignoreAndScanningHonoursIt() throws IOException {
        Files.writeString(folder.resolve(".gitignore"), "*.py\n");
        Files.writeString(folder.resolve(".amlignore"), "data/\n.git/\n");
        Files.createDirectories(folder.resolve("data"));
        Files.writeString(folder.resolve("data/big.bin"), "x".repeat(1000));
        Files.writeString(folder.resolve("train.py"), "print(1)\n");
        var ignore = IgnoreFile.of(folder);
        assertThat(ignore.source()).isEqualTo(".amlignore");
        var listing = Tarballs.scan(folder, ignore, new Tarballs.Limits(100, 10));
        assertThat(listing.entries()).extracting(Tarballs.Entry::path)
                .containsExactly(".amlignore", ".gitignore", "train.py");
        assertThat(IgnoreFile.of(folder.resolve("data")).test("anything")).isFalse();
    }
}
