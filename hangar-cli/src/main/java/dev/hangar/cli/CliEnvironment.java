package dev.hangar.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the command line reads from its surroundings, passed in so that tests can run it in-process.
 *
 * @param variables   the environment ({@code HANGAR_*})
 * @param home        the user's home directory, for {@code ~/.hangar/config.json}
 * @param interactive whether stdout is a terminal: only then is a progress line rewritten in place
 */
public record CliEnvironment(Map<String, String> variables, Path home, boolean interactive) {
    static final String CONFIG = "HANGAR_CONFIG";

    public CliEnvironment {
        variables = Map.copyOf(variables);
    }

    /** This process's environment. */
    public static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), Path.of(System.getProperty("user.home")), isTerminal());
    }

    /** The variable's value, or {@code null} when it is unset or blank. */
    String variable(String name) {
        var value = variables.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    Path configFile() {
        var override = variable(CONFIG);
        return override != null ? Path.of(override) : home.resolve(".hangar").resolve("config.json");
    }

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
