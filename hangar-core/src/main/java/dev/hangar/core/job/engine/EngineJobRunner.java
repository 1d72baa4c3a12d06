package dev.hangar.core.job.engine;

import dev.hangar.core.attached.Engines;
import dev.hangar.core.code.CodeService;
import dev.hangar.core.compute.AttachedCompute;
import dev.hangar.core.compute.ComputeError;
import dev.hangar.core.job.Job;
import dev.hangar.core.job.JobFiles;
import dev.hangar.core.job.JobMoves;
import dev.hangar.core.job.JobService;
import dev.hangar.core.job.JobStatus;
import dev.hangar.core.reconcile.PeriodicLook;
import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.spi.engine.EngineJobRef;
import dev.hangar.core.spi.engine.EngineJobState;
import dev.hangar.core.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the jobs of attached computes: the engine (Slurm) queues and places them, and this runner submits each one
 * ({@link EngineSubmissions}), follows it and records what it reports ({@link EngineJobFollower}), so that a job on an
 * attached compute has the same states, log and outputs as one on an instance. A job stays <b>Queued</b> while the
 * engine's queue holds it.
 *
 * <p>Every compute is looked at once per {@code poll}, with one call for all its jobs' states; jobs that started or
 * ended are followed side by side, a few at a time ({@link EngineCalls}). A restarted Hangar follows what was running,
 * and never runs a job twice. While an engine cannot be reached its jobs stay as they are, and the compute's
 * {@code errors} say why, until it answers again ({@link EngineReachability}).
 */
public final class EngineJobRunner implements JobService.Listener, AutoCloseable {
    private static final Set<JobStatus> OPEN = EnumSet.complementOf(EnumSet.of(JobStatus.Completed,
            JobStatus.Failed, JobStatus.Canceled));
    private static final Logger LOG = LoggerFactory.getLogger(EngineJobRunner.class);

    private final Store store;
    private final Engines engines;
    private final Clock clock;
    private final EngineCalls calls = new EngineCalls();
    private final EngineReachability reach;
    private final EngineSubmissions submissions;
    private final EngineJobFollower follower;
    private final JobMoves moves;
    private final PeriodicLook looks;

    public EngineJobRunner(Store store, Engines engines, CodeService codes, JobFiles files, Clock clock,
                           Duration poll) {
        this.store = store;
        this.engines = engines;
        this.clock = clock;
        this.moves = new JobMoves(store, clock);
        this.reach = new EngineReachability(store);
        this.submissions = new EngineSubmissions(store, engines, codes, reach, moves, clock);
        this.follower = new EngineJobFollower(engines, files, moves, clock);
        this.looks = new PeriodicLook("hangar-engine-jobs", poll, this::look);
    }

    /**
     * The listener {@link JobService} tells of every submission and cancel: this runner's for jobs of attached
     * computes, {@code others} for those of instances and clusters, by the kind of compute each job was submitted
     * to; none for local runs.
     */
    public JobService.Listener routing(JobService.Listener others) {
        JobService.Listener nobody = new JobService.Listener() {
            @Override
            public void submitted(Job job) {
            }

            @Override
            public void canceled(Job job) {
            }
        };
        return new JobService.Listener() {
            @Override
            public void submitted(Job job) {
                runnerOf(job).submitted(job);
            }

            @Override
            public void canceled(Job job) {
                runnerOf(job).canceled(job);
            }

            private JobService.Listener runnerOf(Job job) {
                return switch (job.target()) {
                    case Attached -> EngineJobRunner.this;
                    case Instance, Cluster -> others;
                    // The submitter's CLI runs it, and learns of a cancel from its next report.
                    case Local -> nobody;
                };
            }
        };
    }

    public void start() {
        looks.start();
    }

    @Override
    public void submitted(Job job) {
        submissions.unseen(job);
        looks.wake();
    }

    @Override
    public void canceled(Job job) {
        record Held(AttachedCompute compute, EngineJobRef ref) {
        }
        calls.run(() -> {
            try {
                var held = store.read(tx -> {
                    var ref = tx.engineJobs(List.of(job.id())).get(job.id());
                    return ref == null ? null : tx.attached(job.computeId()).map(compute -> new Held(compute, ref))
                            .orElse(null);
                });
                if (held != null) {
                    var engine = engines.of(held.compute());
                    engine.cancel(held.ref());
                    if (job.status().isTerminal()) {
                        // Canceled while the engine's queue held it: it never ran, and nothing follows it any more.
                        engine.clean(held.ref());
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("Cannot cancel job {} on its engine yet; the next look tries again", job.name(), e);
            }
            looks.wake();
        });
    }

    /** One look: every open job of every attached compute, its compute's engine asked once for all of them. */
    void look() {
        record Open(AttachedCompute compute, List<Job> jobs, Map<UUID, EngineJobRef> held) {
        }
        var open = store.read(tx -> {
            var computes = new HashMap<UUID, AttachedCompute>();
            tx.allAttached().forEach(compute -> computes.put(compute.id(), compute));
            var jobs = tx.jobsInStatus(OPEN).stream().filter(job -> job.target().queuedByEngine()
                    && computes.containsKey(job.computeId())).toList();
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
            looks.add(calls.run(() -> look(each.compute(), each.jobs(), each.held())));
        }
        EngineCalls.awaitAll(looks);
    }

    private void look(AttachedCompute compute, List<Job> jobs, Map<UUID, EngineJobRef> held) {
        var now = clock.instant();
        var followed = new LinkedHashMap<Job, EngineJobRef>();
        for (var job : jobs) {
            var ref = held.get(job.id());
            if (ref != null) {
                followed.put(job, ref);
            } else if (submissions.due(job, now)) {
                if (job.status() == JobStatus.Queued) {
                    submissions.starting(job);
                    calls.runOn(compute.id(), () -> submissions.submit(compute, job));
                } else {
                    // Canceled while being submitted by a Hangar that stopped before it recorded the engine's id.
                    moves.move(job.id(), current -> current.status().isTerminal() ? current : current.end(
                            JobStatus.Canceled, clock.instant(), null, ComputeError.of("JobCanceled",
                                    "Canceled before it was submitted.")),
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
            reach.reachable(compute);
        } catch (EngineException e) {
            reach.unreachable(compute, e);
            return;
        }
        // Jobs that started or ended are followed side by side, a few at a time: each costs the engine a few calls.
        var follows = new ArrayList<Future<?>>();
        followed.forEach((job, ref) -> {
            var state = states.get(ref.engineId());
            if (state != null && state.phase() == EngineJobState.Phase.Pending) {
                return;
            }
            follows.add(calls.runOn(compute.id(), () -> {
                try {
                    follower.follow(compute, job, ref, state);
                } catch (EngineException e) {
                    reach.unreachable(compute, e);
                } catch (RuntimeException e) {
                    LOG.warn("Following job {} on {} failed; the next look tries again", job.name(), compute.name(),
                            e);
                }
            }));
        });
        EngineCalls.awaitAll(follows);
    }

    /**
     * Ends the open jobs of a compute being detached: each one submitted is canceled on its engine (as far as it can
     * be reached), then all end Failed with {@code ComputeDetached}.
     */
    public void endJobsOf(AttachedCompute compute) {
        var jobs = store.read(tx -> tx.jobsInStatus(OPEN).stream()
                .filter(job -> job.computeId().equals(compute.id())).toList());
        var held = store.read(tx -> tx.engineJobs(jobs.stream().map(Job::id).toList()));
        var ends = new ArrayList<Future<?>>();
        for (var job : jobs) {
            ends.add(calls.runOn(compute.id(), () -> endDetached(compute, job, held.get(job.id()))));
        }
        EngineCalls.awaitAll(ends);
        calls.forget(compute.id());
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
        moves.move(job.id(), current -> current.status().isTerminal() ? current : current.end(JobStatus.Failed,
                clock.instant(), null, ComputeError.of("ComputeDetached", message)), message);
    }

    @Override
    public void close() {
        looks.close();
        calls.close();
    }
}
