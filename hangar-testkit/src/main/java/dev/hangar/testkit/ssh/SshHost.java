package dev.hangar.testkit.ssh;

import dev.hangar.testkit.process.Commands;
import dev.hangar.testkit.process.HostProcesses;
import dev.hangar.testkit.process.Ports;
import dev.hangar.testkit.time.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real OpenSSH server for tests, made in a folder of its own: {@code sshd} on a free port of 127.0.0.1 with its own
 * ed25519 host key, taking keys from {@code <folder>/authorized_keys/<user>}, root included, and passwords only when
 * started so (never through PAM). It runs in the foreground as this JVM's child; {@link #close()} ends it by its PID and nothing else.
 *
 * <p>sshd reads a user's authorized keys as that user, so for users other than root the folder and every folder
 * above it must be traversable by others.
 */
public final class SshHost implements AutoCloseable {
    /** What to install when sshd is missing. */
    public static final String INSTALL_HINT = "apt-get install -y --no-install-recommends openssh-server";
    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    /** sshd refuses to start without its privilege separation folder, which no init system made here. */
    private static final Path PRIVILEGE_SEPARATION = Path.of("/run/sshd");
    private static final Duration READY = Waits.DAEMON_START;

    private final Path folder;
    private final int port;
    private final Process sshd;

    private SshHost(Path folder, int port, Process sshd) {
        this.folder = folder;
        this.port = port;
        this.sshd = sshd;
    }

    /** Whether OpenSSH's server is installed here. */
    public static boolean installed() {
        return Files.isExecutable(SSHD);
    }

    /** Starts sshd in {@code folder} (made when missing) and waits until it accepts connections. */
    public static SshHost start(Path folder) {
        return start(folder, false);
    }

    /**
     * As {@link #start(Path)}; with {@code passwords}, sshd also takes the password of an account (checked against
     * /etc/shadow, without PAM), as a virtual machine that lets its administrator log in with one does.
     */
    public static SshHost start(Path folder, boolean passwords) {
        return start(folder, passwords, Map.of());
    }

    /**
     * As {@link #start(Path, boolean)}, every session getting {@code environment} ({@code SetEnv}, which wins over
     * what sshd sets itself, {@code HOME} included): a machine whose root keeps Hangar's files in a folder of the
     * test's, and whose Podman reads the test's {@code CONTAINERS_CONF}.
     */
    public static SshHost start(Path folder, boolean passwords, Map<String, String> environment) {
        if (!installed()) {
            throw new IllegalStateException("sshd is not installed. Install it with: " + INSTALL_HINT);
        }
        var port = Ports.freeLoopback();
        Process sshd;
        try {
            Files.createDirectories(folder);
            Files.createDirectories(folder.resolve("authorized_keys"));
            Files.createDirectories(PRIVILEGE_SEPARATION);
            var hostKey = folder.resolve("ssh_host_ed25519_key");
            Files.deleteIfExists(hostKey);
            Files.deleteIfExists(Path.of(hostKey + ".pub"));
            Commands.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "hangar-test-host", "-f",
                    hostKey.toString()), Map.of()).requireSuccess();
            var conf = folder.resolve("sshd_config");
            Files.writeString(conf, configuration(folder, port, hostKey, passwords, environment));
            sshd = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", conf.toString())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("sshd.log").toFile()))
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start sshd in " + folder, e);
        }
        var host = new SshHost(folder, port, sshd);
        try {
            Awaitility.await("sshd to listen on 127.0.0.1:" + port + "; see " + folder.resolve("sshd.log"))
                    .atMost(READY).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (!sshd.isAlive()) {
                            throw new IllegalStateException("sshd exited with " + sshd.exitValue() + ": "
                                    + Files.readString(folder.resolve("sshd.log")));
                        }
                        return accepts(port);
                    });
            return host;
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
    }

    /** Lets {@code user} log in with the key of {@code publicKeyLine} ({@code <type> <base64> [comment]}). */
    public void authorize(String user, String publicKeyLine) {
        var keys = folder.resolve("authorized_keys").resolve(user);
        try {
            Files.writeString(keys, publicKeyLine.strip() + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot authorize a key for " + user, e);
        }
    }

    public int port() {
        return port;
    }

    /** The server's public host key as {@code <type> <base64>}, the way known_hosts holds it without the host. */
    public String hostKey() {
        try {
            var fields = Files.readString(folder.resolve("ssh_host_ed25519_key.pub")).strip().split("\\s+");
            return fields[0] + " " + fields[1];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends sshd by its PID (SIGTERM, then SIGKILL after 10 s) and waits until it is gone. */
    @Override
    public void close() {
        var process = sshd.toHandle();
        process.destroy();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> !HostProcesses.isRunning(process));
        } catch (ConditionTimeoutException e) {
            HostProcesses.kill(List.of(process), Duration.ofSeconds(10));
        }
    }

    private static String configuration(Path folder, int port, Path hostKey, boolean passwords,
                                        Map<String, String> environment) {
        var setEnv = environment.entrySet().stream().map(entry -> "\"" + entry.getKey() + "=" + entry.getValue()
                + "\"").collect(java.util.stream.Collectors.joining(" "));
        return String.join("\n",
                setEnv.isEmpty() ? "" : "SetEnv " + setEnv,
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "PidFile " + folder.resolve("sshd.pid"),
                "AuthorizedKeysFile " + folder.resolve("authorized_keys") + "/%u",
                "PermitRootLogin prohibit-password",
                "PubkeyAuthentication yes",
                "PasswordAuthentication " + (passwords ? "yes" : "no"),
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                "Subsystem sftp /usr/lib/openssh/sftp-server",
                "");
    }

    private static boolean accepts(int port) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
