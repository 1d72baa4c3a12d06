package dev.hangar.backend.slurm;

import dev.hangar.core.spi.engine.EngineJobState;
import dev.hangar.core.spi.engine.EngineJobState.Phase;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Slurm's job states in Hangar's terms, and the lines of {@code squeue} and {@code sacct} (or slurmrestd's fields)
 * they are read from. A state
 * Slurm may add later is taken as pending: the job is still in Slurm's hands, and a later look tells more.
 */
final class JobStates {
    /** What {@code squeue -o} prints for {@link #fromSqueue}: id, state, reason, nodes. */
    static final String SQUEUE_FORMAT = "%i|%T|%r|%N";
    /** What {@code sacct -o} prints for {@link #fromSacct}. */
    static final String SACCT_FORMAT = "JobID,State,ExitCode,NodeList";

    private static final Set<String> RUNNING = Set.of("RUNNING", "COMPLETING", "STAGE_OUT", "SIGNALING", "RESIZING");
    private static final Set<String> ENDED = Set.of("COMPLETED", "FAILED");
    private static final Set<String> CANCELED = Set.of("CANCELLED");
    private static final Set<String> ABORTED = Set.of("TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE",
            "PREEMPTED", "REVOKED");

    private JobStates() {
    }

    /**
     * The phase of a Slurm state word ({@code RUNNING}, {@code CANCELLED by 1000}, ...). Queued, held, suspended and
     * requeued jobs are pending.
     */
    static Phase phase(String state) {
        var word = word(state);
        if (RUNNING.contains(word)) {
            return Phase.Running;
        }
        if (ENDED.contains(word)) {
            return Phase.Ended;
        }
        if (CANCELED.contains(word)) {
            return Phase.Canceled;
        }
        return ABORTED.contains(word) ? Phase.Aborted : Phase.Pending;
    }

    /** A line of {@value #SQUEUE_FORMAT}; empty for a line that is not one. */
    static Optional<EngineJobState> fromSqueue(String line) {
        var fields = line.strip().split("\\|", -1);
        if (fields.length != 4 || fields[0].isEmpty() || fields[1].isEmpty()) {
            return Optional.empty();
        }
        var reason = fields[2].isEmpty() || fields[2].equals("None") ? null : fields[2];
        return Optional.of(new EngineJobState(fields[0], phase(fields[1]), word(fields[1]), reason, nodes(fields[3])));
    }

    /**
     * A line of {@value #SACCT_FORMAT}; empty for a line that is not one. A job that did not end well keeps its
     * {@code exit:signal} pair as the reason, since sacct has no other.
     */
    static Optional<EngineJobState> fromSacct(String line) {
        var fields = line.strip().split("\\|", -1);
        if (fields.length != 4 || fields[0].isEmpty() || fields[1].isEmpty()) {
            return Optional.empty();
        }
        var exit = fields[2];
        var reason = exit.isEmpty() || exit.equals("0:0") ? null : "ExitCode " + exit;
        return Optional.of(new EngineJobState(fields[0], phase(fields[1]), word(fields[1]), reason, nodes(fields[3])));
    }

    /** A job as slurmrestd lists it: {@code job_state}, {@code state_reason} and {@code nodes}. */
    static EngineJobState of(String id, String state, String reason, String nodes) {
        var because = reason == null || reason.isEmpty() || reason.equals("None") ? null : reason;
        return new EngineJobState(id, phase(state), word(state), because, nodes == null ? null : nodes(nodes));
    }

    /** {@code CANCELLED by 0} is {@code CANCELLED}; sacct adds who canceled. */
    private static String word(String state) {
        var trimmed = state.strip();
        var space = trimmed.indexOf(' ');
        return (space < 0 ? trimmed : trimmed.substring(0, space)).toUpperCase(Locale.ROOT);
    }

    private static String nodes(String nodes) {
        return nodes.isEmpty() || nodes.equals("None assigned") || nodes.equals("(null)") ? null : nodes;
    }
}
