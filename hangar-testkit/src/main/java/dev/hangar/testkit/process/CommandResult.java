package dev.hangar.testkit.process;

import java.util.List;

/**
 * How a command ended: its exit code, what it wrote to stdout ({@link #output()}) and to stderr ({@link #errors()}).
 *
 * @param command the command line, program first
 */
public record CommandResult(List<String> command, int exitCode, String output, String errors) {
    public CommandResult {
        command = List.copyOf(command);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /**
     * Returns this result when the command exited 0.
     *
     * @throws IllegalStateException naming the command, its exit code and both of its outputs otherwise
     */
    public CommandResult requireSuccess() {
        if (!succeeded()) {
            throw new IllegalStateException("Exit code " + exitCode + " from: " + String.join(" ", command)
                    + "\n--- stdout ---\n" + output.strip() + "\n--- stderr ---\n" + errors.strip());
        }
        return this;
    }

    /** The non-blank lines of stdout, stripped: container ids from {@code podman ps -q}, for example. */
    public List<String> lines() {
        return output.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }
}
