package dev.hangar.core.job.engine;

import dev.hangar.core.attached.Engines;
import dev.hangar.core.compute.AttachedCompute;
import dev.hangar.core.compute.ComputeError;
import dev.hangar.core.job.Job;
import dev.hangar.core.job.JobFiles;
import dev.hangar.core.job.JobMoves;
import dev.hangar.core.job.JobStatus;
import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.spi.engine.EngineJobRef;
import dev.hangar.core.spi.engine.EngineJobState;
import dev.hangar.core.spi.engine.EngineResult;
import dev.hangar.core.spi.engine.JobEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what an engine reports of a job it holds, so that it has the same states, log and outputs as a job on an
 * instance: <b>Starting</b> and <b>Running</b> once the engine runs it, its log copied at each look; once it ended,
 * <b>Finalizing</b>, then <b>Completed</b> or <b>Failed</b> by its exit status, or Failed {@code JobAborted} when the
 * engine ended it (out of time or memory, a failed node), or <b>Canceled</b>; its outputs copied and its folder on
 * the engine's side removed.
 */
final class EngineJobFollower {
    /** The most of a job's log copied in one call. */
    static final int LOG_CHUNK = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(EngineJobFollower.class);

    private final Engines engines;
    private final JobFiles files;
    private final JobMoves moves;
    private final Clock clock;

    EngineJobFollower(Engines engines, JobFiles files, JobMoves moves, Clock clock) {
        this.engines = engines;
        this.files = files;
        this.moves = moves;
        this.clock = clock;
    }

    /**
     * Records what the engine reports of a job: a start, or an end with its log, exit status and outputs.
     *
     * @param state as the engine reports it; null when it no longer knows the job
     */
    void follow(AttachedCompute compute, Job job, EngineJobRef ref, EngineJobState state) {
        var engine = engines.of(compute);
        var phase = state == null ? null : state.phase();
        if (phase == EngineJobState.Phase.Pending) {
            return;
        }
        if (phase == EngineJobState.Phase.Running) {
            if (job.status() == JobStatus.Queued) {
                var at = clock.instant();
                moves.move(job.id(), List.of(
                        new JobMoves.Step(current -> current.status() == JobStatus.Queued
                                ? current.moveTo(JobStatus.Starting, at) : current,
                                compute.kind() + " placed it" + (state.nodes() == null ? "" : " on " + state.nodes()),
                                at),
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
        var end = end(kind, ref.engineId(), state, result, at);
        steps.add(new JobMoves.Step(current -> current.status().isTerminal() ? current : end.apply(current),
                (state == null ? "ended" : kind + " reports " + state.state()) + "; " + outputs, at));
        moves.move(job.id(), steps);
        try {
            engine.clean(ref);
        } catch (EngineException e) {
            LOG.warn("Cannot remove the folder of job {} on {}: {}", job.name(), compute.name(), e.getMessage());
        }
    }

    /** How a job the engine no longer runs ends: by who ended it, else by its exit status. */
    private static UnaryOperator<Job> end(String kind, String engineId, EngineJobState state, EngineResult result,
                                          Instant at) {
        var phase = state == null ? null : state.phase();
        return current -> {
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
    }

    /** Appends to the job's log what its command wrote on the engine's side since the last copy. */
    private void copyLog(JobEngine engine, Job job, EngineJobRef ref) {
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
}
