package dev.hangar.testkit.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An account of this host made for a test (it must run as root), with bash as its shell: by default without a home
 * folder, so that no login script of the machine's runs for it, or with one the test chose. {@link #allowSudo()} lets
 * it run any command as any account without a password, as a service account of a cluster's login node may.
 * {@link #close()} removes its sudoers file, the account and the home folder made for it (mode 700, owned by it).
 */
public final class HostAccount implements AutoCloseable {
    /** What to install when sudo is missing. */
    public static final String SUDO_INSTALL_HINT = "apt-get install -y --no-install-recommends sudo";
    private static final Path SUDOERS = Path.of("/etc/sudoers.d");

    private final String name;
    private final Path home;
    private Path sudoers;

    private HostAccount(String name, Path home) {
        this.name = name;
        this.home = home;
    }

    /** An account named {@code prefix} and eight hex digits, without a home folder. */
    public static HostAccount create(String prefix) {
        return create(prefix, null);
    }

    /**
     * An account named {@code prefix} and eight hex digits, its home folder made in {@code parent} under its name.
     * {@code parent} and the folders above it must be traversable by others for the account to reach its home.
     */
    public static HostAccount createWithHomeIn(String prefix, Path parent) {
        return create(prefix, parent);
    }

    private static HostAccount create(String prefix, Path parent) {
        var name = prefix + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        var home = parent == null ? null : parent.resolve(name);
        // '*': no password matches, yet the account is not locked ('!'), which sshd would refuse even a key for.
        var command = new ArrayList<>(List.of("useradd", "-M", "-s", "/bin/bash", "-p", "*"));
        if (home != null) {
            command.addAll(List.of("-d", home.toString()));
        }
        command.add(name);
        Commands.run(command, Map.of()).requireSuccess();
        var account = new HostAccount(name, home);
        if (home != null) {
            try {
                Files.createDirectories(parent);
                Files.createDirectory(home);
                Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
                Commands.run(List.of("chown", name + ":", home.toString()), Map.of()).requireSuccess();
            } catch (IOException | RuntimeException e) {
                account.close();
                throw e instanceof IOException io ? new UncheckedIOException("Cannot make " + home, io)
                        : (RuntimeException) e;
            }
        }
        return account;
    }

    /** Sets its password, so that an SSH server taking passwords lets it log in with this one. */
    public HostAccount withPassword(String password) {
        // A test's throw-away password: on the command line of a short-lived process is good enough.
        var hash = Commands.run(List.of("openssl", "passwd", "-6", password), Map.of()).requireSuccess().output()
                .strip();
        Commands.run(List.of("usermod", "-p", hash, name), Map.of()).requireSuccess();
        return this;
    }

    /** Whether sudo is there for {@link #allowSudo()}. */
    public static boolean sudoInstalled() {
        return Files.isExecutable(Path.of("/usr/bin/sudo"));
    }

    public String name() {
        return name;
    }

    /** Its home folder, or null when it has none. */
    public Path home() {
        return home;
    }

    /**
     * Writes a file of its home folder, owned by it: a login script, say.
     *
     * @throws IllegalStateException when it has no home folder
     */
    public HostAccount writeHomeFile(String file, String content) {
        if (home == null) {
            throw new IllegalStateException(name + " has no home folder");
        }
        var path = home.resolve(file);
        try {
            Files.writeString(path, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + path, e);
        }
        Commands.run(List.of("chown", name + ":", path.toString()), Map.of()).requireSuccess();
        return this;
    }

    /** Lets it run any command as any account through {@code sudo -n}: a file of /etc/sudoers.d, checked by visudo. */
    public HostAccount allowSudo() {
        if (!sudoInstalled()) {
            throw new IllegalStateException("sudo is not installed: " + SUDO_INSTALL_HINT);
        }
        // sudo skips files of /etc/sudoers.d whose name has a dot; account names here have none.
        var file = SUDOERS.resolve(name);
        try {
            Files.createDirectories(SUDOERS);
            Files.writeString(file, name + " ALL=(ALL:ALL) NOPASSWD: ALL\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r-----"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        sudoers = file;
        Commands.run(List.of("visudo", "-c", "-q", "-f", file.toString()), Map.of()).requireSuccess();
        return this;
    }

    @Override
    public void close() {
        try {
            if (sudoers != null) {
                Files.deleteIfExists(sudoers);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove " + sudoers, e);
        }
        // Whatever still runs as the account is the test's (it made the account): it ends first, or userdel refuses.
        var left = Commands.run(List.of("ps", "-o", "pid=", "-u", name), Map.of()).output().lines()
                .map(String::strip).filter(pid -> !pid.isEmpty()).toList();
        if (!left.isEmpty()) {
            var kill = new ArrayList<>(List.of("kill", "-KILL"));
            kill.addAll(left);
            Commands.run(kill, Map.of());
            Commands.run(List.of("sh", "-c", "while ps -u \"$1\" >/dev/null; do sleep 0.1; done", "-", name), Map.of());
        }
        Commands.run(List.of("userdel", name), Map.of()).requireSuccess();
        if (home != null) {
            Commands.run(List.of("rm", "-rf", home.toString()), Map.of()).requireSuccess();
        }
    }
}
