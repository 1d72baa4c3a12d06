package dev.hangar.core.job;

import dev.hangar.core.cluster.ClusterNodes;
import dev.hangar.core.code.CodeService;
import dev.hangar.core.reconcile.InstanceContexts;
import dev.hangar.core.reconcile.PeriodicLook;
import dev.hangar.core.session.InstanceSessions;
import dev.hangar.core.size.VmSizeCatalog;
import dev.hangar.core.store.Store;
import java.time.Clock;
import java.util.UUID;

/**
 * Runs the queued jobs of compute instances and clusters; one runner per store. It puts together the parts, each in a
 * class of its own:
 * <ul>
 *   <li>{@link JobQueues}: the jobs that wait, a queue per compute, in order (priority, then first come). Kept in
 *   memory, loaded from the store at start and told of every submission and cancel by {@link JobService}; the store
 *   stays the record of every job and every move ({@link JobMoves}).</li>
 *   <li>{@link JobDispatcher}: which waiting job starts next on which instance or nodes, and the jobs whose compute
 *   went away under them;</li>
 *   <li>{@link JobLauncher}: a job on its places, through {@link CodeCopier} and {@link JobWrapper}, its moves
 *   recorded by {@link RunMoves};</li>
 *   <li>{@link LeftoverSweeper}: what ended jobs left running;</li>
 *   <li>{@link JobRecovery}: after a restart, jobs that were running are recorded Failed ({@code JobInterrupted}),
 *   never run again: a job is never lost and never runs twice.</li>
 * </ul>
 * Jobs of attached computes are not this runner's: their engines queue and run them, followed by
 * {@link dev.hangar.core.job.engine.EngineJobRunner}.
 */
public final class JobRunner implements JobService.Listener, AutoCloseable {
    private final ClusterNodes nodes;
    private final RunningJobs running = new RunningJobs();
    private final JobQueues queues = new JobQueues(running::contains);
    private final LeftoverSweeper leftovers;
    private final JobRecovery recovery;
    private final JobDispatcher dispatcher;
    private final PeriodicLook looks;
    private volatile boolean stopped;

    public JobRunner(Store store, InstanceSessions sessions, InstanceContexts contexts, ClusterNodes nodes,
                     VmSizeCatalog sizes, CodeService codes, JobFiles files, Clock clock) {
        this.nodes = nodes;
        var moves = new JobMoves(store, clock);
        var wrapper = new JobWrapper(files, clock);
        this.leftovers = new LeftoverSweeper(store, sessions, contexts);
        this.recovery = new JobRecovery(store, contexts, nodes, leftovers, moves, clock);
        var runMoves = new RunMoves(store, wrapper, moves, clock, () -> stopped);
        var launcher = new JobLauncher(sessions, files, wrapper, new CodeCopier(sessions, codes, moves, clock),
                leftovers, runMoves, this::ended);
        this.dispatcher = new JobDispatcher(store, contexts, nodes, sizes, queues, running, launcher, runMoves, clock);
        this.looks = new PeriodicLook("hangar-jobs", JobDispatcher.POLL, dispatcher::dispatch);
    }

    /** Whether jobs this runner started are running on the compute (its state shows {@code JobRunning}). */
    public boolean runsJobsOn(UUID computeId) {
        return running.anyOn(computeId);
    }

    /** How many nodes the jobs in the compute's queue ask for: a cluster's scaler grows it for them. */
    public int waiting(UUID computeId) {
        return queues.nodesWanted(computeId);
    }

    /** How many jobs wait in each queue that has any (by compute id), now. */
    public java.util.Map<UUID, Integer> waitingByCompute() {
        return queues.sizes();
    }

    /** Ends what a previous run left active, loads the queue, then starts dispatching. */
    public void start() {
        recovery.recover().forEach(queues::add);
        looks.start();
        leftovers.start();
    }

    @Override
    public void submitted(Job job) {
        queues.add(job);
        wake();
    }

    @Override
    public void canceled(Job job) {
        if (job.status() == JobStatus.Canceled) {
            queues.remove(job);
        }
        var mine = running.get(job.id());
        if (mine != null) {
            mine.canceled = true;
            mine.end();
        }
        wake();
    }

    /** Has the runner look at its queues at once (a cluster's node became idle). */
    public void wake() {
        looks.wake();
    }

    /** A job launched is over here: its nodes are free, and it waits again when it went back to the queue. */
    private void ended(Job job, RunningJob mine) {
        running.remove(job.id());
        mine.nodeIds.forEach(nodeId -> nodes.release(nodeId, job.id()));
        if (mine.requeued != null) {
            queues.add(mine.requeued);
        }
        wake();
    }

    @Override
    public void close() {
        stopped = true;
        dispatcher.stop();
        running.all().forEach(RunningJob::end);
        looks.close();
        leftovers.close();
    }
}
