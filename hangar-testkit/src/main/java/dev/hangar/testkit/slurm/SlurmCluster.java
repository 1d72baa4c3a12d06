package dev.hangar.testkit.slurm;

import dev.hangar.testkit.process.CommandResult;
import dev.hangar.testkit.process.Commands;
import dev.hangar.testkit.process.HostProcesses;
import dev.hangar.testkit.process.Ports;
import dev.hangar.testkit.time.Waits;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real single-node Slurm cluster of Debian's packages (slurm-wlm, munge), made in a folder of its own and started
 * by hand as there is no init system: a private {@code munged} (its own socket, the packaged key), {@code slurmctld}
 * and {@code slurmd}, on free loopback ports, with a generated {@code slurm.conf} that every Slurm command finds
 * through {@code SLURM_CONF}. The node oversubscribes its cores ten times and the scheduler runs without its batch
 * delay, as a test cluster on two cores should (see the machine notes). {@link #close()} ends the three daemons by
 * the PIDs they wrote, and nothing else.
 *
 * <p>With REST ({@link #start(Path, boolean)}), slurmctld also takes JWTs signed with a key of the cluster's folder
 * ({@code AuthAltTypes=auth/jwt}), and {@code slurmrestd} (OpenAPI plugin v0.0.38, JWT authentication) listens on a
 * free loopback port as the user {@code nobody}, which therefore must be able to read slurm.conf: every folder above
 * the cluster's must be traversable by all. {@link #token} makes tokens for it; {@link #close()} ends it first.
 */
public final class SlurmCluster implements AutoCloseable {
    /** What to install when a program is missing. */
    public static final String INSTALL_HINT = "apt-get install -y --no-install-recommends slurm-wlm munge"
            + " (and slurmrestd slurm-wlm-jwt-plugin for the REST mode)";
    private static final Path MUNGED = Path.of("/usr/sbin/munged");
    private static final Path SLURMCTLD = Path.of("/usr/sbin/slurmctld");
    private static final Path SLURMD = Path.of("/usr/sbin/slurmd");
    private static final Path SLURMRESTD = Path.of("/usr/sbin/slurmrestd");
    /** Where Debian's slurm-wlm-jwt-plugin puts the plugin, by architecture, and where other builds put it. */
    private static final List<Path> PLUGIN_FOLDERS = List.of(Path.of("/usr/lib"), Path.of("/usr/lib64"));
    private static final String JWT_PLUGIN = "auth_jwt.so";
    /** The OpenAPI plugin slurmrestd serves: Slurm 22.05's newest. */
    private static final String REST_PLUGIN = "v0.0.38";
    private static final String REST_USER = "nobody";
    private static final Duration READY = Waits.DAEMON_START;

    private final Path directory;
    private final Path conf;
    private final String node;
    private final boolean withRest;
    private volatile Process restDaemon;
    private volatile int restPort;

    private SlurmCluster(Path directory, Path conf, String node, boolean withRest) {
        this.directory = directory;
        this.conf = conf;
        this.node = node;
        this.withRest = withRest;
    }

    /** Whether Debian's Slurm and munge are installed here. */
    public static boolean installed() {
        return Files.isExecutable(MUNGED) && Files.isExecutable(SLURMCTLD) && Files.isExecutable(SLURMD)
                && Files.isExecutable(Path.of("/usr/bin/sbatch"));
    }

    /** Whether slurmrestd and Slurm's JWT plugin are installed here too, as the REST mode needs. */
    public static boolean restInstalled() {
        return installed() && Files.isExecutable(SLURMRESTD) && jwtPlugin().isPresent();
    }

    /** Starts a cluster in {@code directory} (made when missing) and waits until its node is idle. */
    public static SlurmCluster start(Path directory) {
        return start(directory, false);
    }

    /**
     * Starts a cluster in {@code directory} (made when missing) and waits until its node is idle; {@code withRest},
     * also slurmrestd, and waits until it answers.
     */
    public static SlurmCluster start(Path directory, boolean withRest) {
        if (!installed()) {
            throw new IllegalStateException("Slurm is not installed. Install it with: " + INSTALL_HINT);
        }
        if (withRest && !restInstalled()) {
            throw new IllegalStateException("slurmrestd or Slurm's JWT plugin (" + JWT_PLUGIN + ") is not installed."
                    + " Install them with: apt-get install -y --no-install-recommends slurmrestd slurm-wlm-jwt-plugin");
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
        var cluster = new SlurmCluster(directory, conf, node, withRest);
        try {
            Commands.run(List.of("runuser", "-u", "munge", "--", MUNGED.toString(),
                    "--socket=" + cluster.mungeSocket(),
                    "--pid-file=" + directory.resolve("munge-private/munged.pid"),
                    "--log-file=" + directory.resolve("munge-private/munged.log"),
                    "--seed-file=" + directory.resolve("munge-private/munged.seed")), Map.of()).requireSuccess();
            if (withRest) {
                cluster.writeJwtKey();
            }
            Files.writeString(conf, cluster.configuration(Ports.freeLoopback(), Ports.freeLoopback()));
            cluster.daemon(SLURMCTLD);
            cluster.await("slurmctld answers", () -> cluster.slurm("scontrol", "ping").output().contains("UP"));
            cluster.daemon(SLURMD);
            cluster.await("the node is idle", () -> cluster.slurm("sinfo", "-h", "-o", "%T").output().strip()
                    .equals("idle"));
            if (withRest) {
                cluster.startRest();
            }
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

    /** Where slurmrestd listens: {@code http://127.0.0.1:<port>}. */
    public String restUrl() {
        requireRest();
        return "http://127.0.0.1:" + restPort;
    }

    /**
     * A JWT for {@code user} that slurmctld accepts for {@code lifespan}, from {@code scontrol token} (as root, which
     * may make one for any user); slurmrestd takes it in {@code X-SLURM-USER-TOKEN}.
     */
    public String token(String user, Duration lifespan) {
        requireRest();
        var printed = slurm("scontrol", "token", "username=" + user, "lifespan=" + lifespan.toSeconds())
                .requireSuccess().output();
        return printed.lines().map(String::strip).filter(line -> line.startsWith("SLURM_JWT=")).findFirst()
                .map(line -> line.substring("SLURM_JWT=".length()))
                .orElseThrow(() -> new IllegalStateException("scontrol token printed no SLURM_JWT: " + printed));
    }

    private void requireRest() {
        if (!withRest) {
            throw new IllegalStateException("This cluster was started without REST; use start(directory, true)");
        }
    }

    private static Optional<Path> jwtPlugin() {
        return PLUGIN_FOLDERS.stream().filter(Files::isDirectory).flatMap(SlurmCluster::pluginFolders)
                .map(folder -> folder.resolve(JWT_PLUGIN)).filter(Files::isRegularFile).findFirst();
    }

    /** {@code <lib>/slurm-wlm}, {@code <lib>/slurm} and the same under each architecture's folder of {@code lib}. */
    private static Stream<Path> pluginFolders(Path lib) {
        var folders = new ArrayList<Path>(List.of(lib.resolve("slurm-wlm"), lib.resolve("slurm")));
        try (var children = Files.list(lib)) {
            children.filter(Files::isDirectory).forEach(child -> {
                folders.add(child.resolve("slurm-wlm"));
                folders.add(child.resolve("slurm"));
            });
        } catch (IOException e) {
            // An unreadable lib folder holds no plugin we could load either.
        }
        return folders.stream();
    }

    private Path jwtKey() {
        return directory.resolve("jwt_hs256.key");
    }

    /** The key slurmctld checks tokens with: 32 random bytes, readable by root alone (SlurmUser). */
    private void writeJwtKey() throws IOException {
        var key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.deleteIfExists(jwtKey());
        Files.createFile(jwtKey(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(jwtKey(), key);
    }

    /**
     * Starts slurmrestd as {@code nobody} (it refuses to run as root) with {@code SLURM_JWT=daemon}, without which it
     * rejects every token, and waits until it answers HTTP at all.
     */
    private void startRest() throws IOException {
        var readable = Commands.run(List.of("runuser", "-u", REST_USER, "--", "test", "-r", conf.toString()),
                Map.of());
        if (!readable.succeeded()) {
            throw new IllegalStateException(REST_USER + " cannot read " + conf + ", which slurmrestd runs as: every"
                    + " folder above " + directory + " must be traversable by all");
        }
        restPort = Ports.freeLoopback();
        var log = directory.resolve("log/slurmrestd.log");
        restDaemon = new ProcessBuilder("setsid", "runuser", "-u", REST_USER, "--", "env", "SLURM_CONF=" + conf,
                "SLURM_JWT=daemon", SLURMRESTD.toString(), "-f", conf.toString(), "-a", "rest_auth/jwt", "-s",
                "openapi/" + REST_PLUGIN, "127.0.0.1:" + restPort)
                .redirectInput(new File("/dev/null")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        var ping = URI.create(restUrl() + "/slurm/" + REST_PLUGIN + "/ping");
        // HTTP/1.1: slurmrestd does not answer an offer to upgrade to HTTP/2.
        try (var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(1)).build()) {
            await("slurmrestd answers", () -> {
                if (!restDaemon.isAlive()) {
                    throw new IllegalStateException("slurmrestd ended with " + restDaemon.exitValue() + ": "
                            + Files.readString(log));
                }
                try {
                    // Any status will do (401 without a token): it listens.
                    http.send(HttpRequest.newBuilder(ping).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    /** Ends slurmrestd (runuser's child) by its PID, then runuser, which ends with it. */
    private void stopRest() {
        var launcher = restDaemon;
        if (launcher == null) {
            return;
        }
        var daemons = new ArrayList<>(launcher.descendants().toList());
        daemons.add(launcher.toHandle());
        for (var daemon : daemons) {
            daemon.destroy();
            try {
                Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                        .until(() -> !HostProcesses.isRunning(daemon));
            } catch (ConditionTimeoutException e) {
                HostProcesses.kill(List.of(daemon), Duration.ofSeconds(10));
            }
        }
        restDaemon = null;
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
                withRest ? "AuthAltTypes=auth/jwt\nAuthAltParameters=jwt_key=" + jwtKey() + "\n" : "");
    }

    /** Starts a Slurm daemon, which detaches and writes its PID file. */
    private void daemon(Path program) {
        Commands.run(List.of(program.toString(), "-f", conf.toString()), environment()).requireSuccess();
    }

    private void await(String what, Callable<Boolean> ready) {
        Awaitility.await("Slurm to come up (" + what + "); see " + directory.resolve("log")).atMost(READY)
                .pollInterval(Duration.ofMillis(100)).until(ready);
    }

    /** Ends slurmrestd, then slurmd, slurmctld and munged by the PIDs they wrote, and waits until they are gone. */
    @Override
    public void close() {
        stopRest();
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
