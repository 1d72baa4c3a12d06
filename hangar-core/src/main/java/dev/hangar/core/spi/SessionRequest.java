package dev.hangar.core.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a person opens inside a running instance: the browser terminal, an SSH shell or command, an SFTP session, or a
 * forwarded TCP connection. Everything runs as the instance's user (on a container, {@code azureuser} in its home).
 */
public sealed interface SessionRequest {

    /** A terminal's type and size, when the session has one (the browser terminal always; SSH when the client asks). */
    record Tty(String term, int columns, int rows) {
        public static final String DEFAULT_TERM = "xterm-256color";

        public Tty {
            term = term == null || term.isBlank() ? DEFAULT_TERM : term;
            columns = Math.max(1, columns);
            rows = Math.max(1, rows);
        }
    }

    /** The user's login shell; {@code tty} is null for a shell without a terminal (e.g. {@code ssh -T}). */
    record Shell(Tty tty, Map<String, String> environment) implements SessionRequest {
        public Shell {
            environment = environment == null ? Map.of() : Map.copyOf(environment);
        }
    }

    /**
     * One command line, run by the user's shell as {@code sshd} runs it ({@code $SHELL -c line}), in the user's home.
     * {@code folders} are made first, with their parents, as the user (a job's folder): by the backend itself where
     * it can, which spares a process per command on machines where processes are dear.
     *
     * @param folders folders of the home, as relative paths within it
     */
    record Command(String line, Tty tty, Map<String, String> environment, List<String> folders)
            implements SessionRequest {
        public Command {
            Objects.requireNonNull(line, "line");
            environment = environment == null ? Map.of() : Map.copyOf(environment);
            folders = folders == null ? List.of() : List.copyOf(folders);
            for (var folder : folders) {
                var path = Path.of(folder).normalize();
                if (folder.isBlank() || path.isAbsolute() || path.startsWith("..") || !path.toString().equals(folder)) {
                    throw new IllegalArgumentException("'" + folder + "' is not a folder within the home");
                }
            }
        }

        public Command(String line, Tty tty, Map<String, String> environment) {
            this(line, tty, environment, List.of());
        }
    }

    /**
     * One command line as the user the backend runs the instance's setup scripts as (root in a container; on the
     * host, the instance's own account unless the operator lets them run as root), for the instance's setup scripts:
     * {@code bash -c line} in the instance user's home, with no terminal, with {@code environment} added to that
     * user's own.
     */
    record AdminCommand(String line, Map<String, String> environment) implements SessionRequest {
        public AdminCommand {
            Objects.requireNonNull(line, "line");
            environment = environment == null ? Map.of() : Map.copyOf(environment);
        }
    }

    /**
     * One command line in a fresh container of {@code image} that shares the instance's home (a job's environment):
     * {@code /bin/sh -c line} as the instance's user, in its home, with no terminal. The container is removed when
     * the session ends. Only backends that {@link ComputeBackend#runsImages() run images} open it; an image the engine
     * does not have fails the open with {@code ImageNotFound}.
     */
    record Container(String image, String line, Map<String, String> environment) implements SessionRequest {
        public Container {
            Objects.requireNonNull(image, "image");
            Objects.requireNonNull(line, "line");
            environment = environment == null ? Map.of() : Map.copyOf(environment);
        }
    }

    /** The SFTP protocol over the session's streams (OpenSSH's {@code sftp-server} in the instance). */
    record Sftp() implements SessionRequest {
    }

    /**
     * A TCP connection to {@code port} on the instance's own loopback: the session's streams are the connection's bytes.
     * The session ends when either side closes.
     */
    record Forward(int port) implements SessionRequest {
        public Forward {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("Port must be within 1-65535, not " + port);
            }
        }
    }
}
