package dev.hangar.backend.slurm;

import dev.hangar.backend.slurm.SlurmClient.Submitted;
import dev.hangar.core.spi.engine.EngineJobState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What Slurm knows of jobs. {@code squeue} knows queued and running jobs and, for {@code MinJobAge}, ended ones; after
 * that only accounting knows them: {@code sacct} with slurmdbd, or {@code sacct -c} reading the job completion log on
 * clusters without accounting storage (plain sacct then says so, and the log is tried).
 */
final class SlurmQueue {
    private static final String NO_ACCOUNTING = "accounting storage is disabled";
    private static final String UNKNOWN_JOB = "Invalid job id specified";
    /** How far back a tag is looked for in accounting: a job submitted before Hangar stopped is found after a week. */
    private static final String FIND_SINCE = "now-7days";

    private final SlurmHost host;

    SlurmQueue(SlurmHost host) {
        this.host = host;
    }

    /** A job submitted under {@code tag} (the newest, if Slurm has several), as {@code id} and working directory. */
    Optional<Submitted> find(String tag, String runAs) {
        var queued = host.output(runAs, host.slurm("squeue", "-h", "-t", "all", "--name=" + tag, "-o", "%i|%j|%Z"));
        var found = newest(queued.lines().toList(), tag);
        if (found.isPresent()) {
            return found;
        }
        // Names are matched here too: the completion log ignores --name.
        return newest(accounting(runAs, "-X", "--name=" + tag, "--starttime=" + FIND_SINCE, "-o",
                "JobID,JobName,WorkDir"), tag);
    }

    /** What squeue, then accounting, says of these jobs; those neither knows are absent. */
    Map<String, EngineJobState> states(Collection<String> ids) {
        var wanted = new LinkedHashSet<>(ids);
        var states = new HashMap<String, EngineJobState>();
        if (wanted.isEmpty()) {
            return states;
        }
        collect(squeue(wanted), wanted, JobStates::fromSqueue, states);
        var unknown = new LinkedHashSet<>(wanted);
        unknown.removeAll(states.keySet());
        if (!unknown.isEmpty()) {
            collect(accounting(null, "-X", "-j", String.join(",", unknown), "-o", JobStates.SACCT_FORMAT), unknown,
                    JobStates::fromSacct, states);
        }
        return states;
    }

    /** The running jobs of {@code partition}. */
    List<Running> runningJobs(String partition) {
        return host.output(null, host.slurm("squeue", "-h", "-t", "R", "-p", partition, "-o", "%i|%N")).lines()
                .map(line -> line.strip().split("\\|", -1)).filter(fields -> fields.length == 2)
                .map(fields -> new Running(fields[0], fields[1])).toList();
    }

    /** A running job and the nodes it runs on, in Slurm's compressed notation ({@code node[1-3]}). */
    record Running(String id, String nodes) {
    }

    /**
     * squeue of these ids in one call. squeue refuses the whole call when it knows none of the ids; then all jobs are
     * listed and the caller keeps those it asked for.
     */
    private List<String> squeue(Set<String> ids) {
        var command = host.slurm("squeue", "-h", "-t", "all", "-o", JobStates.SQUEUE_FORMAT, "-j",
                String.join(",", ids));
        var output = host.attempt(null, command);
        if (output.succeeded()) {
            return output.text().lines().toList();
        }
        if (!output.errors().contains(UNKNOWN_JOB)) {
            throw SlurmFailures.of(SlurmFailures.COMMAND_FAILED, command, output.result());
        }
        return host.output(null, host.slurm("squeue", "-h", "-t", "all", "-o", JobStates.SQUEUE_FORMAT)).lines()
                .toList();
    }

    /**
     * Lines of {@code sacct -n -P} with {@code arguments}, from accounting storage or else the completion log; none
     * when the cluster keeps neither (the caller then reads the job's own folder).
     */
    private List<String> accounting(String runAs, String... arguments) {
        var command = sacct(false, arguments);
        var plain = host.attempt(runAs, command);
        if (plain.succeeded()) {
            return plain.text().lines().toList();
        }
        if (!(plain.errors() + plain.text()).contains(NO_ACCOUNTING)) {
            throw SlurmFailures.of(SlurmFailures.COMMAND_FAILED, command, plain.result());
        }
        var completions = host.attempt(runAs, sacct(true, arguments));
        return completions.succeeded() ? completions.text().lines().toList() : List.of();
    }

    private static void collect(List<String> lines, Set<String> wanted,
                                Function<String, Optional<EngineJobState>> parse, Map<String, EngineJobState> into) {
        // A requeued job has a line per run in accounting; the last is the latest.
        for (var line : lines) {
            parse.apply(line).filter(state -> wanted.contains(state.engineId()))
                    .ifPresent(state -> into.put(state.engineId(), state));
        }
    }

    /** The newest of {@code id|name|workDirectory} lines named {@code tag}. */
    private static Optional<Submitted> newest(List<String> lines, String tag) {
        return lines.stream().map(line -> line.strip().split("\\|", 3))
                .filter(fields -> fields.length == 3 && fields[0].matches("\\d+") && fields[1].equals(tag))
                .max((a, b) -> Long.compare(Long.parseLong(a[0]), Long.parseLong(b[0])))
                .map(fields -> new Submitted(fields[0], fields[2]));
    }

    private List<String> sacct(boolean completionLog, String... arguments) {
        var all = new ArrayList<String>();
        if (completionLog) {
            all.add("-c");
        }
        all.addAll(List.of("-n", "-P"));
        all.addAll(List.of(arguments));
        return host.slurm("sacct", all.toArray(String[]::new));
    }
}
