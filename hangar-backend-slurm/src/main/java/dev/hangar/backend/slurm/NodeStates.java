package dev.hangar.backend.slurm;

import dev.hangar.core.spi.engine.EngineNode;
import dev.hangar.core.spi.engine.EngineNode.State;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Slurm's node states in Hangar's (Azure's) node terms, and the lines of {@code sinfo} they are read from. Slurm
 * writes flags after the state: {@code *} not responding, {@code #} powering up, {@code %} powering down, and others
 * ({@code ~ ! $ @ ^ -}) that change nothing here. slurmrestd gives the base state and its flags apart; they are put
 * back together in sinfo's words ({@link #sinfoState}), so that a node reads the same however Slurm is reached.
 */
final class NodeStates {
    /** What {@code sinfo -N -o} prints for {@link #fromSinfo}: name, state, address, CPUs. */
    static final String SINFO_FORMAT = "%N|%T|%o|%c";

    private static final Set<String> IDLE = Set.of("idle", "planned");
    private static final Set<String> RUNNING = Set.of("allocated", "mixed", "completing");
    private static final String FLAGS = "*~#!%$@^-+";
    /** The flags sinfo marks a state with, in the order it looks at them. */
    private static final List<Map.Entry<String, String>> MARKS = List.of(Map.entry("MAINTENANCE", "$"),
            Map.entry("REBOOT_ISSUED", "^"), Map.entry("REBOOT_REQUESTED", "@"), Map.entry("POWERING_UP", "#"),
            Map.entry("POWERING_DOWN", "%"), Map.entry("POWERED_DOWN", "~"), Map.entry("POWER_DOWN", "!"),
            Map.entry("NOT_RESPONDING", "*"));

    private NodeStates() {
    }

    static State state(String slurmState) {
        var state = slurmState.strip().toLowerCase(Locale.ROOT);
        if (state.endsWith("*")) {
            return State.unusable;
        }
        if (state.endsWith("#") || state.startsWith("powering_up")) {
            return State.preparing;
        }
        if (state.endsWith("%") || state.startsWith("powering_down")) {
            return State.leaving;
        }
        var base = base(state);
        if (IDLE.contains(base)) {
            return State.idle;
        }
        return RUNNING.contains(base) ? State.running : State.unusable;
    }

    /** A line of {@value #SINFO_FORMAT}; empty for a line that is not one. */
    static Optional<EngineNode> fromSinfo(String line, List<String> jobs) {
        var fields = line.strip().split("\\|", -1);
        if (fields.length != 4 || fields[0].isEmpty()) {
            return Optional.empty();
        }
        var address = fields[2].isEmpty() || fields[2].equals("(null)") ? null : fields[2];
        return Optional.of(new EngineNode(fields[0], state(fields[1]), fields[1], address, cpus(fields[3]), jobs));
    }

    /**
     * What sinfo's {@code %T} prints for a base state ({@code idle}, {@code mixed}, ...) and its flags
     * ({@code DRAIN}, {@code NOT_RESPONDING}, ...), as slurmrestd gives them: Slurm's own {@code node_state_string}.
     */
    static String sinfoState(String base, Collection<String> flags) {
        var state = base.strip().toLowerCase(Locale.ROOT);
        var set = flags.stream().map(flag -> flag.toUpperCase(Locale.ROOT)).collect(Collectors.toSet());
        var busy = state.equals("allocated") || state.equals("mixed");
        var completing = set.contains("COMPLETING");
        var silent = set.contains("NOT_RESPONDING") ? "*" : "";
        if (set.contains("INVALID_REG")) {
            return "inval";
        }
        if (set.contains("MAINTENANCE") && !set.contains("DRAIN") && !busy && !state.equals("down")) {
            return "maint" + silent;
        }
        if ((set.contains("REBOOT_REQUESTED") || set.contains("REBOOT_ISSUED")) && !busy) {
            return "reboot" + (set.contains("REBOOT_ISSUED") ? "^" : silent);
        }
        if (set.contains("DRAIN")) {
            return (completing || busy ? "draining" : "drained") + mark(set);
        }
        if (set.contains("FAIL")) {
            return (completing || state.equals("allocated") ? "failing" : "fail") + silent;
        }
        if (state.equals("allocated") && mark(set).isEmpty() && completing) {
            return "allocated+";
        }
        if (completing && !state.equals("down") && !state.equals("allocated")) {
            return "completing" + mark(set);
        }
        if (mark(set).isEmpty() && set.contains("PLANNED") && (state.equals("idle") || state.equals("mixed"))) {
            return state.equals("idle") ? "planned" : "mixed-";
        }
        return state + mark(set);
    }

    private static String mark(Set<String> flags) {
        return MARKS.stream().filter(mark -> flags.contains(mark.getKey())).map(Map.Entry::getValue).findFirst()
                .orElse("");
    }

    /** The name of a node from a {@value #SINFO_FORMAT} line, to look up its jobs before the node is made. */
    static String name(String line) {
        var bar = line.indexOf('|');
        return (bar < 0 ? line : line.substring(0, bar)).strip();
    }

    private static String base(String state) {
        var end = state.length();
        while (end > 0 && FLAGS.indexOf(state.charAt(end - 1)) >= 0) {
            end--;
        }
        return state.substring(0, end);
    }

    /** sinfo writes {@code 4+} when a line stands for nodes of several sizes. */
    private static int cpus(String cpus) {
        try {
            return Integer.parseInt(cpus.strip().replace("+", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
