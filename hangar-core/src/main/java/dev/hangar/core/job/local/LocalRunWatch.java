package dev.hangar.core.job.local;

import dev.hangar.core.compute.ComputeError;
import dev.hangar.core.job.Job;
import dev.hangar.core.job.JobFiles;
import dev.hangar.core.job.JobMoves;
import dev.hangar.core.job.JobStatus;
import dev.hangar.core.job.TargetKind;
import dev.hangar.core.reconcile.PeriodicLook;
import dev.hangar.core.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;

/**
 * Ends the local runs whose CLI vanished: one that has not reported for {@link LocalRunSettings#reportTimeout()}
 * ends Failed ({@code LocalRunLost}), or Canceled when a cancel was asked for. A run reported nothing while this
 * server was down either, so time counts from this watch's start at the earliest: a restart ends no run whose CLI
 * still reports.
 */
public final class LocalRunWatch implements AutoCloseable {
    private static final EnumSet<JobStatus> OPEN = EnumSet.of(JobStatus.Queued, JobStatus.Starting,
            JobStatus.Running, JobStatus.CancelRequested);

    private final Store store;
    private final LocalLog log;
    private final JobMoves moves;
    private final Clock clock;
    private final Duration timeout;
    private final PeriodicLook looks;
    private volatile Instant since;

    public LocalRunWatch(Store store, JobFiles files, Clock clock, LocalRunSettings settings) {
        this.store = store;
        this.log = new LocalLog(files, clock);
        this.moves = new JobMoves(store, clock);
        this.clock = clock;
        this.timeout = settings.reportTimeout();
        this.looks = new PeriodicLook("hangar-local-runs", settings.checkInterval(), this::look);
    }

    public void start() {
        since = clock.instant();
        looks.start();
    }

    /** Ends the local runs that have not reported for too long. */
    void look() {
        var now = clock.instant();
        var open = store.read(tx -> tx.jobsInStatus(OPEN)).stream()
                .filter(job -> job.target() == TargetKind.Local).toList();
        for (var job : open) {
            var last = log.lastReport(job.id()).orElse(job.createdOn());
            if (last.isBefore(since)) {
                last = since;
            }
            if (Duration.between(last, now).compareTo(timeout) > 0) {
                lost(job, now);
            }
        }
    }

    private void lost(Job job, Instant now) {
        var why = "No report from its submitter's hangar CLI for " + timeout.toSeconds() + " s: the CLI was ended"
                + " or lost its connection, and what it ran may still run on that machine.";
        moves.move(job.id(), current -> {
            if (current.status().isTerminal()) {
                return current;
            }
            return current.status() == JobStatus.CancelRequested
                    ? current.end(JobStatus.Canceled, now, null, ComputeError.of("JobCanceled", why))
                    : current.end(JobStatus.Failed, now, null, ComputeError.of("LocalRunLost", why));
        }, "its submitter's hangar CLI stopped reporting");
    }

    @Override
    public void close() {
        looks.close();
    }
}
