package dev.hangar.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.spi.engine.EngineJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The script of a one-node job runs with bash alone, as Slurm's batch step would run it (without Slurm). */
class BatchScriptTest {
    @TempDir
    Path folder;

    @Test
    void theCommandSeesItsVariablesAndTheScriptLeavesTheExitStatusAndOutputs() throws Exception {
        var value = "it's $HOME `id`\nsecond line";
        var exit = run(job("printf %s \"$GREETING\" > outputs/greeting.txt; echo done; exit 7",
                Map.of("GREETING", value)));

        assertThat(exit).isEqualTo(7);
        assertThat(Files.readString(folder.resolve("exit_code")).strip()).isEqualTo("7");
        assertThat(Files.readString(folder.resolve("log.txt"))).isEqualTo("done\n");
        var listing = new ProcessBuilder("tar", "-xzOf", folder.resolve("outputs.tar.gz").toString(),
                "outputs/greeting.txt").start();
        assertThat(new String(listing.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(value);
        try (var files = Files.list(folder)) {
            assertThat(files.map(file -> file.getFileName().toString())).doesNotContain("exit_code.part",
                    "outputs.tar.gz.part");
        }
    }

    @Test
    void noOutputsMeansNoArchive() throws Exception {
        var exit = run(job("rmdir outputs; true", Map.of()));

        assertThat(exit).isZero();
        assertThat(folder.resolve("outputs.tar.gz")).doesNotExist();
        assertThat(Files.readString(folder.resolve("exit_code")).strip()).isEqualTo("0");
    }

    @Test
    void aSeveralNodeJobRunsItsCommandOncePerNodeThroughSrun() {
        var script = BatchScript.of(new EngineJob(UUID.randomUUID(), "train", "tag", "python train.py", Map.of(),
                null, 2, 3, null), "/shared/jobs/x");

        assertThat(script).contains("export MASTER_PORT=29500 WORLD_SIZE=3 AZUREML_NODE_COUNT=3 LOCAL_RANK=0",
                "srun --export=ALL --ntasks=3 --ntasks-per-node=1 bash -c",
                "RANK=\"$SLURM_PROCID\"", "'python train.py'");
    }

    @Test
    void aNameAShellCannotExportIsRefused() {
        var failure = catchThrowableOfType(EngineException.class, () -> BatchScript.export("A-B", "x"));

        assertThat(failure.code()).isEqualTo("SlurmSubmitFailed");
    }

    private EngineJob job(String command, Map<String, String> environment) {
        return new EngineJob(UUID.randomUUID(), "job", "tag", command, environment, null, 1, 1, null);
    }

    /** Runs the script in {@code <folder>/code}, its output to log.txt, as sbatch --chdir and --output would. */
    private int run(EngineJob job) throws IOException, InterruptedException {
        Files.createDirectories(folder.resolve("code/outputs"));
        var script = folder.resolve("job.sh");
        Files.writeString(script, BatchScript.of(job, folder.toString()));
        var process = new ProcessBuilder(List.of("bash", script.toString())).directory(folder.resolve("code").toFile())
                .redirectErrorStream(true).redirectOutput(folder.resolve("log.txt").toFile()).start();
        return process.waitFor();
    }
}
