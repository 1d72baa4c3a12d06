package dev.hangar.core.job;

import dev.hangar.core.cluster.ClusterState;
import dev.hangar.core.cluster.NodeState;
import dev.hangar.core.compute.ComputeCluster;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.InstanceState;
import dev.hangar.core.spi.InstanceSession;
import dev.hangar.core.store.Store;
import dev.hangar.core.store.Transaction;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A job the runner started: its compute and cores (or the cluster nodes it took), its sessions while open, and why it
 * must end, if it must. Its flags are set by other threads (a cancel, a look at its compute) and read by the thread
 * that runs it.
 */
final class RunningJob {
    final UUID computeId;
    final int cores;
    /** The cluster nodes it runs on, rank 0 first; empty on an instance. */
    final List<UUID> nodeIds;
    final List<InstanceSession> sessions = new CopyOnWriteArrayList<>();
    volatile String stoppedBecause;
    volatile boolean canceled;
    /** Its node was preempted: unless it ended first, it goes back to the queue. */
    volatile boolean preempted;
    /** The job as it went back to the queue, once it did. */
    volatile Job requeued;
    /** The rank of a job over several nodes whose command failed first (its cause), or -1. */
    final AtomicInteger firstFailed = new AtomicInteger(-1);

    RunningJob(UUID computeId, int cores, List<UUID> nodeIds) {
        this.computeId = computeId;
        this.cores = cores;
        this.nodeIds = List.copyOf(nodeIds);
    }

    /** Ends its sessions, and with them its commands' process trees. */
    void end() {
        sessions.forEach(InstanceSession::close);
    }

    /** Has it end because its compute no longer runs it. */
    void stop(String why) {
        stoppedBecause = why;
        end();
    }

    /** Why its instance or node no longer runs it, or null while it does; notes a preempted node. */
    String whyGone(Store store) {
        return store.read(tx -> whyGone(tx, tx::compute, tx::cluster));
    }

    /**
     * As {@link #whyGone(Store)}, in a transaction of the caller's, which reads instances and clusters through
     * {@code instances} and {@code clusters} (so that one look reads each once for all its jobs).
     */
    String whyGone(Transaction tx, Function<UUID, Optional<ComputeInstance>> instances,
                   Function<UUID, Optional<ComputeCluster>> clusters) {
        if (nodeIds.isEmpty()) {
            var compute = instances.apply(computeId).orElse(null);
            return compute == null ? "its compute was deleted"
                    : compute.state() != InstanceState.Running ? "its compute is " + compute.state() : null;
        }
        var cluster = clusters.apply(computeId).orElse(null);
        if (cluster == null || cluster.state() == ClusterState.Deleting) {
            return "its cluster was deleted";
        }
        for (var nodeId : nodeIds) {
            var node = tx.node(nodeId).orElse(null);
            if (node != null && node.state() == NodeState.Preempted) {
                preempted = true;
                return "its node " + node.name() + " was preempted";
            }
            if (node != null && node.state() == NodeState.Unusable) {
                return "its node " + node.name() + " was lost";
            }
            if (node == null || node.state() != NodeState.Running) {
                return "its node was removed";
            }
        }
        return null;
    }
}
