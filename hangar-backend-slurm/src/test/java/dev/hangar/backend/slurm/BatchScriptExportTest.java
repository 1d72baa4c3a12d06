package dev.hangar.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A job's variable, exported by its batch script, reaches a real shell as it was given. */
class BatchScriptExportTest {

    @ParameterizedTest
    @ValueSource(strings = {"plain", "it's 'quoted'", "$HOME `id` $(id)", "line one\nline two", "a\\nb", ""})
    void anExportedVariableHoldsItsValue(String value) throws Exception {
        var script = BatchScript.export("HANGAR_TEST_VALUE", value) + "\nprintf %s \"$HANGAR_TEST_VALUE\"";

        assertThat(sh(script)).isEqualTo(value);
    }

    private static String sh(String script) throws IOException, InterruptedException {
        var process = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }
}
