package dev.hangar.backend.local;

import dev.hangar.core.spi.BackendException;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The instances' Unix accounts, made by Hangar when it runs as root, as JupyterHub's spawners run each user's server
 * as their own account: {@code hgr-<first 12 hex digits of the compute id>}, a system account with a group of its
 * own, bash as its shell, its home the instance's {@code home/} (which this class does not make), and
 * {@code Hangar instance <compute id>} as its comment, by which the orphan sweep finds it again.
 *
 * <p>An account is Hangar's only when its name and its home are the ones this backend gives that compute: one of
 * that name with another home is never taken over nor removed ({@code InstanceAccountConflict}). Making and removing
 * are idempotent, and serialised in this JVM since {@code useradd} and {@code userdel} lock the account files and fail
 * rather than wait.
 *
 * <p>Not root, Hangar cannot make accounts: every instance runs as Hangar's own ({@link #separate()} is false).
 */
final class InstanceAccounts {
    static final String PREFIX = "hgr-";
    static final String COMMENT = "Hangar instance ";
    static final Path PASSWD = Path.of("/etc/passwd");
    private static final Path USERADD = Path.of("/usr/sbin/useradd");
    private static final Path USERDEL = Path.of("/usr/sbin/userdel");
    /** What making accounts and running as them takes. */
    static final List<Path> TOOLS = List.of(USERADD, USERDEL, ShareGroups.GROUPADD, ShareGroups.USERMOD,
            InstanceAccount.SETPRIV);
    private static final long COMMAND_SECONDS = 60;
    /** Held while the account files are changed, which useradd, userdel, groupadd and usermod lock. */
    static final Object ACCOUNT_FILES = new Object();

    private final boolean separate;
    private final InstanceAccount hangars;

    InstanceAccounts(boolean separate) {
        this.separate = separate;
        this.hangars = new InstanceAccount(System.getProperty("user.name"), id("uid"), id("gid"), false);
    }

    /** Accounts of their own for instances when Hangar runs as root, else none. */
    static InstanceAccounts forThisProcess() {
        return new InstanceAccounts(runsAsRoot());
    }

    static boolean runsAsRoot() {
        return id("uid") == 0;
    }

    /** Hangar's own account. */
    InstanceAccount hangars() {
        return hangars;
    }

    /** Whether each instance runs as an account of its own. */
    boolean separate() {
        return separate;
    }

    static String nameOf(UUID computeId) {
        return PREFIX + computeId.toString().replace("-", "").substring(0, 12);
    }

    /**
     * The instance's account, made when missing; Hangar's own when instances share it.
     *
     * @throws BackendException {@code InstanceAccountConflict} when an account of that name is not this instance's;
     *     {@code InstanceAccountFailed} (retryable) when {@code useradd} fails
     */
    InstanceAccount ensure(InstanceDirectory instance) {
        if (!separate) {
            return hangars;
        }
        synchronized (ACCOUNT_FILES) {
            var found = lookUp(instance);
            if (found.isPresent()) {
                return found.get();
            }
            run(List.of(USERADD.toString(), "--system", "--user-group", "--no-create-home",
                    "--home-dir", instance.home().toString(), "--shell", LocalSessions.SHELL.toString(),
                    "--comment", COMMENT + instance.computeId(), nameOf(instance.computeId())));
            return lookUp(instance).orElseThrow(() -> BackendException.retryable("InstanceAccountFailed",
                    "useradd made no account " + nameOf(instance.computeId()), null));
        }
    }

    /**
     * The account the instance's processes run as: its own, or Hangar's when instances share it.
     *
     * @throws BackendException {@code InstanceAccountMissing} when the instance's own account is gone
     */
    InstanceAccount of(InstanceDirectory instance) {
        if (!separate) {
            return hangars;
        }
        return lookUp(instance).orElseThrow(() -> BackendException.fatal("InstanceAccountMissing", "The account "
                + nameOf(instance.computeId()) + " of compute " + instance.computeId() + " is missing on this host;"
                + " starting the instance makes it again"));
    }

    /** The uid of the instance's own account when there is one and it is Hangar's; nothing looked up otherwise. */
    OptionalInt uidOf(InstanceDirectory instance) {
        if (!separate) {
            return OptionalInt.empty();
        }
        return entries().stream().filter(entry -> isThe(instance, entry)).mapToInt(Entry::uid).findFirst();
    }

    /** Removes the instance's own account and its group; nothing when there is none or it is not Hangar's. */
    void remove(InstanceDirectory instance) {
        if (!separate) {
            return;
        }
        synchronized (ACCOUNT_FILES) {
            if (entries().stream().anyMatch(entry -> isThe(instance, entry))) {
                // --force: a zombie of the account's, where nothing reaps orphans, must not keep it; its processes
                // were all ended before.
                run(List.of(USERDEL.toString(), "--force", nameOf(instance.computeId())));
            }
        }
    }

    /** The compute ids of the accounts this backend made whose home is under {@code instances}. */
    List<UUID> held(Path instances) {
        if (!separate) {
            return List.of();
        }
        var ids = new ArrayList<UUID>();
        for (var entry : entries()) {
            if (entry.name().startsWith(PREFIX) && entry.comment().startsWith(COMMENT)) {
                try {
                    var id = UUID.fromString(entry.comment().substring(COMMENT.length()));
                    if (entry.name().equals(nameOf(id)) && entry.home().equals(InstanceDirectory.of(instances, id)
                            .home().toString())) {
                        ids.add(id);
                    }
                } catch (IllegalArgumentException notOurs) {
                    // Someone else's account that merely looks like one of ours.
                }
            }
        }
        return ids;
    }

    private static boolean isThe(InstanceDirectory instance, Entry entry) {
        return entry.name().equals(nameOf(instance.computeId())) && entry.home().equals(instance.home().toString());
    }

    private Optional<InstanceAccount> lookUp(InstanceDirectory instance) {
        var name = nameOf(instance.computeId());
        for (var entry : entries()) {
            if (entry.name().equals(name)) {
                if (!entry.home().equals(instance.home().toString())) {
                    throw BackendException.fatal("InstanceAccountConflict", "The account " + name + " of this host"
                            + " has the home " + entry.home() + ", not " + instance.home() + ": it is not compute "
                            + instance.computeId() + "'s, so Hangar neither uses nor removes it");
                }
                return Optional.of(new InstanceAccount(name, entry.uid(), entry.gid(), true));
            }
        }
        return Optional.empty();
    }

    /** The entries of {@code /etc/passwd}, where {@code useradd} writes. */
    private static List<Entry> entries() {
        try {
            return Files.readAllLines(PASSWD, StandardCharsets.UTF_8).stream().map(line -> line.split(":", -1))
                    .filter(fields -> fields.length >= 7)
                    .map(fields -> new Entry(fields[0], Integer.parseInt(fields[2]), Integer.parseInt(fields[3]),
                            fields[4], fields[5]))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + PASSWD, e);
        } catch (NumberFormatException e) {
            throw new UncheckedIOException(new IOException(PASSWD + " has an entry that is not a number: " + e));
        }
    }

    /**
     * Runs {@code command} as the account in {@code directory}, with the instance's clean environment, and waits for
     * it: for what Hangar does in an instance's home on its behalf.
     *
     * @throws BackendException {@code InstanceCommandFailed} (retryable) naming what it said when it fails
     */
    static void runAs(InstanceAccount account, Path directory, List<String> command) {
        run(account.command(command), directory, "InstanceCommandFailed");
    }

    static void run(List<String> command) {
        run(command, null, "InstanceAccountFailed");
    }

    private static void run(List<String> command, Path directory, String code) {
        try {
            var output = Files.createTempFile("hangar-account", ".log");
            try {
                var builder = new ProcessBuilder(command).directory(directory == null ? null : directory.toFile())
                        .redirectErrorStream(true)
                        .redirectInput(new File("/dev/null")).redirectOutput(output.toFile());
                builder.environment().keySet().removeIf(key -> !key.equals("PATH") && !key.equals("LANG"));
                var process = builder.start();
                if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw BackendException.retryable(code, String.join(" ", command)
                            + " did not end within " + COMMAND_SECONDS + " s", null);
                }
                if (process.exitValue() != 0) {
                    throw BackendException.retryable(code, String.join(" ", command)
                            + " exited with " + process.exitValue() + ": " + LogTail.of(output, 5).strip(), null);
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BackendException.retryable("Interrupted", "Interrupted while running " + command.getFirst(), e);
        }
    }

    private static int id(String attribute) {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:" + attribute);
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    private record Entry(String name, int uid, int gid, String comment, String home) {
    }
}
