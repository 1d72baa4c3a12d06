package dev.hangar.ssh.client;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Single-quotes text for a POSIX shell. Inside single quotes nothing is special but the quote itself, which is
 * closed, escaped and reopened ({@code '\''}): whatever a value holds ($, `, spaces, newlines) reaches the command as
 * it was written.
 */
public final class ShellQuoting {
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private ShellQuoting() {
    }

    public static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /** The shell line that runs exactly these arguments, each quoted (an SSH server hands commands to a shell). */
    public static String commandLine(List<String> arguments) {
        return arguments.stream().map(ShellQuoting::quote).collect(Collectors.joining(" "));
    }

    /**
     * {@code export NAME='value'}, the value quoted so that it reaches the command as written.
     *
     * @throws IllegalArgumentException for a name a shell cannot export
     */
    public static String export(String name, String value) {
        if (!VARIABLE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' cannot name an environment variable");
        }
        return "export " + name + "=" + quote(value);
    }
}
