package dev.hangar.core.job;

import dev.hangar.core.compute.ComputeError;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.store.Store;
import java.time.Clock;
import java.util.ArrayList;
import java.util.function.BooleanSupplier;

/**
 * The status moves of a job the runner takes off its queue, each recorded with its reason ({@link JobMoves}): its
 * start (Preparing or Starting), Running, and how it ends: <b>Finalizing</b> once its command ended, then Completed,
 * Failed (with the code that says why) or Canceled; or back to the queue when a preempted node ended it before its
 * command did, to run again from the start on another node. A queued job whose compute is gone fails
 * ({@code ComputeNotFound}).
 */
final class RunMoves {
    /** The code of a job whose environment's image the engine does not have. */
    static final String IMAGE_NOT_FOUND = "ImageNotFound";

    private final Store store;
    private final JobWrapper wrapper;
    private final JobMoves moves;
    private final Clock clock;
    private final BooleanSupplier stopping;

    /** @param stopping whether Hangar is stopping, and so ends the jobs it runs */
    RunMoves(Store store, JobWrapper wrapper, JobMoves moves, Clock clock, BooleanSupplier stopping) {
        this.store = store;
        this.wrapper = wrapper;
        this.moves = moves;
        this.clock = clock;
        this.stopping = stopping;
    }

    /**
     * Moves a job just taken off its queue to {@code first}; null (it is not to run) when it is no longer Queued: it
     * was canceled meanwhile.
     */
    Job start(Job job, JobStatus first, String reason) {
        var started = moves.move(job.id(), current -> current.status() == JobStatus.Queued
                ? current.moveTo(first, clock.instant()) : current, reason);
        return started == null || started.status() != first ? null : started;
    }

    /** Moves a job whose commands all started to Running; false when it is not to run on (a cancel meanwhile). */
    boolean running(Job job, String reason) {
        var running = moves.move(job.id(), current -> current.status() == JobStatus.Starting
                ? current.moveTo(JobStatus.Running, clock.instant()) : current, reason);
        return running != null && running.status() == JobStatus.Running;
    }

    /** Fails a job that waited for a compute that is gone. */
    void computeGone(Job job) {
        moves.move(job.id(), current -> current.status() != JobStatus.Queued ? current : current.end(
                JobStatus.Failed, clock.instant(), null, ComputeError.of("ComputeNotFound", "Compute '"
                        + job.computeName() + "' was deleted before the job ran.")), "its compute was deleted");
    }

    /** A command that could not start on {@code where}: Failed, or back to the queue when its node was preempted. */
    void startFailed(Job job, RunningJob mine, String where, RuntimeException e) {
        if (mine.whyGone(store) != null && mine.preempted) {
            requeue(job, mine);
            return;
        }
        // An image the engine does not have keeps its own code: users look for it.
        var code = e instanceof ApiException failure && IMAGE_NOT_FOUND.equals(failure.code())
                ? IMAGE_NOT_FOUND : "JobStartFailed";
        moves.move(job.id(), current -> current.status().isTerminal() ? current : current.end(
                current.status() == JobStatus.CancelRequested ? JobStatus.Canceled : JobStatus.Failed,
                clock.instant(), null, ComputeError.of(code, "The job could not start on '" + where + "': "
                        + e.getMessage())), "could not start");
    }

    /** Hangar itself failed to run the job. */
    void runFailed(Job job, Exception e) {
        moves.move(job.id(), current -> current.status().isTerminal() ? current : current.end(JobStatus.Failed,
                clock.instant(), null, ComputeError.of("JobRunFailed", "Hangar could not run the job: " + e)),
                "Hangar failed");
    }

    /** Puts the job of a preempted node back in the queue, unless it was canceled or ended meanwhile. */
    private void requeue(Job job, RunningJob mine) {
        var moved = moves.move(job.id(), current -> current.status() == JobStatus.CancelRequested
                ? current.end(JobStatus.Canceled, clock.instant(), null, ComputeError.of("JobCanceled",
                        "Canceled while its node was preempted."))
                : current.status().canMoveTo(JobStatus.Queued) ? current.requeue() : current,
                mine.stoppedBecause + "; it waits in the queue to run again");
        if (moved != null && moved.status() == JobStatus.Queued) {
            mine.requeued = moved;
        }
    }

    /**
     * Records how the job ended: Finalizing when its command ended, then its end, in one transaction.
     *
     * @param failedRank the rank whose exit status {@code exit} is, for a job over several nodes; else -1
     */
    void finish(Job job, RunningJob mine, JobWrapper.Ending ending, int exit, int failedRank) {
        if (mine.stoppedBecause == null && exit != 0) {
            // The backend may have ended the processes of an instance being stopped before this runner looked.
            mine.stoppedBecause = mine.whyGone(store);
        }
        var stopped = stopping.getAsBoolean();
        if (mine.preempted && ending.at() == null && !stopped) {
            // Its command did not end: it runs again, from the start, on another node.
            requeue(job, mine);
            return;
        }
        var outputs = wrapper.keepOutputs(job, ending);
        var steps = new ArrayList<JobMoves.Step>();
        if (ending.at() != null) {
            steps.add(new JobMoves.Step(current -> current.status() == JobStatus.Running
                    ? current.moveTo(JobStatus.Finalizing, ending.at()) : current,
                    "its command exited with " + exit, ending.at()));
        }
        var at = clock.instant();
        steps.add(new JobMoves.Step(current -> {
            if (stopping.getAsBoolean()) {
                return current.end(JobStatus.Failed, at, exit, ComputeError.of("JobInterrupted", "Hangar"
                        + " stopped while the job ran, and ended it. It is not run again; submit it again."));
            }
            if (current.status() == JobStatus.CancelRequested) {
                return current.end(JobStatus.Canceled, at, exit, ComputeError.of("JobCanceled",
                        "Canceled while it ran; its processes were ended."));
            }
            if (mine.stoppedBecause != null && exit != 0) {
                return current.end(JobStatus.Failed, at, exit, ComputeError.of("ComputeStopped",
                        "The job was ended because " + mine.stoppedBecause + "."));
            }
            return exit == 0 ? current.end(JobStatus.Completed, at, 0, null)
                    : current.end(JobStatus.Failed, at, exit, ComputeError.of("JobFailed",
                            "The command exited with " + exit + (failedRank < 0 ? "" : " on node rank "
                                    + failedRank) + "."));
        }, "ended with exit status " + exit + "; " + outputs, at));
        moves.move(job.id(), steps);
    }
}
