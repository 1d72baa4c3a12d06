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
import dev.hangar.testkit.process.Commands;
import dev.hangar.testkit.process.HostProcesses;
import dev.hangar.testkit.process.Ports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine reaching a real single-node cluster through a real slurmrestd (OpenAPI v0.0.38, JWT) on 127.0.0.1, with
 * a token of root's; the job folders are on this host, as on a filesystem shared with the nodes.
 */
class SlurmRestIT {
    private static SlurmSite site;
    private static String rootToken;
    private static JobEngine engine;

    @BeforeAll
    static void startClusterAndSlurmrestd() {
        site = SlurmSite.start(true);
        rootToken = site.cluster().token("root", Duration.ofHours(1));
        engine = connect(site.restSettings("root"), rootToken);
    }

    @AfterAll
    static void stopClusterAndSlurmrestd() {
        if (engine != null) {
            engine.close();
        }
        if (site != null) {
            site.close();
        }
    }

    @Test
    void checkDescribesTheClusterThroughSlurmrestd() {
        var info = engine.check();

        // sinfo says "slurm-wlm 22.05.8" on Debian; slurmrestd gives the release alone.
        var release = site.cluster().slurm("sinfo", "--version").output().strip().replaceFirst("^\\S+ ", "");
        assertThat(info.version()).isEqualTo("slurm " + release).contains("22.05");
        assertThat(info.cluster()).isEqualTo("hangar-test");
        assertThat(info.partition()).isEqualTo("debug");
        assertThat(info.nodeCount()).isEqualTo(1);
        assertThat(info.cpusPerNode()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(info.account()).isEqualTo("root");
        assertThat(info.switchesUsers()).isTrue();
        assertThat(info.learned()).isEmpty();
    }

    @Test
    void aJobRunsInItsCodeWithItsVariablesAndItsLogExitStatusAndOutputsAreRead() throws Exception {
        var value = "it's $HOME `id`; two  spaces";
        var job = engine.submit(job("bash hello.sh; printf 'GREETING=%s\\n' \"$GREETING\"; mkdir -p outputs;"
                + " echo 42 > outputs/result.txt; echo to stderr >&2", Map.of("GREETING", value), codeSnapshot(), null));

        var seen = new ArrayList<Phase>();
        var ended = awaitPhase(engine, job, seen, Phase.Ended, Phase.Aborted, Phase.Canceled);

        assertThat(ended.phase()).isEqualTo(Phase.Ended);
        assertThat(ended.state()).isEqualTo("COMPLETED");
        assertThat(ended.reason()).isNull();
        assertThat(ended.nodes()).isEqualTo(site.cluster().node());
        assertThat(seen).isSubsetOf(Phase.Pending, Phase.Running, Phase.Ended);
        assertThat(engine.readLog(job, 0, 1 << 20)).asString(StandardCharsets.UTF_8)
                .isEqualTo("hello from the code\nGREETING=" + value + "\nto stderr\n");
        var outputs = site.directory().resolve("rest-outputs-" + job.engineId() + ".tar.gz");
        var result = engine.collect(job, outputs);
        assertThat(result.exitCode()).isZero();
        assertThat(result.outputs()).isTrue();
        assertThat(Commands.run(List.of("tar", "-xzOf", outputs.toString(), "outputs/result.txt"), Map.of())
                .requireSuccess().output()).isEqualTo("42\n");
        assertThat(Path.of(job.folder())).hasParent(site.workDirectory());
        engine.clean(job);
        assertThat(Path.of(job.folder())).doesNotExist();
    }

    @Test
    void aFailingCommandEndsWithItsExitStatus() {
        var job = engine.submit(job("echo failing; exit 3", Map.of(), null, null));

        var ended = awaitPhase(engine, job, Phase.Ended, Phase.Aborted, Phase.Canceled);

        assertThat(ended.phase()).isEqualTo(Phase.Ended);
        assertThat(ended.state()).isEqualTo("FAILED");
        assertThat(ended.reason()).isEqualTo("NonZeroExitCode");
        var result = engine.collect(job, site.directory().resolve("rest-none.tar.gz"));
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.outputs()).isFalse();
        assertThat(engine.readLog(job, 0, 100)).asString(StandardCharsets.UTF_8).isEqualTo("failing\n");
    }

    @Test
    void aCanceledJobLeavesNoProcessAndTheNodeShowedItRunning() {
        var marker = UUID.randomUUID().toString();
        var job = engine.submit(job("sleep 300", Map.of("HANGAR_TEST_MARKER", marker), null, null));
        assertThat(awaitPhase(engine, job, Phase.Running).nodes()).isEqualTo(site.cluster().node());
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
        assertThat(engine.collect(job, site.directory().resolve("rest-canceled.tar.gz")).exitCode()).isNull();
        engine.cancel(job);
        engine.cancel(new EngineJobRef("999999", site.workDirectory() + "/" + UUID.randomUUID(), null));
    }

    @Test
    void aJobRunsAsAnotherAccountWithRootsTokenInAFolderOfThatAccount() throws Exception {
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
        assertThat(engine.find(submitted.tag(), "root")).isEmpty();
        engine.clean(job);
        assertThat(Path.of(job.folder())).doesNotExist();
    }

    @Test
    void aSubmittedJobIsFoundByItsTagAndUnknownJobsAreAbsent() {
        var submitted = job("sleep 1", Map.of(), null, null);
        var job = engine.submit(submitted);
        var unknown = new EngineJobRef("999999", site.workDirectory() + "/" + UUID.randomUUID(), null);

        assertThat(engine.find(submitted.tag(), null)).contains(job);
        assertThat(engine.find("hangar-" + UUID.randomUUID(), null)).isEmpty();
        awaitPhase(engine, job, Phase.Ended);
        assertThat(engine.find(submitted.tag(), null)).contains(job);
        assertThat(engine.states(List.of(job, unknown))).containsOnlyKeys(job.engineId());
        assertThat(engine.states(List.of())).isEmpty();
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
        var settings = new HashMap<>(site.restSettings("root"));
        settings.put("partition", "nope");
        try (var other = connect(settings, rootToken)) {
            var failure = catchThrowableOfType(EngineException.class, other::check);

            assertThat(failure.code()).isEqualTo("SlurmPartitionNotFound");
            assertThat(failure.getMessage()).contains("nope", "debug");
        }
    }

    @Test
    void aTokenSlurmctldDoesNotTakeFailsAuthentication() {
        try (var other = connect(site.restSettings("root"), Tokens.forged("root", Instant.now().plusSeconds(600)))) {
            var failure = catchThrowableOfType(EngineException.class, other::check);

            assertThat(failure.code()).isEqualTo("SlurmAuthenticationFailed");
            assertThat(failure.retryable()).isFalse();
            assertThat(failure.getMessage()).contains("scontrol token username=root").doesNotContain(rootToken);
        }
    }

    @Test
    void anExpiredTokenFailsAuthenticationSayingSo() {
        var token = site.cluster().token("root", Duration.ofSeconds(1));
        var expires = RestToken.parse(token).expires();
        Awaitility.await("the token to expire").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> Instant.now().isAfter(expires.plusSeconds(1)));
        try (var other = connect(site.restSettings("root"), token)) {
            var failure = catchThrowableOfType(EngineException.class, other::check);

            assertThat(failure.code()).isEqualTo("SlurmAuthenticationFailed");
            assertThat(failure.retryable()).isFalse();
            assertThat(failure.getMessage()).contains("expired at " + expires);
        }
    }

    @Test
    void withoutASlurmConfARefusedTokenCannotBeToldFromASilentControllerAndIsRetryable() {
        var settings = new HashMap<>(site.restSettings("root"));
        settings.remove("slurmConf");
        try (var other = connect(settings, Tokens.forged("root", Instant.now().plusSeconds(600)))) {
            var failure = catchThrowableOfType(EngineException.class, other::check);

            assertThat(failure.code()).isEqualTo("SlurmControllerUnreachable");
            assertThat(failure.retryable()).isTrue();
            assertThat(failure.getMessage()).contains("refused the token", "scontrol token username=root");
        }
    }

    @Test
    void nothingListeningIsUnreachableAndRetryable() {
        var settings = new HashMap<>(site.restSettings("root"));
        settings.put("restUrl", "http://127.0.0.1:" + Ports.freeLoopback());
        try (var other = connect(settings, rootToken)) {
            var failure = catchThrowableOfType(EngineException.class, other::check);

            assertThat(failure.code()).isEqualTo("SlurmControllerUnreachable");
            assertThat(failure.retryable()).isTrue();
            assertThat(failure.getMessage()).contains(settings.get("restUrl"));
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

    private static JobEngine connect(Map<String, String> settings, String token) {
        return new SlurmEngineProvider().connect(new EngineConnection("slurm-rest-it", settings,
                Map.of("restToken", token), site.directory().resolve("engine-data")));
    }
}
