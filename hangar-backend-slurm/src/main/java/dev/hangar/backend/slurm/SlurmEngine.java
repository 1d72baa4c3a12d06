package dev.hangar.backend.slurm;

import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.spi.engine.EngineInfo;
import dev.hangar.core.spi.engine.EngineJob;
import dev.hangar.core.spi.engine.EngineJobRef;
import dev.hangar.core.spi.engine.EngineJobState;
import dev.hangar.core.spi.engine.EngineNode;
import dev.hangar.core.spi.engine.EngineResult;
import dev.hangar.core.spi.engine.JobEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hangar's jobs on a Slurm cluster, through Slurm's own commands ({@code sbatch}, {@code squeue}, {@code sacct},
 * {@code scancel}, {@code sinfo}, {@code scontrol}) run on Hangar's host or on a login node over SSH. Each job is a
 * batch script in its own folder ({@link BatchScript}), made and read as the account the job runs as.
 *
 * <p>Errors: {@code SlurmControllerUnreachable} (retryable) when the controller or the login node does not answer;
 * {@code SlurmCommandFailed} with the command and its errors; {@code SlurmSubmitFailed} when sbatch refuses a job;
 * {@code SlurmPartitionNotFound}; {@code SlurmHostKeyMismatch} and {@code SlurmAuthenticationFailed} over SSH.
 *
 * <p>Thread-safe, as {@link JobEngine} requires: it keeps only caches of what does not change (the connection's
 * account, home folders, the default partition).
 */
public final class SlurmEngine implements JobEngine {
    private static final String PARTITION_NOT_FOUND = "SlurmPartitionNotFound";
    private static final String STD_LOG = "std_log.txt";

    private final SlurmSettings settings;
    private final SlurmShell shell;
    private final SlurmHost host;
    private final WorkDirectory work;
    private final JobFiles files;
    private final SlurmQueue queue;
    private volatile String defaultPartition;

    SlurmEngine(SlurmSettings settings, SlurmShell shell) {
        this.settings = settings;
        this.shell = shell;
        host = new SlurmHost(shell, settings.slurmConf());
        work = new WorkDirectory(host, settings.workDirectory());
        files = new JobFiles(host);
        queue = new SlurmQueue(host);
    }

    @Override
    public EngineInfo check() {
        var version = host.output(null, host.slurm("sinfo", "--version")).strip();
        var ping = host.attempt(null, host.slurm("scontrol", "ping"));
        if (!ping.text().contains(" is UP")) {
            throw SlurmFailures.unreachable((ping.text() + "\n" + ping.errors()).strip());
        }
        var cluster = configValue(host.output(null, host.slurm("scontrol", "show", "config")), "ClusterName");
        var partition = findPartition();
        var nodes = host.output(null, host.slurm("sinfo", "-h", "-p", partition, "-N", "-o", "%N|%c")).lines()
                .map(line -> line.strip().split("\\|")).filter(fields -> fields.length == 2).toList();
        var nodeCount = (int) nodes.stream().map(fields -> fields[0]).distinct().count();
        var cpusPerNode = nodes.stream().mapToInt(fields -> cpus(fields[1])).max().orElse(0);
        var account = host.account();
        var switchesUsers = account.isRoot() || host.attempt(null,
                List.of("sh", "-c", "command -v sudo >/dev/null && sudo -n true")).succeeded();
        return new EngineInfo(version, cluster, partition, nodeCount, cpusPerNode, account.name(), switchesUsers,
                shell.learned());
    }

    @Override
    public EngineJobRef submit(EngineJob job) {
        var runAs = job.runAs();
        var folder = work.folder(runAs, job.id().toString());
        files.makeFolder(runAs, folder);
        if (job.code() != null) {
            try (var archive = Files.newInputStream(job.code())) {
                files.unpack(runAs, archive, folder + "/code");
            } catch (IOException e) {
                throw EngineException.fatal(SlurmFailures.SUBMIT_FAILED, "Cannot read the code snapshot "
                        + job.code() + ": " + e);
            }
        }
        files.write(runAs, folder + "/job.sh", BatchScript.of(job, folder));
        var command = host.slurm("sbatch", "--parsable", "--job-name=" + job.tag(), "--comment=" + job.tag(),
                "--partition=" + partition(), "--nodes=" + job.nodes(), "--ntasks-per-node=1",
                "--cpus-per-task=" + job.cores(), "--chdir=" + folder + "/code", "--output=" + folder + "/" + STD_LOG,
                "--open-mode=append", "--export=NONE", folder + "/job.sh");
        var submitted = host.attempt(runAs, command);
        if (!submitted.succeeded()) {
            throw SlurmFailures.of(SlurmFailures.SUBMIT_FAILED, command, submitted.result());
        }
        return new EngineJobRef(jobId(submitted.text()), folder, runAs);
    }

    @Override
    public Optional<EngineJobRef> find(String tag, String runAs) {
        // The batch script runs in <folder>/code (--chdir): the job's folder is read back from there.
        return queue.find(tag, runAs).map(job -> new EngineJobRef(job.id(),
                job.workDirectory().replaceFirst("/code$", ""), runAs));
    }

    @Override
    public Map<String, EngineJobState> states(Collection<EngineJobRef> jobs) {
        return queue.states(jobs.stream().map(EngineJobRef::engineId).toList());
    }

    @Override
    public void cancel(EngineJobRef job) {
        var command = host.slurm("scancel", job.engineId());
        var canceled = host.attempt(job.runAs(), command);
        var errors = canceled.errors();
        // Slurm ends a job once: one that ended already, or that it forgot, is where cancel would take it.
        if (!canceled.succeeded() && !errors.contains("Invalid job id") && !errors.contains("already completing")) {
            throw SlurmFailures.of(SlurmFailures.COMMAND_FAILED, command, canceled.result());
        }
    }

    @Override
    public byte[] readLog(EngineJobRef job, long offset, int limit) {
        return files.read(job.runAs(), job.folder() + "/" + STD_LOG, offset, limit);
    }

    @Override
    public EngineResult collect(EngineJobRef job, Path outputs) {
        var written = new String(files.read(job.runAs(), job.folder() + "/exit_code", 0, 64), StandardCharsets.UTF_8)
                .strip();
        var exitCode = written.matches("-?\\d{1,9}") ? Integer.valueOf(written) : null;
        var part = outputs.resolveSibling(outputs.getFileName() + ".part");
        try {
            try (var out = Files.newOutputStream(part)) {
                files.copy(job.runAs(), job.folder() + "/outputs.tar.gz", out);
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
        work.requireJobFolder(job);
        files.remove(job.runAs(), job.folder());
    }

    @Override
    public List<EngineNode> nodes() {
        var partition = partition();
        var jobs = new HashMap<String, List<String>>();
        var expanded = new HashMap<String, List<String>>();
        for (var running : queue.runningJobs(partition)) {
            for (var node : expanded.computeIfAbsent(running.nodes(), this::hostnames)) {
                jobs.computeIfAbsent(node, name -> new ArrayList<>()).add(running.id());
            }
        }
        return host.output(null, host.slurm("sinfo", "-h", "-N", "-p", partition, "-o", NodeStates.SINFO_FORMAT))
                .lines().filter(line -> !line.isBlank()).distinct()
                .flatMap(line -> NodeStates.fromSinfo(line, jobs.getOrDefault(NodeStates.name(line), List.of()))
                        .stream())
                .toList();
    }

    @Override
    public void close() {
        shell.close();
    }

    /** The partition jobs go to: the configured one, or the cluster's default, looked up once. */
    private String partition() {
        if (settings.partition() != null) {
            return settings.partition();
        }
        var partition = defaultPartition;
        if (partition == null) {
            partition = findPartition();
            defaultPartition = partition;
        }
        return partition;
    }

    /** The configured partition if the cluster has it, else the one sinfo marks as the default with {@code *}. */
    private String findPartition() {
        var listed = host.output(null, host.slurm("sinfo", "-h", "-o", "%P")).lines().map(String::strip)
                .filter(line -> !line.isEmpty()).distinct().toList();
        var names = listed.stream().map(name -> name.endsWith("*") ? name.substring(0, name.length() - 1) : name)
                .toList();
        if (settings.partition() != null) {
            if (!names.contains(settings.partition())) {
                throw EngineException.fatal(PARTITION_NOT_FOUND, "The cluster has no partition '"
                        + settings.partition() + "'; it has " + names);
            }
            return settings.partition();
        }
        return listed.stream().filter(name -> name.endsWith("*")).findFirst()
                .map(name -> name.substring(0, name.length() - 1))
                .orElseThrow(() -> EngineException.fatal(PARTITION_NOT_FOUND, "The cluster has no default partition;"
                        + " set " + SlurmSettings.PARTITION + " to one of " + names));
    }

    /** The node names of a Slurm node list; {@code scontrol} expands ranges such as {@code node[1-3]}. */
    private List<String> hostnames(String nodeList) {
        if (!nodeList.contains("[")) {
            return List.of(nodeList.split(","));
        }
        return host.output(null, host.slurm("scontrol", "show", "hostnames", nodeList)).lines().map(String::strip)
                .filter(line -> !line.isEmpty()).toList();
    }

    /** sbatch --parsable prints {@code <id>} or {@code <id>;<cluster>}. */
    static String jobId(String parsable) {
        var id = parsable.strip().split(";", 2)[0].strip();
        if (!id.matches("\\d+(_\\d+)?")) {
            throw EngineException.fatal(SlurmFailures.SUBMIT_FAILED, "sbatch printed no job id: '" + parsable.strip()
                    + "'");
        }
        return id;
    }

    /** A value of {@code scontrol show config}, whose lines read {@code Name = value}. */
    static String configValue(String config, String name) {
        return config.lines().map(line -> line.split("=", 2)).filter(pair -> pair.length == 2
                        && pair[0].strip().equals(name)).map(pair -> pair[1].strip()).findFirst().orElse(null);
    }

    private static int cpus(String cpus) {
        try {
            return Integer.parseInt(cpus.strip().replace("+", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A part file left behind is overwritten by the next collect.
        }
    }
}
