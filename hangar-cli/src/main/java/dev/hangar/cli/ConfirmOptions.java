package dev.hangar.cli;

import picocli.CommandLine.Option;

/**
 * {@code -y/--yes} of a destructive command: without it the command asks first, as {@code az} does, and fails when
 * there is no terminal to ask on, so that a script never deletes, nor hangs, by accident.
 */
final class ConfirmOptions {
    @Option(names = {"-y", "--yes"}, description = "do not ask for confirmation (needed when there is no terminal)")
    boolean yes;

    /**
     * Whether to go on: {@code --yes} was given, or the user answered {@code y}.
     *
     * @param what what is done, as in "delete compute 'ci1'"
     * @throws CliException {@code ConfirmationRequired} (usage, exit code 2) when there is no terminal to ask on
     */
    boolean confirmed(CliEnvironment environment, String what) {
        if (yes) {
            return true;
        }
        var answer = environment.prompt().ask("Are you sure you want to " + what + "? (y/N): ");
        if (answer.isEmpty()) {
            throw new CliException("ConfirmationRequired", "there is no terminal to confirm that you want to " + what
                    + ": pass --yes to do it without asking", ExitCodes.USAGE);
        }
        var word = answer.get().strip();
        return word.equalsIgnoreCase("y") || word.equalsIgnoreCase("yes");
    }
}
