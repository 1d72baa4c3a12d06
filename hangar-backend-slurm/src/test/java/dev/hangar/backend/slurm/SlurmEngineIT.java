package dev.hangar.backend.slurm;

import static dev.hangar.backend.slurm.Jobs.awaitPhase;
import static dev.hangar.backend.slurm.Jobs.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hangar.core.spi.engine.EngineConnection;
import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.spi.engine.EngineJobRef;
import dev.hangar.core.spi.engine.EngineJobState.Phase;
import dev.hangar.core.spi.engine.EngineNode;
import dev.hangar.core.spi.engine.JobEngine;
import dev.hangar.core.spi.engine.JobEngineProvider;
import dev.hangar.testkit.process.Commands;
import dev.hangar.testkit.process.HostProcesses;
import dev.hangar.testkit.process.Ports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The engine against a real single-node Slurm cluster, its commands run on this host. */
class SlurmEngineIT {
    private static SlurmSite site;
    private static JobEngine engine;

    @BeforeAll
    static void startCluster() {
        site = SlurmSite.start();
        engine = connect(site.settings());
    }

    @AfterAll
    static void stopCluster() {
        if (engine != null) {
            engine.close();
        }
        if (site != null) {
            site.close();
        }
    }

    @Test
    void checkDescribesTheClusterAndItsPartition() {
        var info = engine.check();

        assertThat(info.version()).isEqualTo(site.cluster().slurm("sinfo", "--version").output().strip())
                .contains("22.05");
        assertThat(info.cluster()).isEqualTo("hangar-test");
        assertThat(info.partition()).isEqualTo("debug");
        assertThat(info.nodeCount()).isEqualTo(1);
        assertThat(info.cpusPerNode()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(info.account()).isEqualTo("root");
        assertThat(info.switchesUsers()).isTrue();
        assertThat(info.learned()).isEmpty();
    }

    @Test
    void aJobRunsInItsCodeWithItsVariablesAndLeavesItsLogExitStatusAndOutputs() throws Exception {
        var code = codeSnapshot();
        var value = "it's $HOME `id`; two  spaces";
        var job = engine.submit(job("sleep 1; bash hello.sh; printf 'GREETING=%s\\n' \"$GREETING\"; mkdir -p outputs;"
                + " echo 42 > outputs/result.txt; echo to stderr >&2", Map.of("GREETING", value), code, null));

        var seen = new ArrayList<Phase>();
        var ended = awaitPhase(engine, job, seen, Phase.Ended, Phase.Aborted, Phase.Canceled);

        assertThat(ended.phase()).isEqualTo(Phase.Ended);
        assertThat(ended.state()).isEqualTo("COMPLETED");
        assertThat(seen).contains(Phase.Running).last().isEqualTo(Phase.Ended);
        assertThat(seen).isSubsetOf(Phase.Pending, Phase.Running, Phase.Ended);
        var log = new String(engine.readLog(job, 0, 1 << 20), StandardCharsets.UTF_8);
        assertThat(log).contains("hello from the code\n", "GREETING=" + value + "\n", "to stderr\n");
        assertThat(engine.readLog(job, 6, 4)).asString(StandardCharsets.UTF_8).isEqualTo(log.substring(6, 10));
        assertThat(engine.readLog(job, log.length(), 100)).isEmpty();
        var outputs = site.directory().resolve("outputs-" + job.engineId() + ".tar.gz");
        var result = engine.collect(job, outputs);
        assertThat(result.exitCode()).isZero();
        assertThat(result.outputs()).isTrue();
        assertThat(Commands.run(List.of("tar", "-xzOf", outputs.toString(), "outputs/result.txt"), Map.of())
                .requireSuccess().output()).isEqualTo("42\n");
        assertThat(job.folder()).isEqualTo(site.workDirectory() + "/" + UUID.fromString(
                Path.of(job.folder()).getFileName().toString()));

        engine.clean(job);
        assertThat(Path.of(job.folder())).doesNotExist();
        engine.clean(job);
    }

    @Test
    void aFailingCommandEndsWithItsExitStatusAndNoOutputs() {
        var job = engine.submit(job("echo failing; exit 3", Map.of(), null, null));

        var ended = awaitPhase(engine, job, Phase.Ended, Phase.Aborted, Phase.Canceled);

        assertThat(ended.phase()).isEqualTo(Phase.Ended);
        assertThat(ended.state()).isEqualTo("FAILED");
        var result = engine.collect(job, site.directory().resolve("none.tar.gz"));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.outputs()).isFalse();
        assertThat(site.directory().resolve("none.tar.gz")).doesNotExist();
        assertThat(engine.readLog(job, 0, 100)).asString(StandardCharsets.UTF_8).isEqualTo("failing\n");
    }

    @Test
    void aCanceledJobLeavesNoProcessAndNoExitStatus() {
        var marker = UUID.randomUUID().toString();
        var job = engine.submit(job("sleep 300", Map.of("HANGAR_TEST_MARKER", marker), null, null));
        var running = awaitPhase(engine, job, Phase.Running);
        assertThat(running.nodes()).isEqualTo(site.cluster().node());
        Awaitility.await("the job's command to start").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> !HostProcesses.withEnvironment("HANGAR_TEST_MARKER", marker).isEmpty());
        assertThat(engine.nodes()).singleElement().satisfies(node -> {
            assertThat(node.name()).isEqualTo(site.cluster().node());
            assertThat(node.state()).isEqualTo(EngineNode.State.running);
            assertThat(node.jobs()).contains(job.engineId());
        });

        engine.cancel(job);

        assertThat(awaitPhase(engine, job, Phase.Canceled, Phase.Ended, Phase.Aborted).phase())
                .isEqualTo(Phase.Canceled);
        Awaitility.await("the job's processes to end").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> HostProcesses.withEnvironment("HANGAR_TEST_MARKER", marker).isEmpty());
        assertThat(engine.collect(job, site.directory().resolve("canceled.tar.gz")).exitCode()).isNull();
        engine.cancel(job);
    }

    @Test
    void aJobRunsAsTheAccountItIsGivenInAFolderOfThatAccount() throws Exception {
        var account = site.account();
        var submitted = job("id -un; echo \"HOME=$HOME\"; touch made-here", Map.of(), null, account);
        var job = engine.submit(submitted);

        assertThat(awaitPhase(engine, job, Phase.Ended, Phase.Aborted, Phase.Canceled).phase())
                .isEqualTo(Phase.Ended);
        assertThat(job.runAs()).isEqualTo(account);
        assertThat(engine.readLog(job, 0, 1000)).asString(StandardCharsets.UTF_8).startsWith(account + "\n")
                .contains("HOME=/home/" + account);
        assertThat(Files.getOwner(Path.of(job.folder())).getName()).isEqualTo(account);
        assertThat(Files.getOwner(Path.of(job.folder(), "code", "made-here")).getName()).isEqualTo(account);
        assertThat(engine.find(submitted.tag(), account)).contains(job);
        engine.clean(job);
        assertThat(Path.of(job.folder())).doesNotExist();
    }

    @Test
    void aSubmittedJobIsFoundByItsTag() {
        var submitted = job("sleep 2", Map.of(), null, null);
        var job = engine.submit(submitted);

        assertThat(engine.find(submitted.tag(), null)).contains(job);
        assertThat(engine.find("hangar-" + UUID.randomUUID(), null)).isEmpty();
        awaitPhase(engine, job, Phase.Ended);
        assertThat(engine.find(submitted.tag(), null)).contains(job);
    }

    @Test
    void jobsSlurmDoesNotKnowAreAbsent() {
        var job = engine.submit(job("true", Map.of(), null, null));
        var unknown = new EngineJobRef("999999", site.workDirectory() + "/" + UUID.randomUUID(), null);

        awaitPhase(engine, job, Phase.Ended);

        assertThat(engine.states(List.of(unknown))).isEmpty();
        assertThat(engine.states(List.of(job, unknown))).containsOnlyKeys(job.engineId());
        assertThat(engine.readLog(unknown, 0, 100)).isEmpty();
        assertThat(engine.collect(unknown, site.directory().resolve("unknown.tar.gz")).exitCode()).isNull();
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
        var settings = new HashMap<>(site.settings());
        settings.put("partition", "nope");
        try (var other = connect(settings)) {
            var failure = catchThrowableOfType(EngineException.class, other::check);

            assertThat(failure.code()).isEqualTo("SlurmPartitionNotFound");
            assertThat(failure.retryable()).isFalse();
            assertThat(failure.getMessage()).contains("nope", "debug");
        }
    }

    @Test
    void aControllerThatDoesNotAnswerIsUnreachableAndRetryable() throws Exception {
        var conf = site.directory().resolve("silent-slurm.conf");
        var lines = new ArrayList<String>();
        for (var line : Files.readAllLines(site.cluster().conf())) {
            lines.add(line.startsWith("SlurmctldPort=") ? "SlurmctldPort=" + Ports.freeLoopback() : line);
        }
        lines.add("MessageTimeout=2");
        Files.write(conf, lines);
        var settings = new HashMap<>(site.settings());
        settings.put("slurmConf", conf.toString());

        try (var other = connect(settings)) {
            var started = System.nanoTime();
            var failure = catchThrowableOfType(EngineException.class, other::check);

            assertThat(failure.code()).isEqualTo("SlurmControllerUnreachable");
            assertThat(failure.retryable()).isTrue();
            assertThat(failure.getMessage()).contains("DOWN");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        }
    }

    /** A tar.gz of a folder with a script, made by the system's tar as Hangar's snapshots are. */
    private static Path codeSnapshot() throws Exception {
        var source = Files.createDirectories(site.directory().resolve("code-" + UUID.randomUUID()));
        Files.writeString(source.resolve("hello.sh"), "echo hello from the code\n");
        var archive = site.directory().resolve(source.getFileName() + ".tar.gz");
        Commands.run(List.of("tar", "-czf", archive.toString(), "-C", source.toString(), "."), Map.of())
                .requireSuccess();
        return archive;
    }

    private static JobEngine connect(Map<String, String> settings) {
        var provider = ServiceLoader.load(JobEngineProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(candidate -> candidate.kind().equals("Slurm")).findFirst().orElseThrow();
        return provider.connect(new EngineConnection("slurm-it", settings, Map.of(),
                site.directory().resolve("engine-data")));
    }
}
