package dev.hangar.core.reconcile;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs reconciliations so that a resource is never reconciled twice at once. A request for a resource that is being
 * reconciled marks it dirty; it runs once more when the current run ends, however many requests came meanwhile.
 * Each run is on its own virtual thread.
 */
public final class ReconcileQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReconcileQueue.class);

    private final Consumer<UUID> work;
    private final ExecutorService runs = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService delays = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("reconcile-delay").factory());
    private final Map<UUID, Boolean> inFlight = new ConcurrentHashMap<>();
    // When each compute was first asked for and not yet run since (System.nanoTime): what the lag is read from.
    private final Map<UUID, Long> waitingSince = new ConcurrentHashMap<>();

    public ReconcileQueue(Consumer<UUID> work) {
        this.work = work;
    }

    /** Asks for {@code id} to be reconciled soon. Never blocks. */
    public void request(UUID id) {
        waitingSince.putIfAbsent(id, System.nanoTime());
        // One atomic step: either this request starts a run, or it marks the running one dirty. (Checking first and
        // marking after could miss a run that ends in between, and the request would be lost.)
        var starts = new boolean[1];
        inFlight.compute(id, (key, dirty) -> {
            starts[0] = dirty == null;
            return dirty == null ? Boolean.FALSE : Boolean.TRUE;
        });
        if (starts[0]) {
            try {
                runs.execute(() -> run(id));
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                inFlight.remove(id);
            }
        }
    }

    /** Asks for {@code id} to be reconciled after {@code delayMillis}. */
    public void requestLater(UUID id, long delayMillis) {
        if (!delays.isShutdown()) {
            delays.schedule(() -> request(id), delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** How many computes are being reconciled or wait to be again, now. */
    public int depth() {
        return inFlight.size();
    }

    /** How long the request that has waited longest for its run has waited, now; zero when none waits. */
    public Duration lag() {
        var now = System.nanoTime();
        return Duration.ofNanos(waitingSince.values().stream().mapToLong(since -> now - since).max().orElse(0));
    }

    /** Whether a reconciliation of {@code id} is running or waiting to run again. */
    public boolean isBusy(UUID id) {
        return inFlight.containsKey(id);
    }

    private void run(UUID id) {
        while (true) {
            waitingSince.remove(id);
            try {
                work.accept(id);
            } catch (RuntimeException e) {
                LOG.error("Reconciling {} failed", id, e);
            }
            // Leave only if nobody asked again while we ran; otherwise clear the mark and run once more.
            if (inFlight.computeIfPresent(id, (key, dirty) -> dirty ? Boolean.FALSE : null) == null) {
                return;
            }
        }
    }

    @Override
    public void close() {
        delays.shutdownNow();
        runs.shutdownNow();
    }
}
