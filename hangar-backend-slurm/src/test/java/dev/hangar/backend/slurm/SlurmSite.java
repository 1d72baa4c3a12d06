package dev.hangar.backend.slurm;

import dev.hangar.testkit.process.Commands;
import dev.hangar.testkit.process.HostAccount;
import dev.hangar.testkit.slurm.SlurmCluster;
import dev.hangar.testkit.time.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * What the Slurm engine's integration tests stand on: a real cluster in a folder of /tmp that every account can
 * traverse (JUnit's temporary folders are private to root), a work directory every account may write, as a shared
 * filesystem would be, and a test account made for the run, whose login scripts never end. {@link #close()} cancels
 * what still runs, stops the cluster, removes the account and the folder. A site started with REST has slurmrestd too
 * ({@link #restSettings}).
 */
final class SlurmSite implements AutoCloseable {
    private final Path directory;
    private final SlurmCluster cluster;
    private final HostAccount account;

    private SlurmSite(Path directory, SlurmCluster cluster, HostAccount account) {
        this.directory = directory;
        this.cluster = cluster;
        this.account = account;
    }

    static SlurmSite start() {
        return start(false);
    }

    /** A site whose cluster also serves Slurm's REST API when {@code withRest}. */
    static SlurmSite start(boolean withRest) {
        Path directory;
        try {
            directory = Files.createTempDirectory("hangar-slurm-it");
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            var work = Files.createDirectories(directory.resolve("jobs"));
            // Writable by every account, with the sticky bit as /tmp has it: each removes only its own job folders.
            Commands.run(List.of("chmod", "1777", work.toString()), Map.of()).requireSuccess();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SlurmCluster cluster = null;
        HostAccount account = null;
        try {
            cluster = SlurmCluster.start(directory.resolve("cluster"), withRest);
            account = HostAccount.createWithHomeIn("hangar-slurm-test-", directory.resolve("home"));
            // Login scripts that never end, as a site's may (one waiting on a lock or a file server): Slurm must
            // never run them before a job (as --export=NONE or --get-user-env would have it), nor must Hangar.
            for (var script : List.of(".profile", ".bash_profile", ".bashrc")) {
                account.writeHomeFile(script, "sleep 3600\n");
            }
            return new SlurmSite(directory, cluster, account);
        } catch (RuntimeException e) {
            new SlurmSite(directory, cluster, account).close();
            throw e;
        }
    }

    SlurmCluster cluster() {
        return cluster;
    }

    Path directory() {
        return directory;
    }

    /** An account other than root, that jobs may run as; its login scripts never end. */
    String account() {
        return account.name();
    }

    /** The home folder of {@link #account()}. */
    Path accountHome() {
        return account.home();
    }

    Path workDirectory() {
        return directory.resolve("jobs");
    }

    /** The settings of an engine of this cluster, on this host. */
    Map<String, String> settings() {
        return Map.of("slurmConf", cluster.conf().toString(), "workDirectory", workDirectory().toString());
    }

    /**
     * The settings of an engine reaching this cluster through slurmrestd as {@code user} (whose token is the secret
     * {@code restToken}), its job folders on this host. The slurm.conf tells the cluster's name.
     */
    Map<String, String> restSettings(String user) {
        return Map.of("connection", "Rest", "restUrl", cluster.restUrl(), "restUser", user, "slurmConf",
                cluster.conf().toString(), "workDirectory", workDirectory().toString());
    }

    @Override
    public void close() {
        if (cluster != null) {
            // slurmd leaves a job's processes running when it stops; the jobs end first.
            for (var id : cluster.slurm("squeue", "-h", "-o", "%i").lines()) {
                cluster.slurm("scancel", id);
            }
            Awaitility.await("the test jobs to end").atMost(Waits.SCHEDULER_STEP).pollInterval(Duration.ofMillis(200))
                    .until(() -> cluster.slurm("squeue", "-h").output().isBlank());
            cluster.close();
        }
        if (account != null) {
            account.close();
        }
        try (var paths = Files.walk(directory)) {
            for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove " + directory, e);
        }
    }
}
