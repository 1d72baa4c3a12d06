package dev.hangar.core.job;

import dev.hangar.core.cluster.ClusterNode;
import dev.hangar.core.cluster.ClusterNodes;
import dev.hangar.core.compute.ComputeError;
import dev.hangar.core.reconcile.InstanceContexts;
import dev.hangar.core.store.Store;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;

/**
 * What the runner does first after a start: jobs a previous run left active are recorded Failed
 * ({@code JobInterrupted}), or Canceled when a cancel was asked for, and never run again, so that a job is never lost
 * and never runs twice; what they left running is ended, and the cluster nodes they held are free again.
 */
final class JobRecovery {
    private static final EnumSet<JobStatus> ACTIVE = EnumSet.of(JobStatus.Preparing, JobStatus.Starting,
            JobStatus.Running, JobStatus.Finalizing, JobStatus.CancelRequested);

    private final Store store;
    private final InstanceContexts contexts;
    private final ClusterNodes nodes;
    private final LeftoverSweeper leftovers;
    private final JobMoves moves;
    private final Clock clock;

    JobRecovery(Store store, InstanceContexts contexts, ClusterNodes nodes, LeftoverSweeper leftovers,
                JobMoves moves, Clock clock) {
        this.store = store;
        this.contexts = contexts;
        this.nodes = nodes;
        this.leftovers = leftovers;
        this.moves = moves;
        this.clock = clock;
    }

    /** Ends what a previous run left active; returns the jobs that wait in the queues, to be queued again. */
    List<Job> recover() {
        var held = store.read(tx -> tx.allNodes()).stream().filter(node -> node.jobId() != null).toList();
        for (var job : mine(store.read(tx -> tx.jobsInStatus(ACTIVE)))) {
            // Its processes may have outlived the Hangar that started them: they must not run on unrecorded. They
            // are on its instance, or on every node it held.
            var hosts = held.stream().filter(node -> node.jobId().equals(job.id())).map(ClusterNode::id).toList();
            (hosts.isEmpty() ? List.of(job.computeId()) : hosts).forEach(hostId ->
                    JobPlace.find(store, contexts, hostId).ifPresent(place -> leftovers.endNow(job, place)));
            var now = clock.instant();
            if (job.status() == JobStatus.CancelRequested) {
                moves.move(job.id(), current -> current.end(JobStatus.Canceled, now, null, ComputeError.of(
                        "JobCanceled", "Canceled; Hangar stopped meanwhile.")), "canceled while Hangar stopped");
            } else {
                moves.move(job.id(), current -> current.end(JobStatus.Failed, now, null, ComputeError.of(
                        "JobInterrupted", "Hangar stopped while the job ran. It is not run again, so that it never"
                                + " runs twice; submit it again.")), "Hangar stopped while it ran");
            }
        }
        // No job runs yet: every node a job held is free again, also one whose job ended just before a crash let it go.
        held.forEach(node -> nodes.release(node.id(), node.jobId()));
        return mine(store.read(tx -> tx.jobsInStatus(EnumSet.of(JobStatus.Queued))));
    }

    /** Those of the jobs this runner runs: not those of attached computes or local runs, which others run. */
    private static List<Job> mine(List<Job> jobs) {
        return jobs.stream().filter(job -> job.target().runByHangar()).toList();
    }
}
