package dev.hangar.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What the command line reads from its surroundings, passed in so that tests can run it in-process.
 *
 * @param variables   the environment ({@code HANGAR_*})
 * @param home        the user's home directory, for {@code ~/.hangar/config.json}
 * @param interactive whether stdout is a terminal: only then is a progress line rewritten in place
 * @param prompt      how to ask the user a question, on the terminal when there is one
 */
public record CliEnvironment(Map<String, String> variables, Path home, boolean interactive, Prompt prompt) {
    static final String CONFIG = "HANGAR_CONFIG";

    /** Asks the user a question and reads the answer. */
    @FunctionalInterface
    public interface Prompt {
        /** Never asks: there is no terminal. */
        Prompt NONE = new Prompt() {
            @Override
            public Optional<String> ask(String question) {
                return Optional.empty();
            }

            @Override
            public boolean canAsk() {
                return false;
            }
        };

        /** The answer (empty text at the end of input), or empty when there is no terminal to ask on. */
        Optional<String> ask(String question);

        /** Whether there is a terminal to ask on. */
        default boolean canAsk() {
            return true;
        }
    }

    public CliEnvironment {
        variables = Map.copyOf(variables);
    }

    /** An environment without a terminal to ask on. */
    public CliEnvironment(Map<String, String> variables, Path home, boolean interactive) {
        this(variables, home, interactive, Prompt.NONE);
    }

    /** This process's environment. */
    public static CliEnvironment system() {
        var terminal = isTerminal();
        // HOME as the shell has it (the JVM's user.home is the password database's, whatever HOME says).
        var home = System.getenv("HOME");
        return new CliEnvironment(System.getenv(), Path.of(home != null && home.startsWith("/") ? home
                : System.getProperty("user.home")), terminal,
                terminal ? CliEnvironment::askOnConsole : Prompt.NONE);
    }

    private static Optional<String> askOnConsole(String question) {
        var answer = System.console().readLine("%s", question);
        return Optional.of(answer == null ? "" : answer);
    }

    /** The variable's value, or {@code null} when it is unset or blank. */
    String variable(String name) {
        var value = variables.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    /** The program {@code name} as this environment's {@code PATH} finds it, or the bare name when it does not. */
    String program(String name) {
        var path = variable("PATH");
        if (path != null) {
            for (var directory : path.split(java.io.File.pathSeparator)) {
                if (!directory.isEmpty() && java.nio.file.Files.isExecutable(Path.of(directory, name))) {
                    return Path.of(directory, name).toString();
                }
            }
        }
        return name;
    }

    Path configFile() {
        var override = variable(CONFIG);
        return override != null ? Path.of(override) : home.resolve(".hangar").resolve("config.json");
    }

    /** Whether stdin and stdout are a terminal. */
    private static boolean isTerminal() {
        var console = System.console();
        if (console == null) {
            return false;
        }
        try { // JDK 22+ may return a console for redirected streams; isTerminal() tells
            return (Boolean) console.getClass().getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
