package dev.hangar.core.attached;

import dev.hangar.core.code.CodeService;
import dev.hangar.core.compute.ComputeError;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.job.Job;
import dev.hangar.core.job.JobFiles;
import dev.hangar.core.job.JobMoves;
import dev.hangar.core.job.JobService;
import dev.hangar.core.job.JobStatus;
import dev.hangar.core.job.JobTransition;
import dev.hangar.core.reconcile.PeriodicLook;
import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.spi.engine.EngineJob;
import dev.hangar.core.spi.engine.EngineJobRef;
import dev.hangar.core.spi.engine.EngineJobState;
import dev.hangar.core.spi.engine.EngineResult;
import dev.hangar.core.store.ConcurrentUpdateException;
import dev.hangar.core.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the jobs of attached computes: the engine (Slurm) queues and places them, and this runner submits each one,
 * follows it and records what it reports, so that a job on an attached compute has the same states, log and outputs
 * as one on an instance.
 *
 * <ul>
 *   <li><b>Queued</b>: submitted at once (its code snapshot, command and variables, as the account its compute maps the
 *   requester to) and recorded with the engine's id in the transaction that notes the submission; it stays Queued
 *   while the engine's queue holds it.</li>
 *   <li><b>Starting</b>, <b>Running</b>: once the engine runs it; its log is copied from the engine at each look.</li>
 *   <li><b>Finalizing</b>, then <b>Completed</b> or <b>Failed</b> by its exit status, or Failed {@code JobAborted}
 *   when the engine ended it (out of time or memory, a failed node), or <b>Canceled</b>: its outputs are copied, and
 *   its folder on the engine's side removed.</li>
 * </ul>
 * Every compute is looked at once per {@code poll}, with one call for all its jobs' states. A job is submitted under a
 * tag, and a submission is looked for by it before it is made again (after a restart, or a failed attempt): a
 * restarted Hangar follows what was running, and never runs a job twice. While an engine cannot be reached its jobs
 * stay as they are, and the compute's {@code errors} say why, until it answers again.
 */
public final class EngineJobRunner implements JobService.Listener, AutoCloseable {
    /** The most of a job's log copied in one call. */
    static final int LOG_CHUNK = 1 << 20;
    /** How long a submission that failed for a reason that may pass waits before it is tried again. */
    static final Duration RETRY = Duration.ofSeconds(5);
    /**
     * How many of a compute's jobs are submitted or followed (their logs copied, their ends collected) at once: within
     * the sessions one SSH connection gives (OpenSSH's MaxSessions is 10).
     */
    static final int CALLS_AT_ONCE = 8;
    private static final Set<JobStatus> OPEN = EnumSet.complementOf(EnumSet.of(JobStatus.Completed,
            JobStatus.Failed, JobStatus.Canceled));
    private static final Logger LOG = LoggerFactory.getLogger(EngineJobRunner.class);

    private final Store store;
    private final Engines engines;
    private final CodeService codes;
    private final JobFiles files;
    private final Clock clock;
    private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
    /** Jobs being submitted now, and when a submission that failed may be tried again. */
    private final Set<UUID> submitting = ConcurrentHashMap.newKeySet();
    /**
     * Jobs submitted to Hangar since this runner started and not yet tried on their engine: no earlier submission of
     * them can exist, so they are submitted without looking for one first.
     */
    private final Set<UUID> unseen = ConcurrentHashMap.newKeySet();
    private final Map<UUID, Instant> retryAt = new ConcurrentHashMap<>();
    private final Map<UUID, Semaphore> calls = new ConcurrentHashMap<>();
    private final JobMoves moves;
    private final PeriodicLook looks;

    public EngineJobRunner(Store store, Engines engines, CodeService codes, JobFiles files, Clock clock,
                           Duration poll) {
        this.store = store;
        this.engines = engines;
        this.codes = codes;
        this.files = files;
        this.clock = clock;
        this.moves = new JobMoves(store, clock);
        this.looks = new PeriodicLook("hangar-engine-jobs", poll, this::look);
    }

    /**
     * The listener {@link JobService} tells of every submission and cancel: this runner's for jobs of attached
     * computes, {@code others} for the rest.
     */
    public JobService.Listener routing(JobService.Listener others) {
        return new JobService.Listener() {
            @Override
            public void submitted(Job job) {
                (isAttached(job) ? EngineJobRunner.this : others).submitted(job);
            }

            @Override
            public void canceled(Job job) {
                (isAttached(job) ? EngineJobRunner.this : others).canceled(job);
            }

            private boolean isAttached(Job job) {
                return store.read(tx -> tx.attached(job.computeId())).isPresent();
            }
        };
    }

    public void start() {
        looks.start();
    }

    @Override
    public void submitted(Job job) {
        unseen.add(job.id());
        wake();
    }

    @Override
    public void canceled(Job job) {
        work.submit(() -> {
            try {
                var held = store.read(tx -> tx.engineJobs(List.of(job.id())).get(job.id()));
                var compute = store.read(tx -> tx.attached(job.computeId())).orElse(null);
                if (held != null && compute != null) {
                    var engine = engines.of(compute);
                    engine.cancel(held);
                    if (job.status().isTerminal()) {
                        // Canceled while the engine's queue held it: it never ran, and nothing follows it any more.
                        engine.clean(held);
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("Cannot cancel job {} on its engine yet; the next look tries again", job.name(), e);
            }
            wake();
        });
    }

    private void wake() {
        looks.wake();
    }

    /** One look: every open job of every attached compute, its compute's engine asked once for all of them. */
    void look() {
        record Open(AttachedCompute compute, List<Job> jobs, Map<UUID, EngineJobRef> held) {
        }
        var open = store.read(tx -> {
            var computes = new HashMap<UUID, AttachedCompute>();
            tx.allAttached().forEach(compute -> computes.put(compute.id(), compute));
            var jobs = tx.jobsInStatus(OPEN).stream().filter(job -> computes.containsKey(job.computeId())).toList();
            var held = tx.engineJobs(jobs.stream().map(Job::id).toList());
            var byCompute = new LinkedHashMap<UUID, Open>();
            for (var job : jobs) {
                byCompute.computeIfAbsent(job.computeId(), id -> new Open(computes.get(id), new ArrayList<>(),
                        held)).jobs().add(job);
            }
            return List.copyOf(byCompute.values());
        });
        var looks = new ArrayList<Future<?>>();
        for (var each : open) {
            looks.add(work.submit(() -> look(each.compute(), each.jobs(), each.held())));
        }
        awaitAll(looks);
    }

    private void look(AttachedCompute compute, List<Job> jobs, Map<UUID, EngineJobRef> held) {
        var now = clock.instant();
        var followed = new LinkedHashMap<Job, EngineJobRef>();
        for (var job : jobs) {
            var ref = held.get(job.id());
            if (ref != null) {
                followed.put(job, ref);
            } else if (!submitting.contains(job.id()) && !now.isBefore(retryAt.getOrDefault(job.id(), Instant.MIN))) {
                if (job.status() == JobStatus.Queued) {
                    submitting.add(job.id());
                    work.submit(() -> submit(compute, job));
                } else {
                    // Canceled while it was being submitted by a Hangar that stopped before it recorded the engine's id.
                    move(job.id(), current -> current.status().isTerminal() ? current : current.end(JobStatus.Canceled,
                            clock.instant(), null, ComputeError.of("JobCanceled", "Canceled before it was submitted.")),
                            "canceled before it was submitted to " + compute.kind());
                }
            }
        }
        if (followed.isEmpty()) {
            return;
        }
        Map<String, EngineJobState> states;
        try {
            states = engines.of(compute).states(followed.values());
            reachable(compute);
        } catch (EngineException e) {
            unreachable(compute, e);
            return;
        }
        // Jobs that started or ended are followed side by side, a few at a time: each costs the engine a few calls.
        var permits = callsTo(compute);
        var follows = new ArrayList<Future<?>>();
        followed.forEach((job, ref) -> {
            var state = states.get(ref.engineId());
            if (state != null && state.phase() == EngineJobState.Phase.Pending) {
                return;
            }
            follows.add(work.submit(() -> {
                permits.acquireUninterruptibly();
                try {
                    follow(compute, job, ref, state);
                } catch (EngineException e) {
                    unreachable(compute, e);
                } catch (RuntimeException e) {
                    LOG.warn("Following job {} on {} failed; the next look tries again", job.name(), compute.name(),
                            e);
                } finally {
                    permits.release();
                }
            }));
        });
        awaitAll(follows);
    }

    private static void awaitAll(List<Future<?>> tasks) {
        for (var task : tasks) {
            try {
                task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                LOG.warn("A look at an attached compute's jobs failed", e.getCause());
            }
        }
    }

    /** Submits a queued job, unless an earlier submission of it is found, and records the engine's id. */
    private void submit(AttachedCompute compute, Job job) {
        var permits = callsTo(compute);
        permits.acquireUninterruptibly();
        try {
            var runAs = compute.runAs(job.createdBy());
            var engine = engines.of(compute);
            var tag = "hangar-" + job.id();
            var ref = unseen.remove(job.id()) ? null : engine.find(tag, runAs).orElse(null);
            var found = ref != null;
            if (ref == null) {
                ref = engine.submit(new EngineJob(job.id(), job.name(), tag, job.command(), environment(job),
                        job.codeDigest() == null ? null : codes.archive(job.codeDigest()), job.cores(),
                        job.instanceCount(), runAs, job.image() != null && job.image().inContainer()
                        ? job.image().reference() : null));
            }
            reachable(compute);
            var submitted = ref;
            var recorded = store.inTransaction(tx -> {
                var current = tx.job(job.id()).orElse(null);
                if (current == null) {
                    return null;
                }
                tx.insertEngineJob(job.id(), submitted, clock.instant());
                if (current.status() == JobStatus.Queued) {
                    tx.appendJobTransition(new JobTransition(job.id(), clock.instant(), JobStatus.Queued,
                            JobStatus.Queued, (found ? "found submitted to " : "submitted to ") + compute.kind()
                                    + " as job " + submitted.engineId() + (compute.engine() == null
                                    || compute.engine().partition() == null ? ""
                                    : " in partition " + compute.engine().partition())
                                    + (runAs == null ? "" : ", as " + runAs) + "; it waits in " + compute.kind()
                                    + "'s queue"));
                }
                return current;
            });
            retryAt.remove(job.id());
            if (recorded == null || recorded.status() != JobStatus.Queued) {
                // Canceled while it was being submitted.
                engine.cancel(submitted);
            }
        } catch (ApiException e) {
            fail(job, e.code(), e.getMessage());
        } catch (EngineException e) {
            if (e.retryable()) {
                unreachable(compute, e);
                retryAt.put(job.id(), clock.instant().plus(RETRY));
            } else {
                fail(job, e.code(), compute.kind() + " refused the job: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.warn("Submitting job {} to {} failed; trying again", job.name(), compute.name(), e);
            retryAt.put(job.id(), clock.instant().plus(RETRY));
        } finally {
            permits.release();
            submitting.remove(job.id());
        }
    }

    /** What bounds the calls made to a compute's engine at once. */
    private Semaphore callsTo(AttachedCompute compute) {
        return calls.computeIfAbsent(compute.id(), id -> new Semaphore(CALLS_AT_ONCE));
    }

    private void fail(Job job, String code, String message) {
        move(job.id(), current -> current.status().isTerminal() ? current
                : current.end(current.status() == JobStatus.CancelRequested ? JobStatus.Canceled : JobStatus.Failed,
                        clock.instant(), null, ComputeError.of(code, message)), message);
    }

    /** Records what the engine reports of a job: a start, or an end with its log, exit status and outputs. */
    private void follow(AttachedCompute compute, Job job, EngineJobRef ref, EngineJobState state) {
        var engine = engines.of(compute);
        var phase = state == null ? null : state.phase();
        if (phase == EngineJobState.Phase.Pending) {
            return;
        }
        if (phase == EngineJobState.Phase.Running) {
            if (job.status() == JobStatus.Queued) {
                var at = clock.instant();
                move(job.id(), List.of(
                        new JobMoves.Step(current -> current.status() == JobStatus.Queued
                                ? current.moveTo(JobStatus.Starting, at) : current,
                                compute.kind() + " placed it" + (state.nodes() == null ? "" : " on " + state.nodes()), at),
                        new JobMoves.Step(current -> current.status() == JobStatus.Starting
                                ? current.moveTo(JobStatus.Running, at) : current, "its command runs", at)));
            }
            copyLog(engine, job, ref);
            return;
        }
        copyLog(engine, job, ref);
        var packed = files.outputs(job.id()).resolveSibling(JobFiles.OUTPUTS + ".engine");
        EngineResult result;
        try {
            Files.createDirectories(packed.getParent());
            result = engine.collect(ref, packed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var outputs = result.outputs() ? files.keepOutputs(job.id(), packed) : "no outputs";
        var at = clock.instant();
        var kind = compute.kind();
        var engineId = ref.engineId();
        UnaryOperator<Job> end = current -> {
            if (current.status() == JobStatus.CancelRequested) {
                return current.end(JobStatus.Canceled, at, result.exitCode(), ComputeError.of("JobCanceled",
                        "Canceled while it ran; " + kind + " ended it."));
            }
            if (phase == EngineJobState.Phase.Canceled) {
                return current.end(JobStatus.Canceled, at, result.exitCode(), ComputeError.of("JobCanceled",
                        kind + " canceled job " + engineId + " (" + state.state() + "), not Hangar."));
            }
            if (phase == EngineJobState.Phase.Aborted) {
                return current.end(JobStatus.Failed, at, result.exitCode(), ComputeError.of("JobAborted",
                        kind + " ended job " + engineId + ": " + state.state() + (state.reason() == null ? ""
                                : " (" + state.reason() + ")") + "."));
            }
            if (result.exitCode() == null) {
                return current.end(JobStatus.Failed, at, null, ComputeError.of(state == null ? "EngineLostJob"
                        : "JobFailed", state == null ? kind + " no longer knows job " + engineId + ", and it left no"
                        + " exit status." : "The command ended without an exit status (" + state.state() + ")."));
            }
            return result.exitCode() == 0 ? current.end(JobStatus.Completed, at, 0, null)
                    : current.end(JobStatus.Failed, at, result.exitCode(), ComputeError.of("JobFailed",
                            "The command exited with " + result.exitCode() + "."));
        };
        var steps = new ArrayList<JobMoves.Step>();
        if (result.exitCode() != null || phase == EngineJobState.Phase.Ended) {
            // It ran between two looks: its start is recorded too.
            steps.add(new JobMoves.Step(current -> current.status() == JobStatus.Queued
                    ? current.moveTo(JobStatus.Starting, at) : current, kind + " placed it", at));
            steps.add(new JobMoves.Step(current -> current.status() == JobStatus.Starting
                    ? current.moveTo(JobStatus.Running, at) : current, "its command runs", at));
        }
        steps.add(new JobMoves.Step(current -> current.status() == JobStatus.Running && result.exitCode() != null
                ? current.moveTo(JobStatus.Finalizing, at) : current, "its command exited with "
                + result.exitCode(), at));
        steps.add(new JobMoves.Step(current -> current.status().isTerminal() ? current : end.apply(current),
                (state == null ? "ended" : kind + " reports " + state.state()) + "; " + outputs, at));
        move(job.id(), steps);
        try {
            engine.clean(ref);
        } catch (EngineException e) {
            LOG.warn("Cannot remove the folder of job {} on {}: {}", job.name(), compute.name(), e.getMessage());
        }
    }

    /** Appends to the job's log what its command wrote on the engine's side since the last copy. */
    private void copyLog(dev.hangar.core.spi.engine.JobEngine engine, Job job, EngineJobRef ref) {
        var log = files.log(job.id());
        try {
            var offset = Files.exists(log) ? Files.size(log) : 0;
            while (true) {
                var chunk = engine.readLog(ref, offset, LOG_CHUNK);
                if (chunk.length == 0) {
                    return;
                }
                try (var out = files.append(job.id())) {
                    out.write(chunk);
                }
                offset += chunk.length;
                if (chunk.length < LOG_CHUNK) {
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the log of job " + job.name(), e);
        }
    }

    /**
     * Ends the open jobs of a compute being detached: each one submitted is canceled on its engine (as far as it can
     * be reached), then all end Failed with {@code ComputeDetached}.
     */
    public void endJobsOf(AttachedCompute compute) {
        var jobs = store.read(tx -> tx.jobsInStatus(OPEN).stream()
                .filter(job -> job.computeId().equals(compute.id())).toList());
        var held = store.read(tx -> tx.engineJobs(jobs.stream().map(Job::id).toList()));
        var permits = callsTo(compute);
        var ends = new ArrayList<Future<?>>();
        for (var job : jobs) {
            ends.add(work.submit(() -> {
                permits.acquireUninterruptibly();
                try {
                    endDetached(compute, job, held.get(job.id()));
                } finally {
                    permits.release();
                }
            }));
        }
        awaitAll(ends);
        calls.remove(compute.id());
    }

    private void endDetached(AttachedCompute compute, Job job, EngineJobRef ref) {
        var why = new StringBuilder("Compute '" + compute.name() + "' was detached");
        if (ref != null) {
            try {
                var engine = engines.of(compute);
                engine.cancel(ref);
                engine.clean(ref);
                why.append("; ").append(compute.kind()).append(" job ").append(ref.engineId()).append(" was canceled");
            } catch (EngineException e) {
                why.append("; ").append(compute.kind()).append(" job ").append(ref.engineId()).append(" could not"
                        + " be canceled (").append(e.getMessage()).append(") and may still run there");
            }
        }
        var message = why.append('.').toString();
        move(job.id(), current -> current.status().isTerminal() ? current : current.end(JobStatus.Failed,
                clock.instant(), null, ComputeError.of("ComputeDetached", message)), message);
    }

    static Map<String, String> environment(Job job) {
        var environment = new LinkedHashMap<>(job.environment());
        environment.put("AZUREML_RUN_ID", job.name());
        environment.put("HANGAR_JOB_NAME", job.name());
        environment.put("HANGAR_JOB_ID", job.id().toString());
        return environment;
    }

    /** Clears the compute's errors once its engine answers again. */
    private void reachable(AttachedCompute compute) {
        if (!compute.errors().isEmpty()) {
            updateErrors(compute.id(), List.of());
        }
    }

    /** Says on the compute why its engine cannot be reached now; its jobs wait as they are. */
    private void unreachable(AttachedCompute compute, EngineException e) {
        LOG.warn("{} '{}' cannot be reached: {}", compute.kind(), compute.name(), e.getMessage());
        var error = ComputeError.of(e.code(), e.getMessage());
        if (!compute.errors().equals(List.of(error))) {
            updateErrors(compute.id(), List.of(error));
        }
    }

    private void updateErrors(UUID computeId, List<ComputeError> errors) {
        try {
            store.inTransaction(tx -> tx.attached(computeId).map(latest -> tx.updateAttached(latest
                    .withErrors(errors))));
        } catch (ConcurrentUpdateException e) {
            // Changed meanwhile: the next look says it again.
        }
    }

    private void move(UUID id, UnaryOperator<Job> change, String reason) {
        moves.move(id, change, reason);
    }

    private void move(UUID id, List<JobMoves.Step> steps) {
        moves.move(id, steps);
    }

    @Override
    public void close() {
        looks.close();
        work.shutdownNow();
    }
}
