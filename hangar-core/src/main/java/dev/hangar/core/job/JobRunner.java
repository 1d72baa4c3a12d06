package dev.hangar.core.job;

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
import java.time.Clock;
import java.time.Duration;
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
 * Runs queued jobs: a queue per compute, first submitted first run, a job starting when its compute is Running and
 * has its cores free (an instance runs jobs side by side up to its size's vCPUs). A job is a command session in the
 * instance, through the instance's backend, so it runs in the instance's environment on every backend; its output goes
 * to {@link JobLogs}. Cancel, and a compute that stops, end the session and with it the job's process tree.
 *
 * <p>After a restart, jobs that were running are recorded Failed ({@code JobInterrupted}), never run again: a job is
 * never lost and never runs twice. One runner per store.
 */
public final class JobRunner implements AutoCloseable {
    static final Duration POLL = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final EnumSet<JobStatus> ACTIVE = EnumSet.of(JobStatus.Preparing, JobStatus.Starting,
            JobStatus.Running, JobStatus.Finalizing, JobStatus.CancelRequested);

    private final Store store;
    private final InstanceSessions sessions;
    private final VmSizeCatalog sizes;
    private final JobLogs logs;
    private final Clock clock;
    private final Map<UUID, Launched> launched = new ConcurrentHashMap<>();
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean stopped;
    private Thread loop;

    public JobRunner(Store store, InstanceSessions sessions, VmSizeCatalog sizes, JobLogs logs, Clock clock) {
        this.store = store;
        this.sessions = sessions;
        this.sizes = sizes;
        this.logs = logs;
        this.clock = clock;
    }

    /** A job this runner started: its session once open, and why its compute stopped it, if it did. */
    private static final class Launched {
        volatile InstanceSession session;
        volatile String stoppedBecause;
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
        for (var job : store.read(tx -> tx.jobsInStatus(EnumSet.of(JobStatus.Queued)))) {
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
            var starting = move(job.id(), current -> current.status() == JobStatus.Queued
                    ? current.moveTo(JobStatus.Starting, clock.instant()) : current,
                    "starting on " + compute.name() + " (" + (busy + job.cores()) + " of " + capacity + " cores)");
            if (starting != null && starting.status() == JobStatus.Starting) {
                used.put(compute.id(), busy + job.cores());
                var mine = new Launched();
                launched.put(job.id(), mine);
                Thread.ofVirtual().name("job-" + job.name()).start(() -> execute(starting, compute, mine));
            }
        }
    }

    private void execute(Job job, ComputeInstance compute, Launched mine) {
        try {
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
            try (var log = logs.append(job.id())) {
                var out = Thread.ofVirtual().start(() -> pump(session.output(), log));
                var err = Thread.ofVirtual().start(() -> pump(session.errors(), log));
                exit = session.exitStatus().toCompletableFuture().join();
                out.join();
                err.join();
            }
            session.close();
            // A job is over when its command is: what it started in the background ends with it.
            endLeftovers(job);
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
            }, "ended with exit status " + exit);
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
        var folder = "\"$HOME/jobs/" + job.name() + "\"";
        return "mkdir -p " + folder + "/outputs && cd " + folder + " || exit 97\n" + job.command();
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
