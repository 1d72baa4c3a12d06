package dev.hangar.core.job;

import dev.hangar.archive.TarballException;
import dev.hangar.archive.Tarballs;
import dev.hangar.core.code.CodeService;
import dev.hangar.core.compute.ComputeError;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.InstanceState;
import dev.hangar.core.session.InstanceSessions;
import dev.hangar.core.size.VmSizeCatalog;
import dev.hangar.core.spi.InstanceSession;
import dev.hangar.core.spi.SessionRequest;
import dev.hangar.core.store.ConcurrentUpdateException;
import dev.hangar.core.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs queued jobs: a queue per compute, higher priority first and first submitted first within a priority, a job
 * starting when its compute is Running and has its cores free (an instance runs jobs side by side up to its size's
 * vCPUs). A job is a command session in the instance, through the instance's backend, so it runs in the instance's
 * environment on every backend, in {@code ~/jobs/<name>}:
 * <ol>
 *   <li><b>Preparing</b> (when it names a code snapshot): the snapshot is unpacked there by {@code tar}, fed through
 *   a session's standard input, so it lands as the instance's user on every backend;</li>
 *   <li><b>Starting</b>, <b>Running</b>: its command, its output going to {@link JobFiles};</li>
 *   <li><b>Finalizing</b>: what it left in {@code ./outputs} is packed by {@code tar} in the instance and kept in
 *   {@link JobFiles}, checked as a snapshot is, so it can be downloaded after the instance is gone.</li>
 * </ol>
 * Cancel, and a compute that stops, end the session and with it the job's process tree.
 *
 * <p>After a restart, jobs that were running are recorded Failed ({@code JobInterrupted}), never run again: a job is
 * never lost and never runs twice. One runner per store.
 */
public final class JobRunner implements AutoCloseable {
    static final Duration POLL = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final EnumSet<JobStatus> ACTIVE = EnumSet.of(JobStatus.Preparing, JobStatus.Starting,
            JobStatus.Running, JobStatus.Finalizing, JobStatus.CancelRequested);

    /** The most a job's outputs may hold; beyond it they are not kept, and the job's history says so. */
    public static final Tarballs.Limits OUTPUT_LIMITS = new Tarballs.Limits(2L << 30, 100_000);

    private final Store store;
    private final InstanceSessions sessions;
    private final VmSizeCatalog sizes;
    private final CodeService codes;
    private final JobFiles files;
    private final Clock clock;
    private final Map<UUID, Launched> launched = new ConcurrentHashMap<>();
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean stopped;
    private Thread loop;

    public JobRunner(Store store, InstanceSessions sessions, VmSizeCatalog sizes, CodeService codes, JobFiles files,
                     Clock clock) {
        this.store = store;
        this.sessions = sessions;
        this.sizes = sizes;
        this.codes = codes;
        this.files = files;
        this.clock = clock;
    }

    /** A job this runner started: its compute, its session once open, and why its compute stopped it, if it did. */
    private static final class Launched {
        final UUID computeId;
        volatile InstanceSession session;
        volatile String stoppedBecause;

        Launched(UUID computeId) {
            this.computeId = computeId;
        }
    }

    /** Whether jobs this runner started are running on the compute (its state shows {@code JobRunning}). */
    public boolean runsJobsOn(UUID computeId) {
        return launched.values().stream().anyMatch(job -> job.computeId.equals(computeId));
    }

    /** Ends what a previous run left active, then starts dispatching. */
    public void start() {
        recover();
        loop = Thread.ofPlatform().daemon().name("hangar-jobs").start(this::run);
    }

    /** Tells the runner the queue or a compute changed; it looks at once. */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void run() {
        while (!stopped) {
            try {
                dispatch();
            } catch (RuntimeException e) {
                LOG.warn("Dispatching jobs failed; trying again", e);
            }
            synchronized (signal) {
                if (!woken && !stopped) {
                    try {
                        signal.wait(POLL.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                woken = false;
            }
        }
    }

    private void recover() {
        for (var job : store.read(tx -> tx.jobsInStatus(ACTIVE))) {
            // Its processes may have outlived the Hangar that started them: they must not run on unrecorded.
            endLeftovers(job);
            if (job.status() == JobStatus.CancelRequested) {
                move(job.id(), current -> current.end(JobStatus.Canceled, clock.instant(), null, ComputeError.of(
                        "JobCanceled", "Canceled; Hangar stopped meanwhile.")), "canceled while Hangar stopped");
            } else {
                move(job.id(), current -> current.end(JobStatus.Failed, clock.instant(), null, ComputeError.of(
                        "JobInterrupted", "Hangar stopped while the job ran. It is not run again, so that it never"
                                + " runs twice; submit it again.")), "Hangar stopped while it ran");
            }
        }
    }

    /** One look at the queue: cancels asked for, computes that stopped, and jobs that now fit. */
    void dispatch() {
        var computes = new HashMap<UUID, ComputeInstance>();
        var active = store.read(tx -> tx.jobsInStatus(ACTIVE));
        var used = new HashMap<UUID, Integer>();
        for (var job : active) {
            used.merge(job.computeId(), job.cores(), Integer::sum);
            var mine = launched.get(job.id());
            if (mine == null) {
                continue;
            }
            var compute = computes.computeIfAbsent(job.computeId(),
                    id -> store.read(tx -> tx.compute(id)).orElse(null));
            if (compute == null || compute.state() != InstanceState.Running) {
                mine.stoppedBecause = compute == null ? "its compute was deleted"
                        : "its compute is " + compute.state();
                close(mine);
            } else if (job.status() == JobStatus.CancelRequested) {
                close(mine);
            }
        }
        var blocked = new HashSet<UUID>();
        var queued = new ArrayList<>(store.read(tx -> tx.jobsInStatus(EnumSet.of(JobStatus.Queued))));
        // Higher priority first; the sort is stable, so the order of submission within a priority stays.
        queued.sort(Comparator.comparingInt(Job::priority).reversed());
        for (var job : queued) {
            if (blocked.contains(job.computeId())) {
                continue;
            }
            var compute = computes.computeIfAbsent(job.computeId(),
                    id -> store.read(tx -> tx.compute(id)).orElse(null));
            if (compute == null) {
                move(job.id(), current -> current.end(JobStatus.Failed, clock.instant(), null, ComputeError.of(
                        "ComputeNotFound", "Compute '" + job.computeName() + "' was deleted before the job ran.")),
                        "its compute was deleted");
                continue;
            }
            var capacity = sizes.find(compute.vmSize()).map(size -> size.vCpus()).orElse(1);
            var busy = used.getOrDefault(compute.id(), 0);
            if (compute.state() != InstanceState.Running || busy + job.cores() > capacity) {
                // First in, first out: nothing behind it on this compute jumps the queue.
                blocked.add(compute.id());
                continue;
            }
            var first = job.codeDigest() == null ? JobStatus.Starting : JobStatus.Preparing;
            var starting = move(job.id(), current -> current.status() == JobStatus.Queued
                    ? current.moveTo(first, clock.instant()) : current,
                    (first == JobStatus.Preparing ? "copying its code to " : "starting on ") + compute.name() + " ("
                            + (busy + job.cores()) + " of " + capacity + " cores)");
            if (starting != null && starting.status() == first) {
                used.put(compute.id(), busy + job.cores());
                var mine = new Launched(compute.id());
                launched.put(job.id(), mine);
                Thread.ofVirtual().name("job-" + job.name()).start(() -> execute(starting, compute, mine));
            }
        }
    }

    private void execute(Job job, ComputeInstance compute, Launched mine) {
        try {
            if (job.codeDigest() != null && !prepare(job, compute, mine)) {
                return;
            }
            InstanceSession session;
            try {
                session = sessions.open(compute, new SessionRequest.Command(line(job), null, environment(job)));
            } catch (RuntimeException e) {
                move(job.id(), current -> current.status().isTerminal() ? current : current.end(
                        current.status() == JobStatus.CancelRequested ? JobStatus.Canceled : JobStatus.Failed,
                        clock.instant(), null, ComputeError.of("JobStartFailed", "The job could not start on '"
                                + compute.name() + "': " + e.getMessage())), "could not start");
                return;
            }
            mine.session = session;
            var running = move(job.id(), current -> current.status() == JobStatus.Starting
                    ? current.moveTo(JobStatus.Running, clock.instant()) : current, "running");
            if (running == null || running.status() != JobStatus.Running || mine.stoppedBecause != null) {
                session.close();
            }
            int exit;
            try (var log = files.append(job.id())) {
                var out = Thread.ofVirtual().start(() -> pump(session.output(), log));
                var err = Thread.ofVirtual().start(() -> pump(session.errors(), log));
                exit = session.exitStatus().toCompletableFuture().join();
                out.join();
                err.join();
            }
            session.close();
            // A job is over when its command is: what it started in the background ends with it.
            endLeftovers(job);
            var outputs = finalize(job, compute, mine);
            if (mine.stoppedBecause == null && exit != 0) {
                // The backend may have ended the processes of an instance being stopped before this runner looked.
                var now = store.read(tx -> tx.compute(job.computeId())).orElse(null);
                if (now == null || now.state() != InstanceState.Running) {
                    mine.stoppedBecause = now == null ? "its compute was deleted" : "its compute is " + now.state();
                }
            }
            move(job.id(), current -> {
                var now = clock.instant();
                if (stopped) {
                    return current.end(JobStatus.Failed, now, exit, ComputeError.of("JobInterrupted", "Hangar"
                            + " stopped while the job ran, and ended it. It is not run again; submit it again."));
                }
                if (current.status() == JobStatus.CancelRequested) {
                    return current.end(JobStatus.Canceled, now, exit, ComputeError.of("JobCanceled",
                            "Canceled while it ran; its processes were ended."));
                }
                if (mine.stoppedBecause != null && exit != 0) {
                    return current.end(JobStatus.Failed, now, exit, ComputeError.of("ComputeStopped",
                            "The job was ended because " + mine.stoppedBecause + "."));
                }
                return exit == 0 ? current.end(JobStatus.Completed, now, 0, null)
                        : current.end(JobStatus.Failed, now, exit, ComputeError.of("JobFailed",
                                "The command exited with " + exit + "."));
            }, "ended with exit status " + exit + outputs);
        } catch (IOException | InterruptedException | RuntimeException e) {
            LOG.warn("Job {} failed in Hangar", job.name(), e);
            move(job.id(), current -> current.status().isTerminal() ? current : current.end(JobStatus.Failed,
                    clock.instant(), null, ComputeError.of("JobRunFailed", "Hangar could not run the job: " + e)),
                    "Hangar failed");
        } finally {
            launched.remove(job.id());
            wake();
        }
    }

    /** The job's working folder in the instance, {@code ~/jobs/<name>} with its {@code outputs}, then the command. */
    static String line(Job job) {
        return "mkdir -p " + folder(job) + "/outputs && cd " + folder(job) + " || exit 97\n" + job.command();
    }

    private static String folder(Job job) {
        return "\"$HOME/jobs/" + job.name() + "\"";
    }

    /**
     * Unpacks the job's code snapshot in its folder, then moves it to Starting; false (the job ended) when that
     * failed or the job was canceled meanwhile.
     */
    private boolean prepare(Job job, ComputeInstance compute, Launched mine) throws IOException, InterruptedException {
        var unpack = "mkdir -p " + folder(job) + " && cd " + folder(job) + " && tar -xzf - --no-same-owner";
        int exit;
        var errors = new java.io.ByteArrayOutputStream();
        try (var session = sessions.open(compute, new SessionRequest.Command(unpack, null, environment(job)))) {
            mine.session = session;
            var err = Thread.ofVirtual().start(() -> pump(session.errors(), errors));
            var out = Thread.ofVirtual().start(() -> pump(session.output(), OutputStream.nullOutputStream()));
            try (var input = session.input(); var archive = Files.newInputStream(codes.archive(job.codeDigest()))) {
                archive.transferTo(input);
            } catch (IOException e) {
                // The session ended early (a cancel, or tar refused): its exit status says which.
            }
            exit = session.exitStatus().toCompletableFuture().join();
            out.join();
            err.join();
        } catch (RuntimeException e) {
            exit = -1;
            errors.writeBytes(String.valueOf(e.getMessage()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            mine.session = null;
        }
        var failure = errors.toString(java.nio.charset.StandardCharsets.UTF_8).strip();
        var result = exit;
        var moved = move(job.id(), current -> {
            var now = clock.instant();
            if (current.status() == JobStatus.CancelRequested) {
                return current.end(JobStatus.Canceled, now, null, ComputeError.of("JobCanceled",
                        "Canceled while its code was copied."));
            }
            if (mine.stoppedBecause != null || result != 0) {
                return current.end(JobStatus.Failed, now, null, ComputeError.of("CodePreparationFailed",
                        "The job's code could not be copied to '" + compute.name() + "'"
                                + (mine.stoppedBecause != null ? " because " + mine.stoppedBecause
                                : " (exit status " + result + (failure.isEmpty() ? "" : ": " + failure) + ")")
                                + "."));
            }
            return current.status() == JobStatus.Preparing ? current.moveTo(JobStatus.Starting, now) : current;
        }, "code " + job.codeDigest().substring(0, 12) + " copied" + (result == 0 ? "" : ": exit status " + result));
        return moved != null && moved.status() == JobStatus.Starting;
    }

    /**
     * Copies what the job left in {@code ./outputs} out of its compute, when the compute still runs; returns what
     * its history says of it.
     */
    private String finalize(Job job, ComputeInstance compute, Launched mine) {
        var now = store.read(tx -> tx.compute(job.computeId())).orElse(null);
        if (stopped || mine.stoppedBecause != null || now == null || now.state() != InstanceState.Running) {
            return "; its outputs could not be copied: its compute is not running";
        }
        move(job.id(), current -> current.status() == JobStatus.Running
                ? current.moveTo(JobStatus.Finalizing, clock.instant()) : current, "copying its outputs");
        var target = files.outputs(job.id());
        var raw = target.resolveSibling(target.getFileName() + ".partial");
        var pack = "cd " + folder(job) + " 2>/dev/null && [ -d outputs ] && exec tar -czf - outputs";
        try {
            Files.createDirectories(target.getParent());
            try (var session = sessions.open(compute, new SessionRequest.Command(pack, null, environment(job)));
                 var file = Files.newOutputStream(raw)) {
                mine.session = session;
                var err = Thread.ofVirtual().start(() -> pump(session.errors(), OutputStream.nullOutputStream()));
                pump(session.output(), file);
                session.exitStatus().toCompletableFuture().join();
                err.join();
            } finally {
                mine.session = null;
            }
            if (Files.size(raw) == 0) {
                return "; no outputs";
            }
            Tarballs.Listing listing;
            try (var in = Files.newInputStream(raw); var out = Files.newOutputStream(target)) {
                listing = Tarballs.normalize(in, out, OUTPUT_LIMITS, Tarballs.Others.SKIP);
            }
            if (listing.files() == 0) {
                Files.deleteIfExists(target);
                return "; no outputs";
            }
            return "; outputs kept: " + listing.files() + " files, " + listing.bytes() + " bytes";
        } catch (TarballException e) {
            deleteQuietly(target);
            return "; its outputs were not kept: " + e.getMessage();
        } catch (IOException | RuntimeException | InterruptedException e) {
            deleteQuietly(target);
            LOG.warn("Cannot keep the outputs of job {}", job.name(), e);
            return "; its outputs could not be copied: " + e.getMessage();
        } finally {
            deleteQuietly(raw);
        }
    }

    private static void deleteQuietly(java.nio.file.Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}", file, e);
        }
    }

    static Map<String, String> environment(Job job) {
        var environment = new LinkedHashMap<>(job.environment());
        environment.put("AZUREML_RUN_ID", job.name());
        environment.put("HANGAR_JOB_NAME", job.name());
        environment.put(MARK, job.id().toString());
        return environment;
    }

    /** The variable every process of a job inherits, by which what it left running is found and ended. */
    static final String MARK = "HANGAR_JOB_ID";

    /** Ends whatever processes of the job still run in its compute (background ones, or after a restart). */
    private void endLeftovers(Job job) {
        try {
            store.read(tx -> tx.compute(job.computeId())).ifPresent(compute ->
                    sessions.endProcesses(compute, MARK + "=" + job.id()));
        } catch (RuntimeException e) {
            LOG.warn("Cannot end what job {} left running: {}", job.name(), e.getMessage());
        }
    }

    private static void pump(InputStream from, OutputStream to) {
        var buffer = new byte[8192];
        try (from) {
            int read;
            while ((read = from.read(buffer)) >= 0) {
                synchronized (to) {
                    to.write(buffer, 0, read);
                    to.flush();
                }
            }
        } catch (IOException e) {
            // The session ended: what it wrote so far is kept.
        }
    }

    private static void close(Launched mine) {
        var session = mine.session;
        if (session != null) {
            session.close();
        }
    }

    /** Applies {@code change} to the stored job and records the move; null when the job is gone. */
    private Job move(UUID id, UnaryOperator<Job> change, String reason) {
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                return store.inTransaction(tx -> {
                    var current = tx.job(id).orElse(null);
                    if (current == null) {
                        return null;
                    }
                    var next = change.apply(current);
                    if (next.status() == current.status()) {
                        return current;
                    }
                    var updated = tx.updateJob(next);
                    tx.appendJobTransition(new JobTransition(id, clock.instant(), current.status(), updated.status(),
                            reason));
                    return updated;
                });
            } catch (ConcurrentUpdateException e) {
                // Changed meanwhile (a cancel): apply the change to what it is now.
            }
        }
        throw new IllegalStateException("Job " + id + " kept changing");
    }

    @Override
    public void close() {
        stopped = true;
        wake();
        launched.values().forEach(JobRunner::close);
        if (loop != null) {
            try {
                loop.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
