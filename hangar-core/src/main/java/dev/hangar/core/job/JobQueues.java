package dev.hangar.core.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The jobs that wait, a queue per compute: higher priority first, and first come first within a priority. Kept in
 * memory (the store stays the record of every job); a job is in at most one queue once, and never while it runs.
 * Thread-safe: one lock guards every queue.
 */
final class JobQueues {
    private static final Comparator<Waiting> ORDER = Comparator.comparingInt((Waiting waiting) ->
            -waiting.job().priority()).thenComparingLong(Waiting::arrival);

    private final Object lock = new Object();
    private final Map<UUID, List<Waiting>> queues = new HashMap<>();
    private final Predicate<UUID> running;
    private long arrivals;

    /** @param running whether a job (by id) runs already, and so is not queued again */
    JobQueues(Predicate<UUID> running) {
        this.running = running;
    }

    /** A queued job and when it reached the queue, which orders it within its priority. */
    private record Waiting(Job job, long arrival) {
    }

    /** Puts the job in its compute's queue, in its place; a job queued or running already is left as it is. */
    void add(Job job) {
        synchronized (lock) {
            var queue = queues.computeIfAbsent(job.computeId(), id -> new ArrayList<>());
            if (running.test(job.id()) || queue.stream().anyMatch(w -> w.job().id().equals(job.id()))) {
                // Submitted while the queue was being loaded: it is there once.
                return;
            }
            var waiting = new Waiting(job, arrivals++);
            int at = queue.size();
            while (at > 0 && ORDER.compare(queue.get(at - 1), waiting) > 0) {
                at--;
            }
            queue.add(at, waiting);
        }
    }

    /** How many jobs wait for each compute that has any, now. */
    Map<UUID, Integer> sizes() {
        synchronized (lock) {
            var sizes = new HashMap<UUID, Integer>();
            queues.forEach((compute, queue) -> {
                if (!queue.isEmpty()) {
                    sizes.put(compute, queue.size());
                }
            });
            return sizes;
        }
    }

    void remove(Job job) {
        synchronized (lock) {
            var queue = queues.get(job.computeId());
            if (queue != null) {
                queue.removeIf(waiting -> waiting.job().id().equals(job.id()));
            }
        }
    }

    /** The computes that have jobs waiting. */
    List<UUID> computes() {
        synchronized (lock) {
            queues.values().removeIf(List::isEmpty);
            return new ArrayList<>(queues.keySet());
        }
    }

    /** How many nodes the jobs waiting for the compute ask for. */
    int nodesWanted(UUID computeId) {
        synchronized (lock) {
            var queue = queues.get(computeId);
            return queue == null ? 0 : queue.stream().mapToInt(waiting -> waiting.job().instanceCount()).sum();
        }
    }

    /** The job first in the compute's queue, or null. */
    Job first(UUID computeId) {
        synchronized (lock) {
            var queue = queues.get(computeId);
            return queue == null || queue.isEmpty() ? null : queue.getFirst().job();
        }
    }

    /**
     * Takes the first job off the compute's queue when {@code claim} claims it, by returning what it made of it (not
     * null). {@code claim} runs under the queues' lock, so that what it records (the job as running) and the job
     * leaving the queue are one step to {@link #add}.
     *
     * @return what {@code claim} returned, or null when the queue is empty or {@code claim} left its first job there
     */
    <T> T takeFirst(UUID computeId, Function<Job, T> claim) {
        synchronized (lock) {
            var queue = queues.get(computeId);
            if (queue == null || queue.isEmpty()) {
                return null;
            }
            var claimed = claim.apply(queue.getFirst().job());
            if (claimed != null) {
                queue.removeFirst();
            }
            return claimed;
        }
    }

    /** Empties the compute's queue; returns the jobs that waited there. */
    List<Job> clear(UUID computeId) {
        synchronized (lock) {
            var gone = queues.remove(computeId);
            return gone == null ? List.of() : gone.stream().map(Waiting::job).toList();
        }
    }
}
