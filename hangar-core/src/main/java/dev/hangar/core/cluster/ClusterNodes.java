package dev.hangar.core.cluster;

import dev.hangar.core.store.ConcurrentUpdateException;
import dev.hangar.core.store.Store;
import java.time.Clock;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;

/**
 * How jobs take and give back a cluster's nodes. A node runs one job at a time: a job claims an idle node (the one
 * idle the shortest time, so that the others stay idle and are the first to go when the cluster scales down), and
 * gives it back idle when it ends. Every change is conditional on the node's version, so the scaler can never remove
 * a node a job just took.
 */
public final class ClusterNodes {
    private final Store store;
    private final Clock clock;

    public ClusterNodes(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** An idle node of the cluster, now Running {@code jobId}; empty when none is idle. */
    public Optional<ClusterNode> claim(UUID clusterId, UUID jobId) {
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                return store.inTransaction(tx -> tx.nodes(clusterId).stream()
                        .filter(node -> node.state() == NodeState.Idle)
                        .max(Comparator.comparing(ClusterNode::since))
                        .map(node -> tx.updateNode(node.moveTo(NodeState.Running, jobId, clock.instant()))));
            } catch (ConcurrentUpdateException e) {
                // Another job or the scaler took that node meanwhile: look again.
            }
        }
        return Optional.empty();
    }

    /**
     * Gives the node back, idle from now, if it still runs {@code jobId}; a node lost meanwhile (preempted or
     * unusable) keeps its state and is let go of, so that the scaler may remove it.
     */
    public void release(UUID nodeId, UUID jobId) {
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                store.inTransaction(tx -> {
                    tx.node(nodeId).filter(node -> jobId.equals(node.jobId())).ifPresent(node -> tx.updateNode(
                            node.moveTo(node.state() == NodeState.Running ? NodeState.Idle : node.state(), null,
                                    node.state() == NodeState.Running ? clock.instant() : node.since())));
                    return null;
                });
                return;
            } catch (ConcurrentUpdateException e) {
                // Changed meanwhile (the scaler, or a delete): look again.
            }
        }
    }

    /** The node that runs {@code jobId}, if any. */
    public Optional<ClusterNode> running(UUID jobId) {
        return store.read(tx -> tx.nodeOfJob(jobId));
    }
}
