package dev.hangar.testkit.ssh;

import dev.hangar.testkit.process.Commands;
import dev.hangar.testkit.process.HostAccount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A throw-away "virtual machine" for tests, which must run as root: a folder under /tmp, an account of this host with
 * a home folder of its own in it and a password, and an {@link SshHost} on 127.0.0.1 that takes that password and a
 * client key made for it. {@link #close()} ends sshd and removes the account, its processes and the folder.
 */
public final class SshMachine implements AutoCloseable {
    private final Path folder;
    private final String password = "vm-pass-" + UUID.randomUUID();
    private HostAccount account;
    private SshHost sshd;
    private ClientKey key;

    private SshMachine(Path folder) {
        this.folder = folder;
    }

    /** Makes the machine; its account is named {@code prefix} and eight hex digits. */
    public static SshMachine start(String prefix) {
        Path folder;
        try {
            folder = Files.createTempDirectory(Path.of("/tmp"), "hangar-" + prefix);
            // sshd reads the account's keys as the account: every folder above them must be traversable.
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make a folder for the machine", e);
        }
        var machine = new SshMachine(folder);
        try {
            machine.account = HostAccount.createWithHomeIn(prefix, folder.resolve("home"))
                    .withPassword(machine.password);
            machine.sshd = SshHost.start(folder.resolve("ssh"), true);
            machine.key = ClientKey.generate();
            machine.sshd.authorize(machine.account.name(), machine.key.publicKey());
            return machine;
        } catch (RuntimeException e) {
            machine.close();
            throw e;
        }
    }

    /** A folder of this host for the test's own files, removed with the machine. */
    public Path folder() {
        return folder;
    }

    public SshHost sshd() {
        return sshd;
    }

    public int port() {
        return sshd.port();
    }

    public String hostKey() {
        return sshd.hostKey();
    }

    public String username() {
        return account.name();
    }

    public String password() {
        return password;
    }

    /** The client key the account takes. */
    public ClientKey key() {
        return key;
    }

    /** The account's home folder. */
    public Path home() {
        return account.home();
    }

    /** What the account's home folder holds, by name. */
    public List<String> homeEntries() {
        try (var listing = Files.list(home())) {
            return listing.map(path -> path.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            if (sshd != null) {
                sshd.close();
            }
        } finally {
            try {
                if (account != null) {
                    account.close();
                }
            } finally {
                Commands.run(List.of("rm", "-rf", folder.toString()), Map.of());
            }
        }
    }
}
