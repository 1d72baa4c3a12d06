package dev.hangar.core.job.engine;

import dev.hangar.core.attached.Engines;
import dev.hangar.core.code.CodeService;
import dev.hangar.core.compute.AttachedCompute;
import dev.hangar.core.compute.ComputeError;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.job.Job;
import dev.hangar.core.job.JobEnvironment;
import dev.hangar.core.job.JobMoves;
import dev.hangar.core.job.JobStatus;
import dev.hangar.core.job.JobTransition;
import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.spi.engine.EngineJob;
import dev.hangar.core.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A queued job's submission to its compute's engine: its code snapshot, command and variables, as the account its
 * compute maps the requester to, recorded with the engine's id in the transaction that notes the submission. A job is
 * submitted under a tag, and a submission is looked for by it before it is made again (after a restart, or a failed
 * attempt), so that a job never runs twice. Thread-safe.
 */
final class EngineSubmissions {
    /** How long a submission that failed for a reason that may pass waits before it is tried again. */
    static final Duration RETRY = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(EngineSubmissions.class);

    private final Store store;
    private final Engines engines;
    private final CodeService codes;
    private final EngineReachability reach;
    private final JobMoves moves;
    private final Clock clock;
    /** Jobs being submitted now. */
    private final Set<UUID> submitting = ConcurrentHashMap.newKeySet();
    /**
     * Jobs submitted to Hangar since this runner started and not yet tried on their engine: no earlier submission of
     * them can exist, so they are submitted without looking for one first.
     */
    private final Set<UUID> unseen = ConcurrentHashMap.newKeySet();
    /** When a submission that failed may be tried again. */
    private final Map<UUID, Instant> retryAt = new ConcurrentHashMap<>();

    EngineSubmissions(Store store, Engines engines, CodeService codes, EngineReachability reach, JobMoves moves,
                      Clock clock) {
        this.store = store;
        this.engines = engines;
        this.codes = codes;
        this.reach = reach;
        this.moves = moves;
        this.clock = clock;
    }

    /** A job just submitted to Hangar: its engine cannot hold it yet. */
    void unseen(Job job) {
        unseen.add(job.id());
    }

    /**
     * Whether the job, of which no submission is recorded, may be submitted now: not while it is being submitted, nor
     * before a failed attempt may be tried again.
     */
    boolean due(Job job, Instant now) {
        return !submitting.contains(job.id()) && !now.isBefore(retryAt.getOrDefault(job.id(), Instant.MIN));
    }

    /** Marks the job as being submitted; {@link #submit} unmarks it. */
    void starting(Job job) {
        submitting.add(job.id());
    }

    /** Submits a queued job, unless an earlier submission of it is found, and records the engine's id. */
    void submit(AttachedCompute compute, Job job) {
        try {
            var runAs = compute.runAs(job.createdBy());
            var engine = engines.of(compute);
            var tag = "hangar-" + job.id();
            var ref = unseen.remove(job.id()) ? null : engine.find(tag, runAs).orElse(null);
            var found = ref != null;
            if (ref == null) {
                ref = engine.submit(new EngineJob(job.id(), job.name(), tag, job.command(), JobEnvironment.of(job),
                        job.codeDigest() == null ? null : codes.archive(job.codeDigest()), job.cores(),
                        job.instanceCount(), runAs, job.spark(), job.image() != null && job.image().inContainer()
                        ? job.image().reference() : null));
            }
            reach.reachable(compute);
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
                reach.unreachable(compute, e);
                retryAt.put(job.id(), clock.instant().plus(RETRY));
            } else {
                fail(job, e.code(), compute.kind() + " refused the job: " + e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.warn("Submitting job {} to {} failed; trying again", job.name(), compute.name(), e);
            retryAt.put(job.id(), clock.instant().plus(RETRY));
        } finally {
            submitting.remove(job.id());
        }
    }

    private void fail(Job job, String code, String message) {
        moves.move(job.id(), current -> current.status().isTerminal() ? current
                : current.end(current.status() == JobStatus.CancelRequested ? JobStatus.Canceled : JobStatus.Failed,
                        clock.instant(), null, ComputeError.of(code, message)), message);
    }
}
