package dev.hangar.core.job.local;

import dev.hangar.archive.TarballException;
import dev.hangar.archive.Tarballs;
import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.compute.ComputeError;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.job.Job;
import dev.hangar.core.job.JobFiles;
import dev.hangar.core.job.JobMoves;
import dev.hangar.core.job.JobService;
import dev.hangar.core.job.JobStatus;
import dev.hangar.core.job.TargetKind;
import dev.hangar.core.store.Store;
import dev.hangar.core.workspace.Workspace;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

/**
 * Local runs, Azure ML's {@code compute: local}: a job recorded in the workspace like any other, but run by its
 * submitter's {@code hangar} CLI on their own machine. No runner takes it; the CLI reports its moves, its log, its
 * outputs and its end through the calls here, which only the job's submitter (or an administrator) may make. Every
 * report answers the job as it is now, which is how the CLI learns that the job was canceled meanwhile.
 *
 * <p>Thread-safe; blocking (it uses the store and the disk).
 */
public final class LocalRuns {
    /** The states in which a started local run takes reports. */
    private static final EnumSet<JobStatus> STARTED = EnumSet.of(JobStatus.Starting, JobStatus.Running,
            JobStatus.CancelRequested);

    private final Store store;
    private final AccessPolicy access;
    private final JobFiles files;
    private final LocalLog log;
    private final JobMoves moves;
    private final Clock clock;

    public LocalRuns(Store store, AccessPolicy access, JobFiles files, Clock clock) {
        this.store = store;
        this.access = access;
        this.files = files;
        this.log = new LocalLog(files, clock);
        this.moves = new JobMoves(store, clock);
        this.clock = clock;
    }

    /** The job as a report leaves it, and how many bytes of its log the server holds (where the next piece starts). */
    public record Report(Job job, long logLength) {
        /** Whether the CLI is to end the command: the job was canceled (while it ran, or before it started). */
        public boolean cancelRequested() {
            return job.status() == JobStatus.CancelRequested || job.status() == JobStatus.Canceled;
        }
    }

    /** Refuses whoever may not report on the job; routes call it before they read the body. */
    public void requireSubmitter(User caller, Workspace workspace, String name) {
        submitted(caller, workspace, name);
    }

    /** The CLI starts the command: Queued → Starting → Running. Again on a started run, it changes nothing. */
    public Report start(User caller, Workspace workspace, String name) {
        var job = submitted(caller, workspace, name);
        if (job.status() == JobStatus.Queued) {
            var at = clock.instant();
            job = moves.move(job.id(), List.of(
                    new JobMoves.Step(current -> current.status() == JobStatus.Queued
                            ? current.moveTo(JobStatus.Starting, at) : current,
                            "its submitter's hangar CLI took it", at),
                    new JobMoves.Step(current -> current.status() == JobStatus.Starting
                            ? current.moveTo(JobStatus.Running, at) : current,
                            "its command started on its submitter's machine", at)));
        }
        if (job.status().isTerminal()) {
            throw ended(job);
        }
        return new Report(job, log.touch(job.id()));
    }

    /**
     * A piece of the command's output, which starts at byte {@code offset} of the log: appended once, however often
     * it is sent. An empty piece is a report that the command still runs.
     */
    public Report log(User caller, Workspace workspace, String name, long offset, byte[] piece) {
        var job = started(caller, workspace, name);
        return new Report(job, log.append(job.id(), offset, piece));
    }

    /**
     * What the command left in {@code ./outputs}, as a tar.gz of {@code outputs/...}, checked entry by entry as a code
     * upload is and kept whole or not at all; sent again, it replaces the earlier one.
     *
     * @throws ApiException 400 {@code InvalidOutputs}, 413 {@code OutputsTooLarge}
     */
    public Report outputs(User caller, Workspace workspace, String name, InputStream archive) {
        var job = started(caller, workspace, name);
        var target = files.outputs(job.id());
        var checked = target.resolveSibling(".outputs-" + UUID.randomUUID() + ".tar.gz");
        try {
            Files.createDirectories(target.getParent());
            var listing = check(archive, checked);
            if (listing.files() == 0) {
                // Nothing in ./outputs: none kept, as for a job on a compute.
                Files.deleteIfExists(target);
            } else {
                Files.move(checked, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the outputs of job " + job.id(), e);
        } finally {
            try {
                Files.deleteIfExists(checked);
            } catch (IOException e) {
                // a stray file in the job's folder, removed with it
            }
        }
        return new Report(job, log.touch(job.id()));
    }

    /**
     * The command ended with {@code exitCode}: Completed on 0, Failed otherwise, Canceled when a cancel was asked
     * for. Sent again with the same exit code (a retry), it answers the ended job.
     */
    public Report end(User caller, Workspace workspace, String name, int exitCode) {
        var job = submitted(caller, workspace, name);
        if (job.status().isTerminal() && job.exitCode() != null && job.exitCode() == exitCode) {
            return new Report(job, log.length(job.id()));
        }
        if (!STARTED.contains(job.status())) {
            throw job.status().isTerminal() ? ended(job) : notStarted(job);
        }
        var at = clock.instant();
        var ended = moves.move(job.id(), current -> {
            if (current.status().isTerminal()) {
                return current;
            }
            if (current.status() == JobStatus.CancelRequested) {
                return current.end(JobStatus.Canceled, at, exitCode, ComputeError.of("JobCanceled",
                        "Canceled while it ran; its submitter's hangar CLI ended its processes."));
            }
            return exitCode == 0 ? current.end(JobStatus.Completed, at, 0, null)
                    : current.end(JobStatus.Failed, at, exitCode, ComputeError.of("JobFailed",
                            "The command exited with " + exitCode + "."));
        }, "its command exited with " + exitCode + " on its submitter's machine");
        if (ended.exitCode() == null || ended.exitCode() != exitCode) {
            throw ended(ended);
        }
        return new Report(ended, log.length(job.id()));
    }

    /** Writes the checked outputs to {@code into}: only files, inside the folder, within the outputs' limits. */
    private static Tarballs.Listing check(InputStream archive, Path into) throws IOException {
        try (var out = Files.newOutputStream(into)) {
            return Tarballs.normalize(gzipped(archive), out, Tarballs.OUTPUT_LIMITS, Tarballs.Others.REFUSE);
        } catch (TarballException e) {
            throw TarballException.TOO_LARGE.equals(e.code())
                    ? ApiException.tooLarge("OutputsTooLarge", "The outputs are too large. " + e.getMessage(), null)
                    : ApiException.badRequest("InvalidOutputs", "The outputs cannot be kept: " + e.getMessage(), null);
        }
    }

    /** The archive, once its first bytes show it is gzip's: the CLI sends a tar.gz, and a plain tar proves nothing. */
    private static InputStream gzipped(InputStream archive) throws IOException {
        var in = new BufferedInputStream(archive);
        in.mark(2);
        if (in.read() != 0x1f || in.read() != 0x8b) {
            throw ApiException.badRequest("InvalidOutputs", "The outputs are not a tar.gz (gzip's first bytes are"
                    + " missing).", null);
        }
        in.reset();
        return in;
    }

    private Job started(User caller, Workspace workspace, String name) {
        var job = submitted(caller, workspace, name);
        if (job.status().isTerminal()) {
            throw ended(job);
        }
        if (!STARTED.contains(job.status())) {
            throw notStarted(job);
        }
        return job;
    }

    /** The local run {@code name}, for its submitter or an administrator who may write jobs; refused to anyone else. */
    private Job submitted(User caller, Workspace workspace, String name) {
        return store.read(tx -> {
            access.require(access.grants(tx, caller, workspace.id()), Action.JOB_WRITE,
                    JobService.armId(workspace, name));
            var job = tx.findJob(workspace.id(), name == null ? "" : name).orElseThrow(() -> ApiException.notFound(
                    "Job '" + name + "' was not found in workspace '" + workspace.name() + "'."));
            if (job.target() != TargetKind.Local) {
                throw ApiException.badRequest("NotALocalRun", "Job '" + name + "' runs on compute '"
                        + job.computeName() + "', not on its submitter's machine; Hangar reports its moves itself.");
            }
            var submitter = job.createdBy() == null ? null : job.createdBy().objectId();
            if (!caller.admin() && !caller.id().equals(submitter)) {
                throw ApiException.forbidden("NotJobSubmitter", "Job '" + name + "' is a local run of "
                        + (job.createdBy() == null ? "another user" : job.createdBy().name()) + "; only they (or an"
                        + " administrator) report how it runs.");
            }
            return job;
        });
    }

    private static ApiException ended(Job job) {
        return ApiException.conflict("LocalRunEnded", "Job '" + job.name() + "' is " + job.status()
                + (job.error() == null ? "" : " (" + job.error().message() + ")") + "; it takes no more reports.");
    }

    private static ApiException notStarted(Job job) {
        return ApiException.conflict("LocalRunNotStarted", "Job '" + job.name() + "' is " + job.status()
                + "; report its start first.");
    }
}
