package dev.hangar.backend.slurm;

import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.spi.engine.EngineJobState;
import dev.hangar.core.spi.engine.EngineNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Slurm through its own commands ({@code sbatch}, {@code squeue}, {@code sacct}, {@code scancel}, {@code sinfo},
 * {@code scontrol}), run on {@link SlurmHost}: Hangar's host or a login node. A job's commands run as its account.
 */
final class SlurmCommands implements SlurmClient {
    /** The only variable of sbatch's environment a job starts with, besides Slurm's own; its script sets the rest. */
    static final String JOB_PATH = "/usr/local/bin:/usr/bin:/bin";
    private final SlurmHost host;
    private final SlurmQueue queue;

    SlurmCommands(SlurmHost host) {
        this.host = host;
        queue = new SlurmQueue(host);
    }

    @Override
    public Cluster cluster() {
        var version = host.output(null, host.slurm("sinfo", "--version")).strip();
        var ping = host.attempt(null, host.slurm("scontrol", "ping"));
        if (!ping.text().contains(" is UP")) {
            throw SlurmFailures.unreachable((ping.text() + "\n" + ping.errors()).strip());
        }
        var name = SlurmHost.configValue(host.output(null, host.slurm("scontrol", "show", "config")), "ClusterName");
        var switchesUsers = host.account().isRoot() || host.attempt(null,
                List.of("sh", "-c", "command -v sudo >/dev/null && sudo -n true")).succeeded();
        return new Cluster(version, name, switchesUsers);
    }

    /** sinfo marks the default partition with {@code *}. */
    @Override
    public Partitions partitions() {
        var listed = host.output(null, host.slurm("sinfo", "-h", "-o", "%P")).lines().map(String::strip)
                .filter(line -> !line.isEmpty()).distinct().toList();
        var names = listed.stream().map(SlurmCommands::unmarked).toList();
        var defaultName = listed.stream().filter(name -> name.endsWith("*")).findFirst().map(SlurmCommands::unmarked)
                .orElse(null);
        return new Partitions(names, defaultName);
    }

    @Override
    public String account() {
        return host.account().name();
    }

    @Override
    public String submit(Submission job) {
        var command = new ArrayList<>(List.of("env", "-i", "PATH=" + JOB_PATH));
        command.addAll(host.slurm("sbatch", "--parsable", "--job-name=" + job.tag(), "--comment=" + job.tag(),
                "--partition=" + job.partition(), "--nodes=" + job.nodes(), "--ntasks-per-node=1",
                "--cpus-per-task=" + job.cores(), "--chdir=" + job.workingDirectory(), "--output=" + job.log(),
                "--open-mode=append", "--export=ALL", job.folder() + "/job.sh"));
        var submitted = host.attempt(job.runAs(), command);
        if (!submitted.succeeded()) {
            throw SlurmFailures.of(SlurmFailures.SUBMIT_FAILED, command, submitted.result());
        }
        return jobId(submitted.text());
    }

    @Override
    public Optional<Submitted> find(String tag, String runAs) {
        return queue.find(tag, runAs);
    }

    @Override
    public Map<String, EngineJobState> states(Collection<String> ids) {
        return queue.states(ids);
    }

    @Override
    public void cancel(String id, String runAs) {
        var command = host.slurm("scancel", id);
        var canceled = host.attempt(runAs, command);
        var errors = canceled.errors();
        // Slurm ends a job once: one that ended already, or that it forgot, is where cancel would take it.
        if (!canceled.succeeded() && !errors.contains("Invalid job id") && !errors.contains("already completing")) {
            throw SlurmFailures.of(SlurmFailures.COMMAND_FAILED, command, canceled.result());
        }
    }

    @Override
    public List<EngineNode> nodes(String partition) {
        var jobs = new HashMap<String, List<String>>();
        var expanded = new HashMap<String, List<String>>();
        for (var running : queue.runningJobs(partition)) {
            for (var node : expanded.computeIfAbsent(running.nodes(), host::hostnames)) {
                jobs.computeIfAbsent(node, name -> new ArrayList<>()).add(running.id());
            }
        }
        return host.output(null, host.slurm("sinfo", "-h", "-N", "-p", partition, "-o", NodeStates.SINFO_FORMAT))
                .lines().filter(line -> !line.isBlank()).distinct()
                .flatMap(line -> NodeStates.fromSinfo(line, jobs.getOrDefault(NodeStates.name(line), List.of()))
                        .stream())
                .toList();
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

    private static String unmarked(String partition) {
        return partition.endsWith("*") ? partition.substring(0, partition.length() - 1) : partition;
    }
}
