package dev.hangar.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.archive.Tarballs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shell that wraps a job's command, run by bash and by dash as a backend runs it: {@code $SHELL -c line}. */
class JobWrapperTest {
    @TempDir
    Path home;

    record Run(String output, byte[] channel, int exit) {
        String exitLine() {
            var end = 0;
            while (end < channel.length && channel[end] != '\n') {
                end++;
            }
            return new String(channel, 0, end, StandardCharsets.UTF_8);
        }

        byte[] outputs() {
            var start = exitLine().length() + 1;
            return start >= channel.length ? new byte[0] : Arrays.copyOfRange(channel, start, channel.length);
        }
    }

    private Run run(String shell, String command) throws Exception {
        var job = new Job(UUID.randomUUID(), UUID.randomUUID(), "wrapped", null, UUID.randomUUID(), "ci",
                TargetKind.Instance, command,
                Map.of("GREETING", "hi"), 1, 1, null, null, Job.MEDIUM, JobStatus.Starting, null, null, null, Instant.EPOCH,
                null, null, 1);
        var builder = new ProcessBuilder(shell, "-c", JobWrapper.line(job, true)).directory(home.toFile());
        builder.environment().clear();
        builder.environment().put("HOME", home.toString());
        builder.environment().put("PATH", "/usr/bin:/bin");
        builder.environment().putAll(JobWrapper.environment(job));
        var process = builder.start();
        var channel = new byte[0];
        var output = new String[1];
        var reader = Thread.ofVirtual().start(() -> {
            try {
                output[0] = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                output[0] = e.toString();
            }
        });
        channel = process.getErrorStream().readAllBytes();
        reader.join();
        return new Run(output[0], channel, process.waitFor());
    }

    @Test
    void theCommandsOutputAndErrorsAreTheLogAndTheChannelCarriesTheExitAndTheOutputs() throws Exception {
        for (var shell : new String[] {"/bin/bash", "/bin/sh"}) {
            var run = run(shell, "echo \"$GREETING from $(basename \"$PWD\")\"; echo oops >&2; "
                    + "echo 0.9 > outputs/score; mkdir outputs/model; echo w > outputs/model/weights; exit 3");
            assertThat(run.exit()).as(shell).isEqualTo(3);
            assertThat(run.output()).as(shell).isEqualTo("hi from wrapped\noops\n");
            assertThat(run.exitLine()).as(shell).isEqualTo("hangar-exit 3");
            var listing = Tarballs.normalize(new ByteArrayInputStream(run.outputs()),
                    java.io.OutputStream.nullOutputStream(), Tarballs.OUTPUT_LIMITS, Tarballs.Others.SKIP);
            assertThat(listing.entries()).as(shell).extracting(Tarballs.Entry::path)
                    .containsExactly("outputs/model/weights", "outputs/score");
            Files.walk(home.resolve("jobs")).sorted(java.util.Comparator.reverseOrder()).forEach(path ->
                    path.toFile().delete());
        }
    }

    @Test
    void aCommandWithoutOutputsSendsOnlyItsExitAndItsTextIsNeverParsedByTheWrapper() throws Exception {
        var run = run("/bin/bash", "set -e; printf '%s\\n' \"it's \\\"quoted\\\" $(echo ok)\"; false; echo never");
        assertThat(run.output()).isEqualTo("it's \"quoted\" ok\n");
        assertThat(run.exitLine()).isEqualTo("hangar-exit 1");
        assertThat(run.outputs()).isEmpty();
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run("/bin/bash", "env | grep -c HANGAR_JOB_COMMAND || true").output()).isEqualTo("0\n");
    }
}
