package dev.hangar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Output cut anywhere is printed without a broken character: the cut moves back to the last whole one. */
class Utf8Test {
    @ParameterizedTest
    @ValueSource(strings = {"plain", "é", "a€b", "𝄞 clef", "日本語"})
    void aCutNeverSplitsACharacter(String text) {
        var bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= bytes.length; cut++) {
            var piece = Arrays.copyOf(bytes, cut);
            var whole = Utf8.completeLength(piece);
            assertThat(text).startsWith(new String(piece, 0, whole, StandardCharsets.UTF_8));
            assertThat(cut - whole).isBetween(0, 3);
            assertThat(new String(piece, 0, whole, StandardCharsets.UTF_8)).doesNotContain("\uFFFD");
        }
        assertThat(Utf8.completeLength(bytes)).isEqualTo(bytes.length);
    }
}
