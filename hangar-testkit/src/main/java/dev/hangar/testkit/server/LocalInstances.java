package dev.hangar.testkit.server;

import dev.hangar.testkit.process.Commands;
import dev.hangar.testkit.process.HostProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * What the host-process backend of a Hangar data directory holds, seen from outside the server: one directory
 * {@code <data>/backends/local/instances/<computeId>/} per instance, with the user's files in {@code home/}, and the
 * processes tagged with {@value #TAG}{@code =<computeId>} in their environment (Jupyter, its kernels, and whatever they
 * started). The compute id is not on the ARM wire: a test learns it from the directory a create made.
 */
public final class LocalInstances {
    /** The environment entry the backend gives every process of an instance, inherited by their children. */
    public static final String TAG = "HANGAR_COMPUTE_ID";
    private static final Set<String> ACCOUNTS_TO_REMOVE = ConcurrentHashMap.newKeySet();
    private static final Set<String> GROUPS_TO_REMOVE = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();

    private final Path root;

    /** @param data the server's data directory ({@link ServerProcess#data()}) */
    public LocalInstances(Path data) {
        this.root = data.resolve("backends").resolve("local").resolve("instances");
    }

    /** The compute ids that have an instance directory now. */
    public Set<UUID> computeIds() {
        if (!Files.isDirectory(root)) {
            return Set.of();
        }
        try (var entries = Files.list(root)) {
            return entries.map(path -> path.getFileName().toString())
                    .filter(name -> name.matches("\\p{XDigit}{8}(-\\p{XDigit}{4}){3}-\\p{XDigit}{12}"))
                    .map(UUID::fromString)
                    .collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every entry of the instances directory now: an instance a delete left behind shows here. */
    public List<Path> directories() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (var entries = Files.list(root)) {
            return entries.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every process whose command line names a path under this data directory's instances (Jupyter, kernels), whatever
     * compute it belongs to: what must be gone once no instance runs.
     */
    public List<ProcessHandle> processes() {
        var marker = root.toString();
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().map(line -> line.contains(marker)).orElse(false))
                .toList();
    }

    /** The instance's home directory, kept by stop and removed by delete. */
    public Path home(UUID computeId) {
        return root.resolve(computeId.toString()).resolve("home");
    }

    /** The live processes of the instance (zombies excluded). */
    public List<ProcessHandle> processes(UUID computeId) {
        return HostProcesses.withEnvironment(TAG, computeId.toString());
    }

    /**
     * What an instance's user is called on this host, as a pattern: its own account {@code hgr-<12 hex digits>} when
     * the tests (and so the server) run as root, else the tests' own account, which every instance then shares.
     */
    public static String userPattern() {
        try {
            var root = Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
            return root ? "hgr-\\p{XDigit}{12}" : java.util.regex.Pattern.quote(System.getProperty("user.name"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The Unix accounts the backend made for this data directory's instances (when the server ran as root): each
     * {@code hgr-...} account whose home is under it, from {@code /etc/passwd}.
     */
    public List<String> accounts() {
        try {
            var homes = root.toAbsolutePath() + "/";
            return Files.readAllLines(Path.of("/etc/passwd")).stream().map(line -> line.split(":", -1))
                    .filter(fields -> fields.length >= 7 && fields[0].startsWith("hgr-") && fields[5].startsWith(homes))
                    .map(fields -> fields[0]).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The groups of the workspaces whose shares are in this data directory, {@code hgw-<12 hex of the id>}. */
    public List<String> workspaceGroups() {
        var files = root.getParent().getParent().getParent().resolve("files");
        if (!Files.isDirectory(files)) {
            return List.of();
        }
        try (var entries = Files.list(files)) {
            return entries.map(path -> path.getFileName().toString())
                    .filter(name -> name.matches("\\p{XDigit}{8}(-\\p{XDigit}{4}){3}-\\p{XDigit}{12}"))
                    .map(name -> "hgw-" + name.replace("-", "").substring(0, 12)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Removes, when this JVM ends, the accounts and workspace groups the server made for this data directory until
     * now (what a server started on it later makes is noted when that one closes): a test's data directory is gone by
     * then, and the host keeps no account of it. Their processes are SIGKILLed first.
     */
    public static void removeAccountsAtExit(Path data) {
        var instances = new LocalInstances(data);
        ACCOUNTS_TO_REMOVE.addAll(instances.accounts());
        GROUPS_TO_REMOVE.addAll(instances.workspaceGroups());
        if (HOOKED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(LocalInstances::removeNoted, "remove-instance-accounts"));
        }
    }

    private static void removeNoted() {
        for (var account : ACCOUNTS_TO_REMOVE) {
            Commands.run(List.of("pkill", "-KILL", "-u", account), Map.of());
            Commands.run(List.of("userdel", "--force", account), Map.of());
        }
        for (var group : GROUPS_TO_REMOVE) {
            Commands.run(List.of("groupdel", group), Map.of());
        }
    }

    /** SIGKILLs every process of these instances and waits until none runs: the clean-up after a failed test. */
    public void kill(Collection<UUID> computeIds, Duration atMost) {
        HostProcesses.kill(computeIds.stream().flatMap(id -> processes(id).stream()).toList(), atMost);
    }
}
