package dev.hangar.core.job.engine;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls made to the engines, each on a virtual thread, and at most {@link #AT_ONCE} at once to one compute's
 * engine: within the sessions one SSH connection gives (OpenSSH's MaxSessions is 10).
 */
final class EngineCalls implements AutoCloseable {
    /** How many of a compute's jobs are submitted or followed (their logs copied, their ends collected) at once. */
    static final int AT_ONCE = 8;

    private static final Logger LOG = LoggerFactory.getLogger(EngineCalls.class);

    private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<UUID, Semaphore> calls = new ConcurrentHashMap<>();

    /** Runs {@code task} on a thread of its own, without bound. */
    Future<?> run(Runnable task) {
        return work.submit(task);
    }

    /** Runs {@code task} on a thread of its own once fewer than {@link #AT_ONCE} calls to the compute's engine run. */
    Future<?> runOn(UUID computeId, Runnable task) {
        var permits = calls.computeIfAbsent(computeId, id -> new Semaphore(AT_ONCE));
        return work.submit(() -> {
            permits.acquireUninterruptibly();
            try {
                task.run();
            } finally {
                permits.release();
            }
        });
    }

    /** Forgets a compute that is detached. */
    void forget(UUID computeId) {
        calls.remove(computeId);
    }

    /** Waits for every task; one that failed is logged. */
    static void awaitAll(List<Future<?>> tasks) {
        for (var task : tasks) {
            try {
                task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                LOG.warn("A look at an attached compute's jobs failed", e.getCause());
            }
        }
    }

    @Override
    public void close() {
        work.shutdownNow();
    }
}
