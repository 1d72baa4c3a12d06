package dev.hangar.backend.local;

import dev.hangar.backend.local.RunRecord.AppProcess;
import dev.hangar.core.spi.BackendException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * Finds and ends the processes of an instance. Every process the backend starts carries {@value #TAG} in its
 * environment, and children inherit it: Jupyter's kernels (which run in sessions of their own), terminal shells and
 * whatever a user leaves running in the background, even once it is re-parented. An instance with an account of its
 * own also owns every process of that account, even one started with an emptied environment. Hangar, as root, reads
 * every account's {@code /proc/<pid>/environ} and signals its processes. Reads {@code /proc}: Linux only.
 */
final class InstanceProcesses {
    static final String TAG = "HANGAR_COMPUTE_ID";

    private static final Path PROC = Path.of("/proc");
    private static final Duration LEFTOVER_GRACE = Duration.ofSeconds(2);
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final int ROUNDS = 3;

    private final Duration grace;

    InstanceProcesses(Duration grace) {
        this.grace = grace;
    }

    /** The recorded process if it still runs: the same pid with the same start, so never a reused pid. */
    static Optional<ProcessHandle> live(AppProcess process) {
        return ProcessHandle.of(process.pid())
                .filter(handle -> handle.info().startInstant().map(process::startedAt).orElse(false))
                .filter(InstanceProcesses::alive);
    }

    /** Every live process tagged with this compute id. */
    static List<ProcessHandle> tagged(UUID computeId) {
        return tagged(computeId, OptionalInt.empty());
    }

    /** Every live process tagged with this compute id, or run by the instance's own account ({@code uid}). */
    static List<ProcessHandle> tagged(UUID computeId, OptionalInt uid) {
        var entry = TAG + "=" + computeId;
        var self = ProcessHandle.current().pid();
        return java.util.Arrays.stream(pids())
                .filter(pid -> pid != self && (environmentHas(pid, entry) || uid.isPresent() && uid.getAsInt()
                        == owner(pid)))
                .mapToObj(ProcessHandle::of).flatMap(Optional::stream)
                .filter(InstanceProcesses::alive)
                .toList();
    }

    /**
     * Ends every process of the instance. The apps' main processes get SIGTERM first, so that Jupyter shuts its
     * kernels down and reaps them itself; whatever is left then (a user's background job) gets SIGTERM, and anything
     * still running at the end of the grace period gets SIGKILL. Re-scans, so a process forked meanwhile is ended too.
     *
     * @throws BackendException {@code ProcessStopFailed} (retryable) when a process survives SIGKILL
     */
    void end(UUID computeId, List<AppProcess> mainProcesses, OptionalInt uid) {
        var deadline = Instant.now().plus(grace);
        var roots = mainProcesses.stream().map(InstanceProcesses::live).flatMap(Optional::stream).toList();
        var family = new ArrayList<>(roots);
        roots.forEach(root -> root.descendants().forEach(family::add));
        roots.forEach(ProcessHandle::destroy);
        awaitGone(roots, deadline);
        for (int round = 0; round < ROUNDS; round++) {
            var left = new LinkedHashSet<ProcessHandle>(tagged(computeId, uid));
            family.stream().filter(InstanceProcesses::alive).forEach(left::add);
            if (left.isEmpty()) {
                return;
            }
            left.forEach(ProcessHandle::destroy);
            awaitGone(left, later(deadline, Instant.now().plus(LEFTOVER_GRACE)));
            left.stream().filter(InstanceProcesses::alive).forEach(ProcessHandle::destroyForcibly);
            awaitGone(left, Instant.now().plus(KILL_WAIT));
        }
        var survivors = tagged(computeId, uid);
        if (!survivors.isEmpty()) {
            throw BackendException.retryable("ProcessStopFailed", "Processes of compute " + computeId
                    + " survived SIGKILL: " + survivors.stream().map(ProcessHandle::pid).toList(), null);
        }
    }

    /**
     * Ends the instance's processes whose environment holds one of {@code markers}: SIGTERM, then after the grace
     * period SIGKILL for what is left; re-scans, so a process forked meanwhile is ended too.
     */
    void endMarked(UUID computeId, java.util.Set<String> markers) {
        var entry = TAG + "=" + computeId;
        var self = ProcessHandle.current().pid();
        for (int round = 0; round < ROUNDS; round++) {
            var marked = java.util.Arrays.stream(pids()).filter(pid -> pid != self
                            && environmentHasAll(pid, entry, markers))
                    .mapToObj(ProcessHandle::of).flatMap(Optional::stream).filter(InstanceProcesses::alive).toList();
            if (marked.isEmpty()) {
                return;
            }
            marked.forEach(ProcessHandle::destroy);
            awaitGone(marked, Instant.now().plus(LEFTOVER_GRACE));
            marked.stream().filter(InstanceProcesses::alive).forEach(ProcessHandle::destroyForcibly);
            awaitGone(marked, Instant.now().plus(KILL_WAIT));
        }
    }

    /**
     * Alive and not a zombie: a zombie has ended, and where no init process reaps orphans it would otherwise look
     * alive for ever.
     */
    static boolean alive(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        try {
            var stat = Files.readString(PROC.resolve(handle.pid() + "/stat"));
            var state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether the process's environment holds {@code entry} and one of {@code anyOf}; one read of it. */
    private static boolean environmentHasAll(long pid, String entry, java.util.Set<String> anyOf) {
        var environment = environment(pid);
        return environment.contains("\0" + entry + "\0")
                && anyOf.stream().anyMatch(marker -> environment.contains("\0" + marker + "\0"));
    }

    /** The ids of every process now. */
    private static long[] pids() {
        try (var entries = Files.list(PROC)) {
            return entries.map(path -> path.getFileName().toString())
                    .filter(name -> name.chars().allMatch(Character::isDigit))
                    .mapToLong(Long::parseLong).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + PROC, e);
        }
    }

    /** The process's real owner; -1 when it cannot be read (gone meanwhile). */
    private static int owner(long pid) {
        try {
            return (Integer) Files.getAttribute(PROC.resolve(Long.toString(pid)), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static boolean environmentHas(long pid, String entry) {
        return environment(pid).contains("\0" + entry + "\0");
    }

    /** The process's environment, each entry between NULs; empty when it cannot be read. */
    private static String environment(long pid) {
        try {
            return "\0" + new String(Files.readAllBytes(PROC.resolve(pid + "/environ")), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            // Gone meanwhile, or another user's process: not ours either way.
            return "";
        }
    }

    private static void awaitGone(Collection<ProcessHandle> processes, Instant deadline) {
        while (processes.stream().anyMatch(InstanceProcesses::alive) && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw BackendException.retryable("Interrupted", "Interrupted while ending processes", e);
            }
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
