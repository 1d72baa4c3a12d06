package dev.hangar.testkit.engine;

import dev.hangar.core.spi.engine.EngineJob;
import dev.hangar.core.spi.engine.EngineJobRef;
import dev.hangar.core.spi.engine.EngineJobState;
import dev.hangar.core.spi.engine.EngineJobState.Phase;
import dev.hangar.core.spi.engine.JobEngine;
import dev.hangar.testkit.time.Waits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/** Test jobs, and waiting for them, for the engines' integration tests. */
public final class EngineJobs {
    public static final Duration WAIT = Waits.SCHEDULER_STEP;

    private EngineJobs() {
    }

    /** A one-node, one-core job with a fresh id and tag. */
    public static EngineJob job(String command, Map<String, String> environment, Path code, String runAs) {
        var id = UUID.randomUUID();
        return new EngineJob(id, "test-job", "hangar-" + id, command, environment, code, 1, 1, runAs);
    }

    /** Polls the job's state until it is in one of {@code phases}; returns that state. */
    public static EngineJobState awaitPhase(JobEngine engine, EngineJobRef job, Phase... phases) {
        return awaitPhase(engine, job, new ArrayList<>(), phases);
    }

    /** As {@link #awaitPhase(JobEngine, EngineJobRef, Phase...)}, adding each phase seen to {@code seen}. */
    public static EngineJobState awaitPhase(JobEngine engine, EngineJobRef job, List<Phase> seen, Phase... phases) {
        var wanted = Set.of(phases);
        var last = new AtomicReference<EngineJobState>();
        Awaitility.await("job " + job.engineId() + " to be " + wanted).atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    var state = engine.states(List.of(job)).get(job.engineId());
                    if (state != null) {
                        last.set(state);
                        if (seen.isEmpty() || seen.getLast() != state.phase()) {
                            seen.add(state.phase());
                        }
                    }
                    return state != null && wanted.contains(state.phase());
                });
        return last.get();
    }
}
