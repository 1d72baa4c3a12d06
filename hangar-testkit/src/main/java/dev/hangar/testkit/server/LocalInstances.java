package dev.hangar.testkit.server;

import dev.hangar.testkit.process.HostProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
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

    /** SIGKILLs every process of these instances and waits until none runs: the clean-up after a failed test. */
    public void kill(Collection<UUID> computeIds, Duration atMost) {
        HostProcesses.kill(computeIds.stream().flatMap(id -> processes(id).stream()).toList(), atMost);
    }
}
