package dev.hangar.core.job;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of a job, with Azure Machine Learning's names, and its one transition table.
 *
 * <pre>
 *  Queued ──► [Preparing] ──► Starting ──► Running ──► Finalizing ──► Completed | Failed
 *    │             │             │            │            │
 *    │             └─────────────┴──► CancelRequested ◄────┘ ──► Canceled (or Completed | Failed when it ended first)
 *    └──► Canceled | Failed (its compute went away)
 * </pre>
 * A job whose low-priority cluster node was preempted before its command ended goes back to Queued from Preparing,
 * Starting or Running, and runs again on another node.
 * Preparing only for a job with code (its snapshot is copied); Finalizing once its command ended (its outputs are
 * copied).
 */
public enum JobStatus {
    NotStarted, Queued, Preparing, Starting, Running, Finalizing, CancelRequested, Completed, Failed, Canceled;

    private static final Set<JobStatus> TERMINAL = EnumSet.of(Completed, Failed, Canceled);
    private static final Set<JobStatus> ACTIVE = EnumSet.of(Preparing, Starting, Running, Finalizing, CancelRequested);

    /** Whether the job is over: nothing moves it again. */
    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }

    /** Whether the job holds its cores on its compute: it was started and has not ended. */
    public boolean isActive() {
        return ACTIVE.contains(this);
    }

    public boolean canMoveTo(JobStatus to) {
        return switch (this) {
            case NotStarted -> to == Queued || to == Canceled;
            case Queued -> to == Preparing || to == Starting || to == Canceled || to == Failed;
            case Preparing -> to == Starting || to == CancelRequested || to == Failed || to == Canceled
                    || to == Queued;
            case Starting -> to == Running || to == CancelRequested || to == Failed || to == Canceled
                    || to == Queued;
            case Running -> to == Finalizing || to == CancelRequested || to == Completed || to == Failed
                    || to == Queued;
            case Finalizing -> to == Completed || to == Failed || to == CancelRequested;
            case CancelRequested -> to == Canceled || to == Completed || to == Failed;
            case Completed, Failed, Canceled -> false;
        };
    }

    public JobStatus moveTo(JobStatus to) {
        if (!canMoveTo(to)) {
            throw new IllegalStateException("A job cannot move from " + this + " to " + to);
        }
        return to;
    }
}
