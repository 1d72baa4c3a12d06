package dev.hangar.core.cluster;

import dev.hangar.core.compute.ComputeCluster;
import dev.hangar.core.compute.ComputeError;
import dev.hangar.core.quota.VmPriority;
import dev.hangar.core.reconcile.Backends;
import dev.hangar.core.reconcile.InstanceContexts;
import dev.hangar.core.reconcile.PeriodicLook;
import dev.hangar.core.spi.Observation;
import dev.hangar.core.store.ConcurrentUpdateException;
import dev.hangar.core.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciler of compute clusters. Every {@code interval}, and at once when woken, it looks at each cluster: it
 * takes in a new one, applies the {@link Autoscaler}'s plan to a running one (nodes are provisioned and removed
 * through the cluster's backend, as instances with no apps, each tagged with its node id), and removes a deleted
 * one's nodes, then its record. A node its backend lost is preempted (low priority; its job is queued again) or
 * unusable (dedicated; its job fails), and replaced. Level-triggered: a node left Preparing or Leaving by a crash is provisioned or removed
 * again (both calls are idempotent), and a node whose provisioning failed is marked Unusable and replaced, with the
 * cluster growing again only after {@code retryDelay}.
 */
public final class ClusterScaler implements AutoCloseable {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(ClusterScaler.class);

    private final Store store;
    private final Backends backends;
    private final InstanceContexts contexts;
    private final ToIntFunction<UUID> waiting;
    private final Runnable nodeIdle;
    private final Clock clock;
    private final Duration callTimeout;
    private final Duration retryDelay;
    /** Nodes with a backend call in flight, which the next looks leave alone. */
    private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();
    /** When a node of each cluster last failed to provision; the cluster grows again after the retry delay. */
    private final Map<UUID, Instant> failedAt = new ConcurrentHashMap<>();
    private final PeriodicLook looks;

    /**
     * @param waiting how many jobs wait in a cluster's queue (by cluster id)
     * @param nodeIdle told when a node became idle, so that a job waiting for it starts at once
     */
    public ClusterScaler(Store store, Backends backends, InstanceContexts contexts, ToIntFunction<UUID> waiting,
                         Runnable nodeIdle, Clock clock, Duration interval, Duration callTimeout,
                         Duration retryDelay) {
        this.store = store;
        this.backends = backends;
        this.contexts = contexts;
        this.waiting = waiting;
        this.nodeIdle = nodeIdle;
        this.clock = clock;
        this.callTimeout = callTimeout;
        this.retryDelay = retryDelay;
        this.looks = new PeriodicLook("hangar-cluster-scaler", interval, this::lookAtClusters);
    }

    public void start() {
        looks.start();
    }

    /** Has the scaler look at every cluster at once. */
    public void wake() {
        looks.wake();
    }

    /** One look at every cluster. */
    void lookAtClusters() {
        for (var cluster : store.read(tx -> tx.allClusters())) {
            try {
                switch (cluster.state()) {
                    case Creating -> takeIn(cluster);
                    case Succeeded -> scale(cluster);
                    case Deleting -> removeAll(cluster);
                }
            } catch (ConcurrentUpdateException e) {
                // Changed meanwhile: the next look sees the change.
                wake();
            } catch (RuntimeException e) {
                LOG.warn("Cannot scale cluster {}: {}", cluster.name(), e.toString());
            }
        }
    }

    /** A new cluster exists once recorded: its create operation succeeds, and its nodes follow at the next look. */
    private void takeIn(ComputeCluster cluster) {
        store.inTransaction(tx -> {
            var now = clock.instant();
            tx.cluster(cluster.id()).filter(latest -> latest.state() == ClusterState.Creating).ifPresent(latest -> {
                tx.updateCluster(latest.withState(ClusterState.Succeeded, now));
                tx.activeOperation(latest.id()).ifPresent(operation -> tx.endOperation(operation.succeeded(now)));
            });
            return null;
        });
        wake();
    }

    private void scale(ComputeCluster cluster) {
        var nodes = lookAtNodes(cluster, store.read(tx -> tx.nodes(cluster.id())));
        // What a crash interrupted is done again.
        nodes.stream().filter(node -> node.state() == NodeState.Preparing).forEach(node -> provision(cluster, node));
        nodes.stream().filter(node -> node.state() == NodeState.Leaving).forEach(node -> remove(cluster, node));
        var now = clock.instant();
        var plan = Autoscaler.plan(cluster.scale(), nodes, waiting.applyAsInt(cluster.id()), now);
        for (var node : plan.remove()) {
            var leaving = moveNode(node, NodeState.Leaving);
            if (leaving != null) {
                remove(cluster, leaving);
            }
        }
        var failed = failedAt.get(cluster.id());
        if (plan.add() > 0 && (failed == null || !now.isBefore(failed.plus(retryDelay)))) {
            for (int i = 0; i < plan.add(); i++) {
                var node = store.inTransaction(tx -> tx.insertNode(ClusterNode.preparing(cluster.id(), now)));
                provision(cluster, node);
            }
        }
    }

    /**
     * Asks the backend about each idle and running node: one it lost (a container removed, a host gone) is preempted
     * when the cluster is low priority (its job goes back to the queue) and unusable when dedicated (its job fails).
     * Returns the nodes as they are after that.
     */
    private List<ClusterNode> lookAtNodes(ComputeCluster cluster, List<ClusterNode> nodes) {
        var now = new java.util.ArrayList<ClusterNode>();
        for (var node : nodes) {
            var settled = node.state() == NodeState.Idle || node.state() == NodeState.Running;
            if (settled && !inFlight.contains(node.id()) && lost(cluster, node)) {
                var to = cluster.vmPriority() == VmPriority.LowPriority ? NodeState.Preempted : NodeState.Unusable;
                var moved = moveNode(node, to);
                if (moved != null) {
                    LOG.info("Node {} of cluster {} is gone from its backend: {}", node.name(), cluster.name(),
                            to.wireName());
                    nodeIdle.run();
                    now.add(moved);
                    continue;
                }
            }
            now.add(node);
        }
        return now;
    }

    /** Whether the backend no longer runs the node; a backend that does not answer loses nothing. */
    private boolean lost(ComputeCluster cluster, ClusterNode node) {
        try {
            return !(call(backends.get(cluster.backend()).observe(contexts.ofNode(cluster, node)))
                    instanceof Observation.Running);
        } catch (Exception e) {
            LOG.debug("Cannot look at node {} of cluster {}: {}", node.name(), cluster.name(), e.toString());
            return false;
        }
    }

    /** Removes every node of a deleted cluster, then its record, and ends its delete operation. */
    private void removeAll(ComputeCluster cluster) {
        var nodes = store.read(tx -> tx.nodes(cluster.id()));
        if (nodes.isEmpty()) {
            store.inTransaction(tx -> {
                var now = clock.instant();
                tx.cluster(cluster.id()).ifPresent(latest -> {
                    var active = tx.activeOperation(latest.id());
                    tx.deleteCompute(latest.id());
                    active.ifPresent(operation -> tx.endOperation(operation.succeeded(now)));
                });
                return null;
            });
            failedAt.remove(cluster.id());
            return;
        }
        for (var node : nodes) {
            var leaving = node.state() == NodeState.Leaving ? node : moveNode(node, NodeState.Leaving);
            if (leaving != null) {
                remove(cluster, leaving);
            }
        }
    }

    /** The node moved to {@code to} if it is still as read; null when it changed meanwhile (a job took it). */
    private ClusterNode moveNode(ClusterNode node, NodeState to) {
        try {
            return store.inTransaction(tx -> tx.updateNode(node.moveTo(to, node.jobId(), clock.instant())));
        } catch (ConcurrentUpdateException e) {
            return null;
        }
    }

    private void provision(ComputeCluster cluster, ClusterNode node) {
        if (!inFlight.add(node.id())) {
            return;
        }
        Thread.ofVirtual().name("node-" + node.name()).start(() -> {
            try {
                call(backends.get(cluster.backend()).provision(contexts.ofNode(cluster, node)));
                update(node.id(), current -> current.state() == NodeState.Preparing
                        ? current.moveTo(NodeState.Idle, null, clock.instant()) : current);
                failedAt.remove(cluster.id());
                if (!cluster.errors().isEmpty()) {
                    recordErrors(cluster, List.of());
                }
                nodeIdle.run();
            } catch (Exception e) {
                LOG.warn("Node {} of cluster {} could not be provisioned: {}", node.name(), cluster.name(),
                        e.toString());
                failedAt.put(cluster.id(), clock.instant());
                update(node.id(), current -> current.state() == NodeState.Preparing
                        ? current.moveTo(NodeState.Unusable, null, clock.instant()) : current);
                recordErrors(cluster, List.of(ComputeError.of("NodeProvisioningFailed", "Node " + node.name()
                        + " could not be provisioned: " + message(e) + ". The cluster tries again after "
                        + retryDelay.toSeconds() + " s.")));
            } finally {
                inFlight.remove(node.id());
                wake();
            }
        });
    }

    private void remove(ComputeCluster cluster, ClusterNode node) {
        if (!inFlight.add(node.id())) {
            return;
        }
        Thread.ofVirtual().name("node-" + node.name()).start(() -> {
            try {
                call(backends.get(cluster.backend()).delete(contexts.ofNode(cluster, node)));
                store.inTransaction(tx -> {
                    tx.deleteNode(node.id());
                    return null;
                });
            } catch (Exception e) {
                // Left Leaving: the next look removes it again.
                LOG.warn("Node {} of cluster {} could not be removed: {}", node.name(), cluster.name(), e.toString());
            } finally {
                inFlight.remove(node.id());
                wake();
            }
        });
    }

    private void update(UUID nodeId, UnaryOperator<ClusterNode> change) {
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                store.inTransaction(tx -> {
                    tx.node(nodeId).ifPresent(node -> {
                        var changed = change.apply(node);
                        if (changed != node) {
                            tx.updateNode(changed);
                        }
                    });
                    return null;
                });
                return;
            } catch (ConcurrentUpdateException e) {
                // Changed meanwhile: apply the change to what it is now.
            }
        }
    }

    private void recordErrors(ComputeCluster cluster, List<ComputeError> errors) {
        try {
            store.inTransaction(tx -> {
                tx.cluster(cluster.id()).ifPresent(latest -> tx.updateCluster(latest.withErrors(errors)));
                return null;
            });
        } catch (ConcurrentUpdateException e) {
            // The cluster changed meanwhile; the error is in the log, and the next failure records it.
        }
    }

    private <T> T call(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    @Override
    public void close() {
        looks.close();
    }
}
