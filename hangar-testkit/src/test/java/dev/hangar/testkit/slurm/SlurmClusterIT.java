package dev.hangar.testkit.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.testkit.process.HostProcesses;
import dev.hangar.testkit.time.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture the Slurm backend and the bench stand on: a real cluster that runs, cancels, fails and goes away. */
class SlurmClusterIT {
    @TempDir
    Path directory;

    @Test
    void aClusterRunsCancelsAndFailsJobsThenLeavesNothingRunning() throws Exception {
        var daemons = new ArrayList<ProcessHandle>();
        try (var cluster = SlurmCluster.start(directory)) {
            for (var pidFile : List.of("slurmd.pid", "slurmctld.pid", "munge-private/munged.pid")) {
                ProcessHandle.of(Long.parseLong(Files.readString(directory.resolve(pidFile)).strip()))
                        .ifPresent(daemons::add);
            }
            assertThat(daemons).hasSize(3).allMatch(HostProcesses::isRunning);

            var out = directory.resolve("job-%j.out");
            var ran = cluster.slurm("sbatch", "--parsable", "-o", out.toString(), "--wrap",
                    "echo hello from $SLURM_JOB_ID").requireSuccess().output().strip();
            var failed = cluster.slurm("sbatch", "--parsable", "-o", "/dev/null", "--wrap", "exit 3")
                    .requireSuccess().output().strip();
            var sleeping = cluster.slurm("sbatch", "--parsable", "-o", "/dev/null", "--wrap", "sleep 300")
                    .requireSuccess().output().strip();
            Awaitility.await().atMost(Waits.SCHEDULER_STEP).until(() -> cluster.slurm("squeue", "-h", "-j",
                    sleeping, "-o", "%T").output().strip().equals("RUNNING"));
            cluster.slurm("scancel", sleeping).requireSuccess();
            Awaitility.await().atMost(Waits.SCHEDULER_STEP).until(() -> cluster.slurm("squeue", "-h").output()
                    .isBlank());

            assertThat(Files.readString(directory.resolve("job-" + ran + ".out"))).isEqualTo("hello from " + ran
                    + "\n");
            var states = cluster.slurm("sacct", "-c", "-n", "-P", "--format=JobID,State,ExitCode").requireSuccess()
                    .output();
            assertThat(states).contains(ran + "|COMPLETED|0:0", failed + "|FAILED|3:0", sleeping + "|CANCELLED");
        }
        assertThat(daemons).noneMatch(HostProcesses::isRunning);
    }
}
