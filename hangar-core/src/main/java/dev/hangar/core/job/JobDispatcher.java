package dev.hangar.core.job;

import dev.hangar.core.cluster.ClusterNode;
import dev.hangar.core.cluster.ClusterNodes;
import dev.hangar.core.cluster.ClusterState;
import dev.hangar.core.compute.ComputeCluster;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.InstanceState;
import dev.hangar.core.reconcile.InstanceContexts;
import dev.hangar.core.size.VmSizeCatalog;
import dev.hangar.core.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Which waiting job goes next, and where: a job starts when its compute is Running and has room, in its queue's order
 * ({@link JobQueues}), and nothing behind it jumps it. An instance runs jobs side by side up to its size's vCPUs; a
 * cluster runs one job on each node, the job taking idle nodes for it (its {@code ClusterScaler} adds nodes for the
 * jobs that wait). The queue of a compute that is gone fails. Each look also ends the jobs whose compute stopped or
 * whose node went away under them.
 *
 * <p>One thread dispatches: the runner's look.
 */
final class JobDispatcher {
    /** How often the computes jobs run on are looked at, and the queues when nothing wakes the runner sooner. */
    static final Duration POLL = Duration.ofSeconds(1);

    private final Store store;
    private final InstanceContexts contexts;
    private final ClusterNodes nodes;
    private final VmSizeCatalog sizes;
    private final JobQueues queues;
    private final RunningJobs running;
    private final JobLauncher launcher;
    private final RunMoves moves;
    private final Clock clock;
    private volatile boolean stopped;
    private Instant lastLook = Instant.MIN;

    // Nine parts, each narrow: the store and contexts to read computes and reach them, the nodes and sizes that bound
    // what fits, the queues and running jobs it moves jobs between, who runs and records them, and the time.
    JobDispatcher(Store store, InstanceContexts contexts, ClusterNodes nodes, VmSizeCatalog sizes, JobQueues queues,
                  RunningJobs running, JobLauncher launcher, RunMoves moves, Clock clock) {
        this.store = store;
        this.contexts = contexts;
        this.nodes = nodes;
        this.sizes = sizes;
        this.queues = queues;
        this.running = running;
        this.launcher = launcher;
        this.moves = moves;
        this.clock = clock;
    }

    /** Starts nothing more: Hangar is stopping. */
    void stop() {
        stopped = true;
    }

    /** One look at the queues: computes that stopped under their jobs (each {@link #POLL}), and jobs that now fit. */
    void dispatch() {
        var now = clock.instant();
        if (!now.isBefore(lastLook.plus(POLL))) {
            lookAtRunningComputes();
            lastLook = now;
        }
        for (var computeId : queues.computes()) {
            var first = queues.first(computeId);
            if (first != null) {
                dispatch(computeId, first.target());
            }
        }
    }

    /** Starts what fits on one compute, read as the kind its jobs were submitted to. */
    private void dispatch(UUID computeId, TargetKind kind) {
        switch (kind) {
            case Instance -> {
                var compute = store.read(tx -> tx.compute(computeId)).orElse(null);
                if (compute == null) {
                    failQueue(computeId);
                } else if (compute.state() == InstanceState.Running) {
                    startWhatFits(compute);
                }
            }
            case Cluster -> {
                var cluster = store.read(tx -> tx.cluster(computeId)).orElse(null);
                if (cluster == null || cluster.state() == ClusterState.Deleting) {
                    failQueue(computeId);
                } else if (cluster.state() == ClusterState.Succeeded) {
                    startOnNodes(cluster);
                }
            }
            // Not this runner's to run (routing gives them to the engine runner, or to none): let go of them.
            case Attached, Local -> queues.clear(computeId);
        }
    }

    /** One read for every job started: each compute and cluster is read once, however many jobs it runs. */
    private void lookAtRunningComputes() {
        var gone = store.read(tx -> {
            var instances = new HashMap<UUID, Optional<ComputeInstance>>();
            var clusters = new HashMap<UUID, Optional<ComputeCluster>>();
            var reasons = new HashMap<RunningJob, String>();
            for (var mine : running.all()) {
                var why = mine.whyGone(tx, id -> instances.computeIfAbsent(id, tx::compute),
                        id -> clusters.computeIfAbsent(id, tx::cluster));
                if (why != null) {
                    reasons.put(mine, why);
                }
            }
            return reasons;
        });
        gone.forEach(RunningJob::stop);
    }

    private void failQueue(UUID computeId) {
        queues.clear(computeId).forEach(moves::computeGone);
    }

    /** A job taken off an instance's queue, with the cores busy there before it; {@code added}: not running already. */
    private record Fit(Job job, RunningJob mine, int busy, boolean added) {
    }

    /** Starts the compute's queued jobs in order while their cores fit; the first that does not fit stops the rest. */
    private void startWhatFits(ComputeInstance compute) {
        var capacity = sizes.find(compute.vmSize()).map(size -> size.vCpus()).orElse(1);
        while (!stopped) {
            var fit = queues.takeFirst(compute.id(), head -> {
                var busy = running.coresOn(compute.id());
                if (busy + head.cores() > capacity) {
                    // Nothing behind it on this compute jumps the queue.
                    return null;
                }
                var mine = new RunningJob(compute.id(), head.cores(), List.of());
                return new Fit(head, mine, busy, running.add(head.id(), mine));
            });
            if (fit == null) {
                return;
            }
            if (fit.added()) {
                launcher.launch(fit.job(), fit.mine(), List.of(JobPlace.of(contexts, compute)), " ("
                        + (fit.busy() + fit.job().cores()) + " of " + capacity + " cores)");
            }
        }
    }

    /** Starts the cluster's queued jobs in order, each on the idle nodes it takes, while idle nodes remain. */
    private void startOnNodes(ComputeCluster cluster) {
        while (!stopped) {
            var job = queues.first(cluster.id());
            if (job == null) {
                return;
            }
            var taken = nodes.claim(cluster.id(), job.id(), job.instanceCount());
            if (taken.isEmpty()) {
                // The scaler adds nodes for the jobs that wait; each that becomes idle wakes the runner.
                return;
            }
            var nodeIds = taken.stream().map(ClusterNode::id).toList();
            var mine = new RunningJob(cluster.id(), job.cores(), nodeIds);
            var added = queues.takeFirst(cluster.id(), head -> head == job ? running.add(job.id(), mine) : null);
            if (added == null || !added) {
                // Canceled, or taken by a look of its own, meanwhile: the nodes go back.
                nodeIds.forEach(nodeId -> nodes.release(nodeId, job.id()));
                continue;
            }
            var places = taken.stream().map(node -> JobPlace.of(contexts, cluster, node)).toList();
            launcher.launch(job, mine, places, places.size() == 1 ? "" : " and " + (places.size() - 1) + " more nodes");
        }
    }
}
