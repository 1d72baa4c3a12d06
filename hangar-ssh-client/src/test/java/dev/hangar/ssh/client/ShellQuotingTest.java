package dev.hangar.ssh.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Quoted text goes through a real shell unchanged, whatever it holds. */
class ShellQuotingTest {

    @ParameterizedTest
    @ValueSource(strings = {"plain", "two words", "it's", "'''", "$HOME and ${PATH}", "`id`", "$(id)", "a\nb\n",
            "tab\there", "back\\slash", "\"double\"", "*", "semi;colon && | >file", "", "-n", "ünïcødé"})
    void anArgumentReachesTheCommandAsWritten(String value) throws Exception {
        var line = ShellQuoting.commandLine(List.of("printf", "%s", value));

        assertThat(sh(line)).isEqualTo(value);
    }

    private static String sh(String script) throws IOException, InterruptedException {
        var process = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }
}
