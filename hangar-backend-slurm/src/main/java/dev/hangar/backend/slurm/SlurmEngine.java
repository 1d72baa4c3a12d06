package dev.hangar.backend.slurm;

import dev.hangar.backend.slurm.SlurmClient.Submission;
import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.spi.engine.EngineInfo;
import dev.hangar.core.spi.engine.EngineJob;
import dev.hangar.core.spi.engine.EngineJobRef;
import dev.hangar.core.spi.engine.EngineJobState;
import dev.hangar.core.spi.engine.EngineNode;
import dev.hangar.core.spi.engine.EngineResult;
import dev.hangar.core.spi.engine.JobEngine;
import dev.hangar.ssh.client.CommandShell;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hangar's jobs on a Slurm cluster. Each job is a batch script in its own folder ({@link BatchScript}), made and read
 * as the account the job runs as, with plain commands ({@link JobFiles}) on the machine the folders are reached from.
 * Slurm itself is reached in one of two ways ({@link SlurmClient}):
 * <ul>
 *   <li>through Slurm's commands ({@code sbatch}, {@code squeue}, {@code sacct}, {@code scancel}, {@code sinfo},
 *       {@code scontrol}), run on Hangar's host (Local) or on a login node over SSH (Ssh); the job folders are on
 *       that machine;</li>
 *   <li>through slurmrestd, Slurm's REST API (Rest). slurmrestd queues, lists, cancels and reports, but moves no
 *       files: the job folders ({@code workDirectory}) must be on a filesystem that Hangar's own host shares with the
 *       nodes, and all file work (making a folder, unpacking the code, writing {@code job.sh}, reading the log, the
 *       exit status and the outputs, removing the folder) is done on Hangar's host as for Local, as the job's account
 *       ({@code runuser} when Hangar runs as root). A job that names no account runs as {@code restUser}, and its
 *       files are that account's.</li>
 * </ul>
 *
 * <p>Errors: {@code SlurmControllerUnreachable} (retryable) when the controller, the login node or slurmrestd does not
 * answer; {@code SlurmCommandFailed} with the command or request and its errors; {@code SlurmSubmitFailed} when Slurm
 * refuses a job; {@code SlurmPartitionNotFound}; {@code SlurmHostKeyMismatch} over SSH;
 * {@code SlurmAuthenticationFailed} over SSH, or when slurmctld refuses the REST token;
 * {@code SlurmRestVersionUnsupported} when slurmrestd does not serve the OpenAPI plugin Hangar speaks
 * ({@value SlurmRest#PLUGIN}).
 *
 * <p>Thread-safe, as {@link JobEngine} requires: it keeps only caches of what does not change (the connection's
 * account, home folders, the default partition).
 */
public final class SlurmEngine implements JobEngine {
    private final SlurmSettings settings;
    private final CommandShell shell;
    private final WorkDirectory work;
    private final JobFiles files;
    private final SlurmClient slurm;
    private volatile String defaultPartition;

    SlurmEngine(SlurmSettings settings, CommandShell shell) {
        this.settings = settings;
        this.shell = shell;
        var host = new SlurmHost(shell, settings.slurmConf());
        work = new WorkDirectory(host, settings.workDirectory());
        files = new JobFiles(host);
        slurm = settings.rest() == null ? new SlurmCommands(host) : new SlurmRest(settings.rest(), host,
                settings.slurmConf() != null);
    }

    @Override
    public EngineInfo check() {
        var cluster = slurm.cluster();
        var partition = slurm.partitions().choose(settings.partition());
        var nodes = slurm.nodes(partition);
        var cpusPerNode = nodes.stream().mapToInt(EngineNode::cpus).max().orElse(0);
        // Kept with the attachment: how it connects and where its jobs go, as they are now, so that a default of the
        // cluster's changing later does not move its jobs, and a GET shows what is recorded.
        var learned = new java.util.LinkedHashMap<>(shell.learned());
        learned.put(SlurmSettings.CONNECTION, settings.connection().name());
        learned.put(SlurmSettings.PARTITION, partition);
        return new EngineInfo(cluster.version(), cluster.name(), partition, nodes.size(), cpusPerNode,
                slurm.account(), cluster.switchesUsers(), learned);
    }

    /** Local runs Slurm's commands here, and Rest makes the job folders here; only Ssh works elsewhere. */
    @Override
    public boolean onHangarsHost() {
        return settings.connection() != SlurmSettings.Connection.Ssh;
    }

    @Override
    public EngineJobRef submit(EngineJob job) {
        if (job.image() != null) {
            throw EngineException.fatal(SlurmFailures.SUBMIT_FAILED, "Slurm runs jobs in the environment of its"
                    + " nodes, not in image " + job.image());
        }
        var owner = owner(job.runAs());
        var folder = work.folder(owner, job.id().toString());
        files.makeFolder(owner, folder);
        if (job.code() != null) {
            try (var archive = Files.newInputStream(job.code())) {
                files.unpack(owner, archive, folder + "/code");
            } catch (IOException e) {
                throw EngineException.fatal(SlurmFailures.SUBMIT_FAILED, "Cannot read the code snapshot "
                        + job.code() + ": " + e);
            }
        }
        var script = BatchScript.of(job, folder);
        files.write(owner, folder + "/job.sh", script);
        var id = slurm.submit(new Submission(job.tag(), owner, folder, partition(), job.nodes(), job.cores(),
                script));
        return new EngineJobRef(id, folder, job.runAs());
    }

    @Override
    public Optional<EngineJobRef> find(String tag, String runAs) {
        // The batch script runs in <folder>/code: the job's folder is read back from there.
        return slurm.find(tag, runAs).map(job -> new EngineJobRef(job.id(),
                job.workDirectory().replaceFirst("/code$", ""), runAs));
    }

    @Override
    public Map<String, EngineJobState> states(Collection<EngineJobRef> jobs) {
        return slurm.states(jobs.stream().map(EngineJobRef::engineId).toList());
    }

    @Override
    public void cancel(EngineJobRef job) {
        slurm.cancel(job.engineId(), owner(job.runAs()));
    }

    @Override
    public byte[] readLog(EngineJobRef job, long offset, int limit) {
        return files.read(owner(job.runAs()), job.folder() + "/" + Submission.LOG, offset, limit);
    }

    @Override
    public EngineResult collect(EngineJobRef job, Path outputs) {
        var owner = owner(job.runAs());
        var written = new String(files.read(owner, job.folder() + "/exit_code", 0, 64), StandardCharsets.UTF_8)
                .strip();
        var exitCode = written.matches("-?\\d{1,9}") ? Integer.valueOf(written) : null;
        var part = outputs.resolveSibling(outputs.getFileName() + ".part");
        try {
            try (var out = Files.newOutputStream(part)) {
                files.copy(owner, job.folder() + "/outputs.tar.gz", out);
            }
            // The script moves a whole archive into place, and a gzip file is never empty: nothing means no outputs.
            if (Files.size(part) == 0) {
                Files.delete(part);
                return new EngineResult(exitCode, false);
            }
            Files.move(part, outputs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new EngineResult(exitCode, true);
        } catch (IOException e) {
            throw EngineException.transientFailure(SlurmFailures.COMMAND_FAILED, "Cannot copy the outputs of job "
                    + job.engineId() + " to " + outputs + ": " + e, e);
        } finally {
            deleteQuietly(part);
        }
    }

    @Override
    public void clean(EngineJobRef job) {
        var owner = owner(job.runAs());
        work.requireJobFolder(job.folder(), owner);
        files.remove(owner, job.folder());
    }

    @Override
    public List<EngineNode> nodes() {
        return slurm.nodes(partition());
    }

    @Override
    public void close() {
        try {
            slurm.close();
        } finally {
            shell.close();
        }
    }

    /** The account a job's files and Slurm requests are made as: its own, or the connection's. */
    private String owner(String runAs) {
        return runAs != null ? runAs : slurm.account();
    }

    /** The partition jobs go to: the configured one, or the cluster's default, looked up once. */
    private String partition() {
        if (settings.partition() != null) {
            return settings.partition();
        }
        var partition = defaultPartition;
        if (partition == null) {
            partition = slurm.partitions().choose(null);
            defaultPartition = partition;
        }
        return partition;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A part file left behind is overwritten by the next collect.
        }
    }
}
