package dev.hangar.backend.slurm;

import static dev.hangar.testkit.engine.EngineJobs.awaitPhase;
import static dev.hangar.testkit.engine.EngineJobs.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hangar.core.spi.engine.EngineConnection;
import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.spi.engine.EngineJob;
import dev.hangar.core.spi.engine.EngineJobRef;
import dev.hangar.core.spi.engine.EngineJobState.Phase;
import dev.hangar.core.spi.engine.EngineNode;
import dev.hangar.core.spi.engine.JobEngine;
import dev.hangar.core.spi.engine.JobEngineProvider;
import dev.hangar.testkit.engine.JobEngineContractTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the Slurm engine does whichever way it reaches the cluster, run against a real single-node cluster: an
 * {@code *IT} per connection extends this class and says how to connect. Each such class starts its own site, and what
 * the connection goes through, before its tests, and ends them after, in the reverse order: the engine, the
 * connection's own parts, the site. The job folders are on this host whatever the connection (the login node is this
 * host too), so the tests look at them and at the jobs' processes directly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SlurmEngineContract extends JobEngineContractTest {
    /** The site of this class's tests. */
    SlurmSite site;
    /** An engine of {@link #settings()} and {@link #secrets()}, for the tests of this class. */
    JobEngine engine;

    /** Settings under which what the engine reaches does not answer, and what its failure must name. */
    record Unanswered(Map<String, String> settings, String named) {
    }

    /** Starts the site: by default without slurmrestd. */
    SlurmSite startSite() {
        return SlurmSite.start();
    }

    /** Starts what the engine reaches the site through, once the site runs; by default nothing. */
    void startConnection() {
    }

    /** Ends what {@link #startConnection()} started, after the engine is closed and before the site stops. */
    void stopConnection() {
    }

    /** The connection's name, as {@link JobEngine#check()} tells it. */
    abstract String connection();

    /** The settings of an engine of the site, reaching it as root. */
    abstract Map<String, String> settings();

    abstract Map<String, String> secrets();

    abstract Unanswered unanswered() throws Exception;

    /** The account the connection reaches the cluster as, which can switch to others: by default root. */
    String connectionAccount() {
        return "root";
    }

    /** The version {@link JobEngine#check()} tells: by default what {@code sinfo --version} prints. */
    String version() {
        return site.cluster().slurm("sinfo", "--version").output().strip();
    }

    /**
     * What {@link JobEngine#check()} gives to keep with the attachment on a connection of {@link #settings()}: how it
     * connects and the partition it chose.
     */
    Map<String, String> learned() {
        return Map.of("connection", connection(), "partition", "debug");
    }

    @BeforeAll
    final void startSiteAndConnect() {
        site = startSite();
        startConnection();
        engine = connect(settings());
    }

    @AfterAll
    final void closeAndStopSite() {
        if (engine != null) {
            engine.close();
        }
        stopConnection();
        if (site != null) {
            site.close();
        }
    }

    @Test
    void checkDescribesTheClusterAndItsPartition() {
        var info = engine.check();

        assertThat(info.version()).isEqualTo(version()).contains("22.05");
        assertThat(info.cluster()).isEqualTo("hangar-test");
        assertThat(info.partition()).isEqualTo("debug");
        assertThat(info.nodeCount()).isEqualTo(1);
        assertThat(info.cpusPerNode()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(info.account()).isEqualTo(connectionAccount());
        assertThat(info.switchesUsers()).isTrue();
        assertThat(info.learned()).isEqualTo(learned());
    }

    @Test
    void aJobsFolderIsNamedByItsIdInTheWorkDirectory() {
        var job = engine.submit(job("true", Map.of(), null, null));

        assertThat(Path.of(job.folder())).hasParent(site.workDirectory());
        assertThat(job.folder()).isEqualTo(site.workDirectory() + "/" + UUID.fromString(
                Path.of(job.folder()).getFileName().toString()));
        awaitPhase(engine, job, Phase.Ended);
        engine.clean(job);
    }

    @Test
    void aCanceledJobLeavesItsNodeRunningUntilItEnds() {
        var job = engine.submit(job("sleep 300", Map.of(), null, null));
        awaitPhase(engine, job, Phase.Running);

        assertThat(engine.nodes()).singleElement().satisfies(node -> {
            assertThat(node.name()).isEqualTo(site.cluster().node());
            assertThat(node.state()).isEqualTo(EngineNode.State.running);
            assertThat(node.jobs()).contains(job.engineId());
        });
        engine.cancel(job);
        assertThat(awaitPhase(engine, job, Phase.Canceled, Phase.Ended, Phase.Aborted).phase())
                .isEqualTo(Phase.Canceled);
    }

    @Test
    void aJobRunsAsTheAccountItIsGivenInAFolderOfThatAccount() throws Exception {
        var account = site.account();
        var submitted = job("id -un; echo \"HOME=$HOME\"; touch made-here; mkdir outputs; id -un > outputs/who",
                Map.of(), null, account);
        var job = engine.submit(submitted);

        assertThat(awaitPhase(engine, job, Phase.Ended, Phase.Aborted, Phase.Canceled).phase())
                .isEqualTo(Phase.Ended);
        assertThat(job.runAs()).isEqualTo(account);
        assertThat(engine.readLog(job, 0, 1000)).asString(StandardCharsets.UTF_8).startsWith(account + "\n")
                .contains("HOME=" + site.accountHome());
        assertThat(Files.getOwner(Path.of(job.folder())).getName()).isEqualTo(account);
        assertThat(Files.getOwner(Path.of(job.folder(), "code", "made-here")).getName()).isEqualTo(account);
        assertThat(outputOf(job, "outputs/who")).isEqualTo(account + "\n");
        assertThat(engine.find(submitted.tag(), account)).contains(job);
        engine.clean(job);
        assertThat(Path.of(job.folder())).doesNotExist();
    }

    @Test
    void aFolderOutsideTheWorkDirectoryIsNeverRemoved() {
        for (var folder : List.of("", "/", site.workDirectory().toString(), site.directory().toString(),
                site.workDirectory() + "/../cluster")) {
            var failure = catchThrowableOfType(EngineException.class,
                    () -> engine.clean(new EngineJobRef("1", folder, null)));
            assertThat(failure.code()).as(folder).isEqualTo("SlurmJobFolderRefused");
        }
        assertThat(site.cluster().conf()).exists();
    }

    @Test
    void nodesListTheClustersOneNode() {
        assertThat(engine.nodes()).singleElement().satisfies(node -> {
            assertThat(node.name()).isEqualTo(site.cluster().node());
            assertThat(node.address()).isEqualTo("127.0.0.1");
            assertThat(node.cpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(node.state()).isIn(EngineNode.State.idle, EngineNode.State.running);
        });
    }

    @Test
    void aPartitionTheClusterLacksIsNamed() {
        var settings = new HashMap<>(settings());
        settings.put("partition", "nope");

        var failure = checkFailure(settings, secrets());

        assertThat(failure.code()).isEqualTo("SlurmPartitionNotFound");
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains("nope", "debug");
    }

    @Test
    void whatDoesNotAnswerIsUnreachableAndRetryable() throws Exception {
        var unanswered = unanswered();
        var started = System.nanoTime();

        var failure = checkFailure(unanswered.settings(), secrets());

        assertThat(failure.code()).isEqualTo("SlurmControllerUnreachable");
        assertThat(failure.retryable()).isTrue();
        assertThat(failure.getMessage()).contains(unanswered.named());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    }

    /** An engine of the site, found as Hangar finds it, by its kind. */
    JobEngine connect(Map<String, String> settings, Map<String, String> secrets) {
        var provider = ServiceLoader.load(JobEngineProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(candidate -> candidate.kind().equals("Slurm")).findFirst().orElseThrow();
        return provider.connect(new EngineConnection(getClass().getSimpleName(), settings, secrets,
                site.directory().resolve("engine-data")));
    }

    JobEngine connect(Map<String, String> settings) {
        return connect(settings, secrets());
    }

    /** How {@link JobEngine#check()} fails on a new engine of these settings and secrets. */
    EngineException checkFailure(Map<String, String> settings, Map<String, String> secrets) {
        try (var other = connect(settings, secrets)) {
            var failure = catchThrowableOfType(EngineException.class, other::check);
            assertThat(failure).as("the failure of check()").isNotNull();
            return failure;
        }
    }

    @Override
    protected JobEngine engine() {
        return engine;
    }

    @Override
    protected Path scratch() {
        return site.directory();
    }

    @Override
    protected String jobNode() {
        return site.cluster().node();
    }

    @Override
    protected String completedState() {
        return "COMPLETED";
    }

    @Override
    protected String failedState() {
        return "FAILED";
    }

    @Override
    protected String failedReason() {
        return "NonZeroExitCode";
    }

    /** A job Slurm never had, with a folder in the work directory. */
    @Override
    protected EngineJobRef unknownJob() {
        return new EngineJobRef("999999", site.workDirectory() + "/" + UUID.randomUUID(), null);
    }

    @Override
    protected boolean folderExists(EngineJobRef job) {
        return Files.exists(Path.of(job.folder()));
    }

    /** The test partition lets each CPU be shared by ten jobs ({@code OverSubscribe=FORCE:10}). */
    @Override
    protected List<EngineJob> blockers() {
        var cpus = Runtime.getRuntime().availableProcessors();
        return java.util.stream.IntStream.range(0, 10).mapToObj(unused -> {
            var id = UUID.randomUUID();
            return new EngineJob(id, "blocker", "hangar-" + id, "sleep 300", Map.of(), null, cpus, 1, null);
        }).toList();
    }
}
