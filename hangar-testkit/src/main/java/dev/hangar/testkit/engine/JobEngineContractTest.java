package dev.hangar.testkit.engine;

import static dev.hangar.testkit.engine.EngineJobs.awaitPhase;
import static dev.hangar.testkit.engine.EngineJobs.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.core.spi.engine.EngineJob;
import dev.hangar.core.spi.engine.EngineJobRef;
import dev.hangar.core.spi.engine.EngineJobState.Phase;
import dev.hangar.core.spi.engine.JobEngine;
import dev.hangar.testkit.process.Commands;
import dev.hangar.testkit.process.HostProcesses;
import dev.hangar.testkit.time.Waits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every {@link dev.hangar.core.spi.engine.JobEngine} promises, run against the real thing: an engine's
 * {@code *IT} extends this class, starts what the engine reaches (a Slurm cluster, an SSH host) and connects the engine
 * before these tests, and answers the hooks that look at the jobs from outside. A job runs in its code with its
 * variables, leaves its log, exit status and outputs; a running and a queued job are canceled; a submission is found
 * again by its tag; what the engine never had is absent; a folder is cleaned once and again.
 *
 * <p>The engines tested here run their jobs on this host (a login node or a virtual machine reached over SSH on
 * 127.0.0.1 is this host too), so {@link #runs(String)} looks at this host's processes by default.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class JobEngineContractTest {

    /** The connected engine under test; the subclass made it and closes it. */
    protected abstract JobEngine engine();

    /** A folder of this host for code snapshots and collected outputs. */
    protected abstract Path scratch();

    /** The node {@link dev.hangar.core.spi.engine.EngineJobState#nodes()} names for a job of this engine. */
    protected abstract String jobNode();

    /** The engine's own state of a job whose command exited with 0, and of one that exited otherwise. */
    protected abstract String completedState();

    protected abstract String failedState();

    /** The engine's reason for a command that exited with a non-zero status. */
    protected abstract String failedReason();

    /** A job the engine never had, with a folder where its jobs' folders go. */
    protected abstract EngineJobRef unknownJob();

    /** Whether the job's folder is there, where the engine keeps it. */
    protected abstract boolean folderExists(EngineJobRef job);

    /**
     * Jobs that, running, take every place the engine has, so that one more waits in its queue: by default one
     * one-core job per CPU of the node, as an engine that runs a job per core needs.
     */
    protected List<EngineJob> blockers() {
        return Collections.nCopies(engine().check().cpusPerNode(), null).stream()
                .map(unused -> job("sleep 300", Map.of(), null, null)).toList();
    }

    /** Whether a process of a job whose variable {@code HANGAR_TEST_MARKER} is {@code marker} runs. */
    protected boolean runs(String marker) {
        return !HostProcesses.withEnvironment("HANGAR_TEST_MARKER", marker).isEmpty();
    }

    @Test
    void aJobRunsInItsCodeWithItsVariablesAndLeavesItsLogExitStatusAndOutputs() throws Exception {
        var engine = engine();
        var value = "it's $HOME `id`; two  spaces\nand $PATH over `ssh`\n";
        var job = engine.submit(job("sleep 1; bash hello.sh; printf 'GREETING=%s' \"$GREETING\"; mkdir -p outputs;"
                + " echo 42 > outputs/result.txt; echo to stderr >&2", Map.of("GREETING", value), codeSnapshot(), null));

        var seen = new ArrayList<Phase>();
        var ended = awaitPhase(engine, job, seen, Phase.Ended, Phase.Aborted, Phase.Canceled);

        assertThat(ended.phase()).isEqualTo(Phase.Ended);
        assertThat(ended.state()).isEqualTo(completedState());
        assertThat(ended.reason()).isNull();
        assertThat(ended.nodes()).isEqualTo(jobNode());
        assertThat(seen).contains(Phase.Running).last().isEqualTo(Phase.Ended);
        assertThat(seen).isSubsetOf(Phase.Pending, Phase.Running, Phase.Ended);
        var log = new String(engine.readLog(job, 0, 1 << 20), StandardCharsets.UTF_8);
        assertThat(log).isEqualTo("hello from the code\nGREETING=" + value + "to stderr\n");
        assertThat(engine.readLog(job, 6, 4)).asString(StandardCharsets.UTF_8).isEqualTo(log.substring(6, 10));
        assertThat(engine.readLog(job, log.length(), 100)).isEmpty();
        assertThat(outputOf(job, "outputs/result.txt")).isEqualTo("42\n");
        assertThat(folderExists(job)).isTrue();

        engine.clean(job);
        assertThat(folderExists(job)).isFalse();
        engine.clean(job);
    }

    @Test
    void aFailingCommandEndsWithItsExitStatusAndNoOutputs() {
        var engine = engine();
        var job = engine.submit(job("echo failing; exit 3", Map.of(), null, null));

        var ended = awaitPhase(engine, job, Phase.Ended, Phase.Aborted, Phase.Canceled);

        assertThat(ended.phase()).isEqualTo(Phase.Ended);
        assertThat(ended.state()).isEqualTo(failedState());
        assertThat(ended.reason()).isEqualTo(failedReason());
        var result = engine.collect(job, scratch().resolve("none-" + job.engineId() + ".tar.gz"));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.outputs()).isFalse();
        assertThat(scratch().resolve("none-" + job.engineId() + ".tar.gz")).doesNotExist();
        assertThat(engine.readLog(job, 0, 100)).asString(StandardCharsets.UTF_8).isEqualTo("failing\n");
        engine.clean(job);
    }

    @Test
    void aCanceledRunningJobLeavesNoProcessAndNoExitStatus() {
        var engine = engine();
        var marker = UUID.randomUUID().toString();
        var job = engine.submit(job("sleep 300 & sleep 300; wait", Map.of("HANGAR_TEST_MARKER", marker), null,
                null));
        assertThat(awaitPhase(engine, job, Phase.Running).nodes()).isEqualTo(jobNode());
        Awaitility.await("the job's command to start").atMost(Waits.SCHEDULER_STEP)
                .pollInterval(Duration.ofMillis(100)).until(() -> runs(marker));
        assertThat(engine.nodes()).anySatisfy(node -> assertThat(node.jobs()).contains(job.engineId()));

        engine.cancel(job);

        assertThat(awaitPhase(engine, job, Phase.Canceled, Phase.Ended, Phase.Aborted).phase())
                .isEqualTo(Phase.Canceled);
        Awaitility.await("the job's processes, all of them, to end").atMost(Waits.SCHEDULER_STEP)
                .pollInterval(Duration.ofMillis(100)).until(() -> !runs(marker));
        assertThat(engine.collect(job, scratch().resolve("canceled.tar.gz")).exitCode()).isNull();
        engine.cancel(job);
        engine.cancel(unknownJob());
        engine.clean(job);
    }

    @Test
    void aQueuedJobIsCanceledBeforeItEverRuns() {
        var engine = engine();
        var blockers = blockers().stream().map(engine::submit).toList();
        try {
            for (var blocker : blockers) {
                awaitPhase(engine, blocker, Phase.Running);
            }
            var marker = UUID.randomUUID().toString();
            var queued = engine.submit(job("echo ran", Map.of("HANGAR_TEST_MARKER", marker), null, null));
            assertThat(awaitPhase(engine, queued, Phase.Pending, Phase.Running).phase()).isEqualTo(Phase.Pending);

            engine.cancel(queued);
            blockers.forEach(engine::cancel);

            assertThat(awaitPhase(engine, queued, Phase.Canceled, Phase.Ended, Phase.Aborted).phase())
                    .isEqualTo(Phase.Canceled);
            assertThat(engine.readLog(queued, 0, 100)).isEmpty();
            assertThat(engine.collect(queued, scratch().resolve("queued.tar.gz")).exitCode()).isNull();
            engine.clean(queued);
        } finally {
            blockers.forEach(engine::cancel);
            blockers.forEach(blocker -> awaitPhase(engine, blocker, Phase.Canceled, Phase.Ended, Phase.Aborted));
            blockers.forEach(engine::clean);
        }
    }

    @Test
    void aSubmittedJobIsFoundByItsTagAndNotSubmittedTwice() {
        var engine = engine();
        var submitted = job("sleep 2", Map.of(), null, null);
        var job = engine.submit(submitted);

        assertThat(engine.find(submitted.tag(), null)).contains(job);
        assertThat(engine.find("hangar-" + UUID.randomUUID(), null)).isEmpty();
        awaitPhase(engine, job, Phase.Ended);
        assertThat(engine.find(submitted.tag(), null)).contains(job);
        engine.clean(job);
    }

    @Test
    void jobsTheEngineDoesNotKnowAreAbsent() {
        var engine = engine();
        var job = engine.submit(job("true", Map.of(), null, null));
        var unknown = unknownJob();

        awaitPhase(engine, job, Phase.Ended);

        assertThat(engine.states(List.of())).isEmpty();
        assertThat(engine.states(List.of(unknown))).isEmpty();
        assertThat(engine.states(List.of(job, unknown))).containsOnlyKeys(job.engineId());
        assertThat(engine.readLog(unknown, 0, 100)).isEmpty();
        assertThat(engine.collect(unknown, scratch().resolve("unknown.tar.gz")).exitCode()).isNull();
        assertThat(scratch().resolve("unknown.tar.gz")).doesNotExist();
        engine.clean(unknown);
        engine.clean(job);
    }

    @Test
    void nodesHaveCpus() {
        assertThat(engine().nodes()).isNotEmpty().allSatisfy(node -> {
            assertThat(node.name()).isNotBlank();
            assertThat(node.cpus()).isPositive();
        });
    }

    /** Collects the outputs of a job that ended well and returns {@code file} of them. */
    protected String outputOf(EngineJobRef job, String file) {
        var outputs = scratch().resolve("outputs-" + job.engineId() + ".tar.gz");
        var result = engine().collect(job, outputs);
        assertThat(result.exitCode()).isZero();
        assertThat(result.outputs()).isTrue();
        return Commands.run(List.of("tar", "-xzOf", outputs.toString(), file), Map.of()).requireSuccess().output();
    }

    /** A tar.gz of a folder with a script {@code hello.sh}, made by the system's tar as Hangar's snapshots are. */
    protected Path codeSnapshot() throws Exception {
        var source = Files.createDirectories(scratch().resolve("code-" + UUID.randomUUID()));
        Files.writeString(source.resolve("hello.sh"), "echo hello from the code\n");
        var archive = scratch().resolve(source.getFileName() + ".tar.gz");
        Commands.run(List.of("tar", "-czf", archive.toString(), "-C", source.toString(), "."), Map.of())
                .requireSuccess();
        return archive;
    }
}
