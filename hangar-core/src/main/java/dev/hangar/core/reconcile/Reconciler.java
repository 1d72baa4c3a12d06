package dev.hangar.core.reconcile;

import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.spi.ComputeBackend;
import dev.hangar.core.spi.HeldInstance;
import dev.hangar.core.store.Store;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciler engine: resumes every compute after a start (finishing operations a crash interrupted), removes
 * what backends hold that no record owns, and looks at every compute again at a fixed interval.
 */
public final class Reconciler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final Store store;
    private final Backends backends;
    private final ReconcileQueue queue;
    private final ReconcilerConfig config;
    private final ScheduledExecutorService resync = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("reconcile-resync").factory());

    public Reconciler(Store store, Backends backends, InstanceReconciler instances, ReconcilerConfig config) {
        this.store = store;
        this.backends = backends;
        this.config = config;
        this.queue = new ReconcileQueue(instances::reconcile);
        instances.attach(queue);
    }

    /** Removes orphans, resumes every compute, then keeps looking at them at the resync interval. */
    public void start() {
        removeOrphans();
        requestAll();
        var every = config.resyncInterval().toMillis();
        resync.scheduleWithFixedDelay(this::resyncOnce, every, every, TimeUnit.MILLISECONDS);
    }

    /** Asks for one compute to be reconciled soon. */
    public void request(UUID computeId) {
        queue.request(computeId);
    }

    /** How many computes are being reconciled or wait to be again, now. */
    public int depth() {
        return queue.depth();
    }

    /** How long the request that has waited longest for its run has waited, now. */
    public java.time.Duration lag() {
        return queue.lag();
    }

    public boolean isBusy(UUID computeId) {
        return queue.isBusy(computeId);
    }

    private void resyncOnce() {
        try {
            removeOrphans();
            requestAll();
        } catch (RuntimeException e) {
            LOG.error("Resync failed", e);
        }
    }

    private void requestAll() {
        store.read(tx -> tx.allComputes()).stream().map(ComputeInstance::id).forEach(queue::request);
    }

    /** Removes what a backend holds for compute ids that no record owns. */
    public void removeOrphans() {
        for (ComputeBackend backend : backends.all()) {
            List<HeldInstance> held;
            try {
                held = backend.held().toCompletableFuture().get(config.backendCallTimeout().toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warn("Could not list what backend {} holds: {}", backend.name(), e.toString());
                continue;
            }
            // A cluster's nodes are held under their own ids.
            var known = new HashSet<UUID>();
            store.read(tx -> {
                tx.allComputes().forEach(compute -> known.add(compute.id()));
                tx.allNodes().forEach(node -> known.add(node.id()));
                return null;
            });
            for (var orphan : held) {
                if (!known.contains(orphan.computeId()) && !queue.isBusy(orphan.computeId())) {
                    LOG.info("Removing orphan {} from backend {}: no compute record owns it", orphan, backend.name());
                    try {
                        backend.remove(orphan).toCompletableFuture().get(config.backendCallTimeout().toMillis(),
                                TimeUnit.MILLISECONDS);
                    } catch (Exception e) {
                        LOG.warn("Could not remove orphan {}: {}", orphan, e.toString());
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        resync.shutdownNow();
        queue.close();
    }
}
