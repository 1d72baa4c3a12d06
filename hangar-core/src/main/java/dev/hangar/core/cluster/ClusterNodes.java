package dev.hangar.core.cluster;

import dev.hangar.core.store.ConcurrentUpdateException;
import dev.hangar.core.store.Store;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * How jobs take and give back a cluster's nodes. A node runs one job at a time: a job claims idle nodes (those
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

    /**
     * {@code count} idle nodes of the cluster, now Running {@code jobId}, all or none: empty when fewer are idle (a job
     * over several nodes starts on all of them at once).
     */
    public List<ClusterNode> claim(UUID clusterId, UUID jobId, int count) {
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                return store.inTransaction(tx -> {
                    var idle = tx.nodes(clusterId).stream().filter(node -> node.state() == NodeState.Idle)
                            .sorted(Comparator.comparing(ClusterNode::since).reversed()).limit(count).toList();
                    if (idle.size() < count) {
                        return List.<ClusterNode>of();
                    }
                    var now = clock.instant();
                    return idle.stream().map(node -> tx.updateNode(node.moveTo(NodeState.Running, jobId, now)))
                            .toList();
                });
            } catch (ConcurrentUpdateException e) {
                // Another job or the scaler took one of those nodes meanwhile: look again.
            }
        }
        return List.of();
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
}
