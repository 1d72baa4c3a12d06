package dev.hangar.testkit.slurm;

import dev.hangar.testkit.process.CommandResult;
import dev.hangar.testkit.process.Commands;
import dev.hangar.testkit.process.HostProcesses;
import dev.hangar.testkit.process.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real single-node Slurm cluster of Debian's packages (slurm-wlm, munge), made in a folder of its own and started
 * by hand as there is no init system: a private {@code munged} (its own socket, the packaged key), {@code slurmctld}
 * and {@code slurmd}, on free loopback ports, with a generated {@code slurm.conf} that every Slurm command finds
 * through {@code SLURM_CONF}. The node oversubscribes its cores ten times and the scheduler runs without its batch
 * delay, as a test cluster on two cores should (see the machine notes). {@link #close()} ends the three daemons by
 * the PIDs they wrote, and nothing else.
 */
public final class SlurmCluster implements AutoCloseable {
    /** What to install when a program is missing. */
    public static final String INSTALL_HINT = "apt-get install -y --no-install-recommends slurm-wlm munge";
    private static final Path MUNGED = Path.of("/usr/sbin/munged");
    private static final Path SLURMCTLD = Path.of("/usr/sbin/slurmctld");
    private static final Path SLURMD = Path.of("/usr/sbin/slurmd");
    private static final Duration READY = Duration.ofSeconds(30);

    private final Path directory;
    private final Path conf;
    private final String node;

    private SlurmCluster(Path directory, Path conf, String node) {
        this.directory = directory;
        this.conf = conf;
        this.node = node;
    }

    /** Whether Debian's Slurm and munge are installed here. */
    public static boolean installed() {
        return Files.isExecutable(MUNGED) && Files.isExecutable(SLURMCTLD) && Files.isExecutable(SLURMD)
                && Files.isExecutable(Path.of("/usr/bin/sbatch"));
    }

    /** Starts a cluster in {@code directory} (made when missing) and waits until its node is idle. */
    public static SlurmCluster start(Path directory) {
        if (!installed()) {
            throw new IllegalStateException("Slurm is not installed. Install it with: " + INSTALL_HINT);
        }
        try {
            Files.createDirectories(directory);
            // munged runs as its own user and must reach its socket through every folder above it.
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (var folder : List.of("state", "spool", "log")) {
                Files.createDirectories(directory.resolve(folder));
            }
            var socketFolder = Files.createDirectories(directory.resolve("munge"));
            var privateFolder = Files.createDirectories(directory.resolve("munge-private"));
            Files.setPosixFilePermissions(socketFolder, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(privateFolder, PosixFilePermissions.fromString("rwx------"));
            Commands.run(List.of("chown", "munge:munge", socketFolder.toString(), privateFolder.toString()),
                    Map.of()).requireSuccess();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make the Slurm folder " + directory, e);
        }
        var node = Commands.run(List.of("hostname", "-s"), Map.of()).requireSuccess().output().strip();
        var conf = directory.resolve("slurm.conf");
        var cluster = new SlurmCluster(directory, conf, node);
        try {
            Commands.run(List.of("runuser", "-u", "munge", "--", MUNGED.toString(),
                    "--socket=" + cluster.mungeSocket(),
                    "--pid-file=" + directory.resolve("munge-private/munged.pid"),
                    "--log-file=" + directory.resolve("munge-private/munged.log"),
                    "--seed-file=" + directory.resolve("munge-private/munged.seed")), Map.of()).requireSuccess();
            Files.writeString(conf, cluster.configuration(Ports.freeLoopback(), Ports.freeLoopback()));
            cluster.daemon(SLURMCTLD);
            cluster.await("slurmctld answers", () -> cluster.slurm("scontrol", "ping").output().contains("UP"));
            cluster.daemon(SLURMD);
            cluster.await("the node is idle", () -> cluster.slurm("sinfo", "-h", "-o", "%T").output().strip()
                    .equals("idle"));
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** The variables every Slurm command needs to find this cluster. */
    public Map<String, String> environment() {
        return Map.of("SLURM_CONF", conf.toString());
    }

    public Path conf() {
        return conf;
    }

    /** The folder the cluster keeps its state, logs and configuration in. */
    public Path directory() {
        return directory;
    }

    /** The node's name (this host's short name). */
    public String node() {
        return node;
    }

    /** Runs a Slurm command ({@code sbatch}, {@code squeue}, ...) against this cluster to its end. */
    public CommandResult slurm(String program, String... arguments) {
        var command = new ArrayList<String>();
        command.add(program);
        command.addAll(List.of(arguments));
        return Commands.run(command, environment());
    }

    private Path mungeSocket() {
        return directory.resolve("munge/munge.socket");
    }

    private String configuration(int controllerPort, int nodePort) {
        var cpus = Runtime.getRuntime().availableProcessors();
        var memoryMiB = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize() / (1L << 20) - 1024;
        return String.join("\n",
                "ClusterName=hangar-test",
                "SlurmctldHost=" + node + "(127.0.0.1)",
                "AuthType=auth/munge",
                "AuthInfo=socket=" + mungeSocket(),
                "CredType=cred/munge",
                "SlurmUser=root",
                "SlurmctldPort=" + controllerPort,
                "SlurmdPort=" + nodePort,
                "StateSaveLocation=" + directory.resolve("state"),
                "SlurmdSpoolDir=" + directory.resolve("spool"),
                "SlurmctldPidFile=" + directory.resolve("slurmctld.pid"),
                "SlurmdPidFile=" + directory.resolve("slurmd.pid"),
                "SlurmctldLogFile=" + directory.resolve("log/slurmctld.log"),
                "SlurmdLogFile=" + directory.resolve("log/slurmd.log"),
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "JobAcctGatherType=jobacct_gather/none",
                "AccountingStorageType=accounting_storage/none",
                "JobCompType=jobcomp/filetxt",
                "JobCompLoc=" + directory.resolve("log/jobcomp.txt"),
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_Core_Memory",
                "DefMemPerCPU=256",
                "MpiDefault=none",
                "ReturnToService=2",
                "MinJobAge=300",
                "SchedulerType=sched/backfill",
                "SchedulerParameters=batch_sched_delay=0",
                "NodeName=" + node + " NodeAddr=127.0.0.1 CPUs=" + cpus + " RealMemory=" + memoryMiB
                        + " State=UNKNOWN",
                "PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:10",
                "");
    }

    /** Starts a Slurm daemon, which detaches and writes its PID file. */
    private void daemon(Path program) {
        Commands.run(List.of(program.toString(), "-f", conf.toString()), environment()).requireSuccess();
    }

    private void await(String what, Callable<Boolean> ready) {
        Awaitility.await("Slurm to come up (" + what + "); see " + directory.resolve("log")).atMost(READY)
                .pollInterval(Duration.ofMillis(100)).until(ready);
    }

    /** Ends slurmd, slurmctld and munged by the PIDs they wrote, and waits until they are gone. */
    @Override
    public void close() {
        for (var pidFile : List.of("slurmd.pid", "slurmctld.pid", "munge-private/munged.pid")) {
            pid(directory.resolve(pidFile)).flatMap(ProcessHandle::of).ifPresent(daemon -> {
                daemon.destroy();
                try {
                    // isRunning, not isAlive: orphaned daemons stay zombies where nothing reaps them.
                    Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                            .until(() -> !HostProcesses.isRunning(daemon));
                } catch (ConditionTimeoutException e) {
                    // slurmd ignores SIGTERM while it cannot reach slurmctld.
                    HostProcesses.kill(List.of(daemon), Duration.ofSeconds(10));
                }
            });
        }
    }

    private static Optional<Long> pid(Path file) {
        try {
            return Files.exists(file) ? Optional.of(Long.parseLong(Files.readString(file).strip()))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

}
