package dev.hangar.cli;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/** Ends a process and everything it started: SIGTERM to all, then SIGKILL to what is left after a grace period. */
final class ProcessTree {
    static final Duration GRACE = Duration.ofSeconds(5);

    private ProcessTree() {
    }

    /** Ends {@code root} and its descendants, as they are now; returns once they are gone or were killed. */
    static void end(ProcessHandle root) {
        // Listed first: once a parent is gone, its children are no longer its descendants.
        List<ProcessHandle> all = Stream.concat(root.descendants(), Stream.of(root)).toList();
        all.forEach(ProcessHandle::destroy);
        var deadline = System.nanoTime() + GRACE.toNanos();
        for (var process : all) {
            var left = Math.max(0, deadline - System.nanoTime());
            try {
                process.onExit().get(left, java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                all.forEach(ProcessHandle::destroyForcibly);
                return;
            }
        }
    }
}
