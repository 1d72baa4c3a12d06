package dev.hangar.core.compute;

import dev.hangar.core.cluster.ClusterNode;
import dev.hangar.core.cluster.NodeState;
import dev.hangar.core.operation.Operation;
import java.util.List;

/**
 * A cluster as the API shows it, read in one transaction: its record, its nodes, and its newest lifecycle operation
 * (null before the first).
 *
 * @param targetNodes how many live nodes the cluster is scaling to ({@code targetNodeCount})
 */
public record ClusterView(ComputeCluster cluster, List<ClusterNode> nodes, Operation lastOperation,
                          int targetNodes) implements AnyComputeView {
    public ClusterView {
        nodes = List.copyOf(nodes);
    }

    @Override
    public ComputeCluster compute() {
        return cluster;
    }

    public long count(NodeState state) {
        return nodes.stream().filter(node -> node.state() == state).count();
    }

    /** The live nodes: preparing, idle or running ({@code currentNodeCount}). */
    public int currentNodes() {
        return (int) nodes.stream().filter(node -> node.state().isLive()).count();
    }

    /** Whether nodes are being added or removed ({@code allocationState} Resizing), else Steady. */
    public boolean isResizing() {
        return targetNodes != currentNodes()
                || nodes.stream().anyMatch(node -> node.state() == NodeState.Preparing || node.state() == NodeState.Leaving);
    }

    /** When the nodes last changed, or the cluster was made ({@code allocationStateTransitionTime}). */
    public java.time.Instant allocationChangedOn() {
        return nodes.stream().map(ClusterNode::since).max(java.time.Instant::compareTo)
                .filter(at -> at.isAfter(cluster.createdOn())).orElse(cluster.createdOn());
    }
}
