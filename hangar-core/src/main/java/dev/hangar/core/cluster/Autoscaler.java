package dev.hangar.core.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The scaling policy of a compute cluster, a pure function of its settings, its nodes, the jobs waiting for it and
 * the time: a node for every job running or waiting, within the minimum and the maximum; an idle node above what
 * that needs is removed once it has been idle for the idle time, the longest idle first. Nodes above the maximum
 * (after it was lowered) are removed as soon as they are idle, whatever the idle time. Unusable and preempted nodes
 * no longer count, so they are replaced when the scale needs it, and are removed once no job holds them.
 */
public final class Autoscaler {

    private Autoscaler() {
    }

    /**
     * What to do now.
     *
     * @param add how many nodes to add
     * @param remove the nodes to remove
     * @param target how many live nodes the cluster will have once it is done ({@code targetNodeCount})
     */
    public record Plan(int add, List<ClusterNode> remove, int target) {
        public Plan {
            remove = List.copyOf(remove);
        }

        public boolean isEmpty() {
            return add == 0 && remove.isEmpty();
        }
    }

    /** @param waiting how many jobs wait in the cluster's queue */
    public static Plan plan(ScaleSettings scale, List<ClusterNode> nodes, int waiting, Instant now) {
        var live = (int) nodes.stream().filter(node -> node.state().isLive()).count();
        var running = (int) nodes.stream().filter(node -> node.state() == NodeState.Running).count();
        var needed = Math.max(scale.minNodes(), Math.min(scale.maxNodes(), running + waiting));
        var remove = new ArrayList<ClusterNode>();
        // A lost node goes once its job let go of it (went back to the queue, or failed).
        nodes.stream().filter(node -> !node.state().isLive() && node.state() != NodeState.Leaving
                && node.jobId() == null).forEach(remove::add);
        var idle = nodes.stream().filter(node -> node.state() == NodeState.Idle)
                .sorted(Comparator.comparing(ClusterNode::since)).toList();
        int removedLive = 0;
        for (var node : idle) {
            var aboveMax = live - removedLive > scale.maxNodes();
            var idleLongEnough = !node.since().plus(scale.idleTimeBeforeScaleDown()).isAfter(now);
            if (aboveMax || (live - removedLive > needed && idleLongEnough)) {
                remove.add(node);
                removedLive++;
            }
        }
        var add = Math.max(0, needed - live);
        return new Plan(add, remove, live - removedLive + add);
    }
}
