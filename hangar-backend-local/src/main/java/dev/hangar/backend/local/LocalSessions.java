package dev.hangar.backend.local;

import com.pty4j.PtyProcessBuilder;
import dev.hangar.core.spi.BackendException;
import dev.hangar.core.spi.InstanceSession;
import dev.hangar.core.spi.SessionRequest;
import dev.hangar.core.spi.SessionRequest.Tty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sessions in a host-process instance: shells, commands and SFTP run as processes of the instance's account in its
 * home, tagged like its apps so that stop and delete end them; with a TTY through a pseudo-terminal (pty4j). An
 * {@link SessionRequest.AdminCommand} (a setup script) runs as the instance's account too, or as Hangar's own (root)
 * where the operator allows it ({@link LocalBackendConfig#setupScriptsAsRoot()}). SFTP is OpenSSH's
 * {@code sftp-server}; a forwarded port is a connection to the host's loopback, which this backend's instances share
 * with each other and with Hangar (see {@link LocalBackend} on isolation).
 */
final class LocalSessions {
    static final Path SHELL = Path.of("/bin/bash");
    static final Path SFTP_SERVER = Path.of("/usr/lib/openssh/sftp-server");
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    /** Where pty4j unpacks its native library; by default a new temporary directory each run, never removed. */
    static final String PTY4J_FOLDER = "pty4j.tmpdir";

    /** Whether {@value #PTY4J_FOLDER} is Hangar's setting (not the operator's), so a newer backend may move it. */
    private static volatile boolean folderIsOurs;

    /**
     * pty4j unpacks its library once per JVM, into the folder named when it first opens a terminal, and only if that
     * folder exists (else into a new temporary one it never removes). The latest backend's data directory is named,
     * unless the operator named one.
     */
    LocalSessions(Path cache) {
        synchronized (LocalSessions.class) {
            if (System.getProperty(PTY4J_FOLDER) == null || folderIsOurs) {
                var folder = cache.resolve("pty4j");
                try {
                    Files.createDirectories(folder);
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot make " + folder + " for the terminal's native library", e);
                }
                System.setProperty(PTY4J_FOLDER, folder.toString());
                folderIsOurs = true;
            }
        }
    }

    /**
     * @param account the instance's account
     * @param administrator who an {@link SessionRequest.AdminCommand} runs as: the instance's account, or Hangar's
     */
    InstanceSession open(InstanceDirectory instance, InstanceAccount account, InstanceAccount administrator,
                         SessionRequest request) {
        return switch (request) {
            case SessionRequest.Shell shell -> run(instance, account, List.of(SHELL.toString(), "-l"), shell.tty(),
                    shell.environment());
            case SessionRequest.Command command -> {
                makeFolders(instance, account, command.folders());
                yield run(instance, account, List.of(SHELL.toString(), "-c", command.line()), command.tty(),
                        command.environment());
            }
            case SessionRequest.AdminCommand command -> run(instance, administrator,
                    List.of(SHELL.toString(), "-c", command.line()), null, command.environment());
            case SessionRequest.Sftp ignored -> sftp(instance, account);
            case SessionRequest.Forward forward -> connect(instance, forward.port());
            case SessionRequest.Container container -> throw BackendException.fatal("ImagesUnsupported", "The"
                    + " host-process backend runs commands in the instance's own environment, not in image "
                    + container.image() + ".");
        };
    }

    /**
     * A command's folders, made here rather than by a {@code mkdir} of the command's when the command runs as Hangar's
     * own account; by a {@code mkdir} as the instance's account when it has one, since the home is theirs (Hangar
     * would follow a link they put there with its rights).
     */
    private static void makeFolders(InstanceDirectory instance, InstanceAccount account, List<String> folders) {
        if (folders.isEmpty()) {
            return;
        }
        if (account.own()) {
            var mkdir = new java.util.ArrayList<>(List.of("/bin/mkdir", "-p", "--"));
            mkdir.addAll(folders);
            InstanceAccounts.runAs(account, instance.home(), mkdir);
            return;
        }
        for (var folder : folders) {
            var path = instance.home().resolve(folder);
            try {
                Files.createDirectories(path);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot make " + path, e);
            }
        }
    }

    private InstanceSession sftp(InstanceDirectory instance, InstanceAccount account) {
        if (!Files.isExecutable(SFTP_SERVER)) {
            throw BackendException.fatal("SftpUnavailable", SFTP_SERVER + " is missing on the Hangar host; install it"
                    + " with: apt-get install -y openssh-sftp-server");
        }
        return run(instance, account, List.of(SFTP_SERVER.toString()), null, Map.of());
    }

    private static InstanceSession run(InstanceDirectory instance, InstanceAccount account, List<String> command,
                                       Tty tty, Map<String, String> requested) {
        var environment = new HashMap<String, String>();
        // The user may set their locale and terminal, never the tag that stop uses to find the instance's processes.
        requested.forEach((key, value) -> {
            if (!key.equals(InstanceProcesses.TAG)) {
                environment.put(key, value);
            }
        });
        environment.putAll(InstanceEnvironment.of(instance, account));
        requested.forEach((key, value) -> {
            if (key.equals("LANG") || key.startsWith("LC_")) {
                environment.put(key, value);
            }
        });
        var directory = instance.home().toString();
        try {
            if (tty != null) {
                environment.put("TERM", tty.term());
                var process = new PtyProcessBuilder(account.command(sized(command, tty)).toArray(String[]::new))
                        .setEnvironment(environment)
                        .setDirectory(directory)
                        .setInitialColumns(tty.columns())
                        .setInitialRows(tty.rows())
                        .setRedirectErrorStream(true)
                        .setUnixOpenTtyToPreserveOutputAfterTermination(true)
                        .start();
                return new ProcessSession(process, true);
            }
            var builder = new ProcessBuilder(account.command(command)).directory(instance.home().toFile());
            builder.environment().clear();
            builder.environment().putAll(environment);
            return new ProcessSession(builder.start(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command.getFirst() + " in " + directory, e);
        }
    }

    /**
     * The command, run after its terminal is given the client's size by the child itself: pty4j sizes the terminal
     * only after the fork, so a quick command could otherwise read 0 x 0. The numbers are arguments, never code.
     */
    static List<String> sized(List<String> command, Tty tty) {
        if (tty.columns() <= 0 || tty.rows() <= 0) {
            return command;
        }
        var wrapped = new java.util.ArrayList<>(List.of("/bin/sh", "-c",
                "stty rows \"$1\" cols \"$2\" 2>/dev/null; shift 2; exec \"$@\"", "sh",
                Integer.toString(tty.rows()), Integer.toString(tty.columns())));
        wrapped.addAll(command);
        return wrapped;
    }

    private static InstanceSession connect(InstanceDirectory instance, int port) {
        var socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MILLIS);
            return new SocketSession(socket);
        } catch (ConnectException e) {
            closeQuietly(socket);
            throw BackendException.fatal("PortNotListening", "Nothing listens on port " + port
                    + " of the instance's loopback");
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("Cannot connect to port " + port + " of " + instance.computeId(), e);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing was sent on it.
        }
    }
}
