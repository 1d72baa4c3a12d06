package dev.hangar.server.studio;

import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.job.Job;
import dev.hangar.core.job.JobService;
import dev.hangar.core.job.JobStatus;
import dev.hangar.core.workspace.Workspace;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Reads a page of the job list for one reader, through the job service's own access checks, and turns it into rows;
 * also how a job's times, duration and status look wherever the studio shows them.
 */
final class JobList {
    private static final DateTimeFormatter TIME = StudioTimes.SECOND;

    private final JobService jobs;
    private final Clock clock;

    JobList(JobService jobs, Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
    }

    /** The page: rows in order, how many jobs the query finds in all, and whether the reader may submit one. */
    record Read(List<JobRow> rows, int total, boolean canSubmit) {
        /** What changes when a job joins, leaves or moves in the list (not when one changes status). */
        String membership() {
            return LiveRows.membership(total, rows.stream().map(JobRow::key).toList());
        }
    }

    Read read(User reader, Workspace workspace, JobQuery query) {
        var page = jobs.page(reader, workspace, query.filter(reader), query.skip(), JobQuery.PAGE_SIZE);
        var now = clock.instant();
        var rows = page.rows().stream().map(job -> row(job, workspace, now)).toList();
        return new Read(rows, page.total(), page.grants().allows(Action.JOB_WRITE));
    }

    JobRow row(Job job, Workspace workspace, Instant now) {
        return new JobRow(job.id().toString(), job.name(), job.displayName(), job.status().name(),
                tone(job.status()), job.computeName(), job.createdBy() == null ? "" : job.createdBy().name(),
                time(job.createdOn()), time(job.startedOn()), time(job.endedOn()), duration(job, now),
                path(workspace, job.name()));
    }

    static String path(Workspace workspace, String job) {
        return "/w/" + workspace.name() + "/jobs/" + job;
    }

    /** As the compute list colours states: ended well, under way, waiting or ended otherwise, failed. */
    static String tone(JobStatus status) {
        return switch (status) {
            case Completed -> "ok";
            case Failed -> "failed";
            case NotStarted, Queued, Canceled -> "stopped";
            case Preparing, Starting, Running, Finalizing, CancelRequested -> "busy";
        };
    }

    /** An instant in UTC to the second, or null. */
    static String time(Instant at) {
        return at == null ? null : TIME.format(at);
    }

    /**
     * How long the job ran: to the second once it ended, to the minute while it runs (so that its row changes once
     * a minute, not at every look); null before it started.
     */
    static String duration(Job job, Instant now) {
        if (job.startedOn() == null) {
            return null;
        }
        var ended = job.endedOn() != null;
        var length = Duration.between(job.startedOn(), ended ? job.endedOn() : now);
        if (length.isNegative()) {
            length = Duration.ZERO;
        }
        var hours = length.toHours();
        var minutes = length.toMinutesPart();
        var seconds = length.toSecondsPart();
        if (!ended) {
            return hours > 0 ? "%dh %02dm".formatted(hours, minutes) : minutes > 0 ? minutes + "m" : "<1m";
        }
        return hours > 0 ? "%dh %02dm %02ds".formatted(hours, minutes, seconds)
                : minutes > 0 ? "%dm %02ds".formatted(minutes, seconds) : seconds + "s";
    }
}
