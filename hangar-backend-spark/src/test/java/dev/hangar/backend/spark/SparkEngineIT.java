package dev.hangar.backend.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.hangar.archive.Tarballs;
import dev.hangar.core.spi.engine.EngineConnection;
import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.spi.engine.EngineJob;
import dev.hangar.core.spi.engine.EngineJobRef;
import dev.hangar.core.spi.engine.EngineJobState;
import dev.hangar.core.spi.engine.JobEngine;
import dev.hangar.core.spi.engine.SparkApplication;
import dev.hangar.testkit.process.Ports;
import dev.hangar.testkit.spark.SparkApps;
import dev.hangar.testkit.spark.SparkCluster;
import dev.hangar.testkit.spark.SparkRuntime;
import dev.hangar.testkit.time.Waits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Spark engine against a real Spark standalone master and worker (Spark's jars from Maven Central, started by the
 * testkit on 127.0.0.1): a JVM application the test compiles runs on the cluster with its log and exit status; a long
 * one is canceled; a missing class fails clearly; a Python entry is submitted through Spark's PythonRunner; and a
 * master with REST off, or none at all, is refused at check.
 */
class SparkEngineIT {
    static Path folder;
    static SparkRuntime runtime;
    static SparkCluster cluster;
    static Path work;
    static Path code;
    static JobEngine engine;

    @BeforeAll
    static void start() throws IOException {
        folder = Files.createTempDirectory(Path.of("/tmp"), "hangar-spark-engine-it-");
        runtime = SparkRuntime.in(folder);
        cluster = SparkCluster.start(runtime, folder.resolve("cluster"), 2);
        work = Files.createDirectories(folder.resolve("jobs"));
        var src = Files.createDirectories(folder.resolve("src"));
        SparkApps.jar(runtime, src.resolve("lib/app.jar"), List.of(SparkApps.SUM, SparkApps.SLEEP));
        Files.writeString(src.resolve("hello.py"), "import sys\nprint('hello from python', sys.argv[1:])\n");
        code = folder.resolve("code.tar.gz");
        try (var out = Files.newOutputStream(code)) {
            Tarballs.pack(src, Tarballs.scan(src, path -> false, Tarballs.CODE_LIMITS), out);
        }
        engine = new SparkEngineProvider().connect(connection(cluster.masterUrl(), cluster.restUrl(),
                cluster.masterUiUrl()));
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            if (engine != null) {
                engine.close();
            }
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (folder != null) {
                try (var paths = Files.walk(folder)) {
                    for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        }
    }

    static EngineConnection connection(String master, String rest, String ui) {
        return new EngineConnection("spark", Map.of("masterUrl", master, "restUrl", rest, "webUiUrl", ui,
                "workDirectory", work.toString()), Map.of(), folder.resolve("data"));
    }

    static EngineJob job(String mainClass, String python, List<String> arguments) {
        var id = UUID.randomUUID();
        return new EngineJob(id, "job-" + id, "hangar-" + id, null, Map.of("GREETING", "hangar"), code, 1, 1, null,
                new SparkApplication(mainClass, python, arguments, python == null ? List.of("lib/app.jar") : List.of(),
                        List.of(), List.of(), List.of(), Map.of("spark.executor.memory", "512m",
                        "spark.driver.memory", "512m", "spark.cores.max", "1")), null);
    }

    static EngineJobState awaitPhase(EngineJobRef ref, EngineJobState.Phase... phases) {
        await().atMost(Waits.SCHEDULER_STEP).pollInterval(Duration.ofMillis(500)).until(() -> {
            var state = engine.states(List.of(ref)).get(ref.engineId());
            return state != null && List.of(phases).contains(state.phase());
        });
        return engine.states(List.of(ref)).get(ref.engineId());
    }

    static String log(EngineJobRef ref) {
        return new String(engine.readLog(ref, 0, 1 << 20), StandardCharsets.UTF_8);
    }

    @Test
    void checkReadsTheMasterAndItsWorkers() {
        var info = engine.check();
        assertThat(info.version()).isEqualTo("spark " + cluster.version());
        assertThat(info.cluster()).isEqualTo(cluster.masterUrl());
        assertThat(info.nodeCount()).isEqualTo(1);
        assertThat(info.cpusPerNode()).isEqualTo(2);
        assertThat(engine.nodes()).singleElement().satisfies(node -> {
            assertThat(node.address()).isEqualTo("127.0.0.1");
            assertThat(node.cpus()).isEqualTo(2);
        });
    }

    @Test
    void aJvmApplicationRunsWithItsLogAndExitStatus() {
        var job = job("demo.Sum", null, List.of("100"));
        var ref = engine.submit(job);
        assertThat(ref.engineId()).startsWith("driver-");
        assertThat(engine.find(job.tag(), null)).contains(ref);
        var ended = awaitPhase(ref, EngineJobState.Phase.Ended, EngineJobState.Phase.Aborted);
        assertThat(ended.state()).as(log(ref)).isEqualTo("FINISHED");
        assertThat(log(ref)).contains("sum of 1..100 = 5050 from hangar");
        assertThat(engine.readLog(ref, Files.exists(Path.of(ref.folder(), DriverLogs.LOG))
                ? sizeOf(ref) : 0, 1024)).isEmpty();
        assertThat(engine.collect(ref, folder.resolve("outputs.tar.gz")).exitCode()).isZero();
        engine.clean(ref);
        assertThat(Path.of(ref.folder())).doesNotExist();
    }

    @Test
    void aLongDriverIsCanceled() {
        var ref = engine.submit(job("demo.Sleep", null, List.of()));
        awaitPhase(ref, EngineJobState.Phase.Running);
        await().atMost(Waits.SCHEDULER_STEP).pollInterval(Duration.ofMillis(500))
                .until(() -> log(ref).contains("sleeping"));
        engine.cancel(ref);
        assertThat(awaitPhase(ref, EngineJobState.Phase.Canceled).state()).isEqualTo("KILLED");
        assertThat(engine.collect(ref, folder.resolve("outputs.tar.gz")).exitCode()).isNull();
        engine.cancel(ref);
        engine.clean(ref);
    }

    @Test
    void aMissingClassFailsClearly() {
        var ref = engine.submit(job("demo.Missing", null, List.of()));
        var ended = awaitPhase(ref, EngineJobState.Phase.Ended, EngineJobState.Phase.Aborted);
        assertThat(ended.state()).isEqualTo("FAILED");
        assertThat(log(ref)).contains("ClassNotFoundException: demo.Missing");
        assertThat(engine.collect(ref, folder.resolve("outputs.tar.gz")).exitCode()).isEqualTo(1);
        engine.clean(ref);
    }

    @Test
    void aFileTheCodeDoesNotHoldIsRefusedBeforeSubmitting() {
        var id = UUID.randomUUID();
        var job = new EngineJob(id, "job", "hangar-" + id, null, Map.of(), code, 1, 1, null, new SparkApplication(
                "demo.Sum", null, List.of(), List.of("lib/other.jar"), List.of(), List.of(), List.of(), Map.of()), null);
        assertThatThrownBy(() -> engine.submit(job)).isInstanceOfSatisfying(EngineException.class, e -> {
            assertThat(e.code()).isEqualTo("SparkFileNotFound");
            assertThat(e.getMessage()).contains("lib/other.jar", "lib/app.jar");
        });
    }

    /** Without pyspark on the worker, a Python driver that does not import it still runs: the submission is right. */
    @Test
    void aPythonEntryRunsThroughSparksPythonRunner() {
        var ref = engine.submit(job(null, "hello.py", List.of("--rows", "3")));
        var ended = awaitPhase(ref, EngineJobState.Phase.Ended, EngineJobState.Phase.Aborted);
        assertThat(log(ref)).contains("PythonRunner");
        assertThat(ended.state()).as(log(ref)).isEqualTo("FINISHED");
        assertThat(log(ref)).contains("hello from python ['--rows', '3']");
        engine.clean(ref);
    }

    @Test
    void aMasterWithoutRestOrNoMasterIsRefused() {
        var noRest = cluster.masterUiUrl();
        try (var refused = new SparkEngineProvider().connect(connection(cluster.masterUrl(),
                "http://127.0.0.1:" + Ports.freeLoopback(), noRest))) {
            assertThatThrownBy(refused::check).isInstanceOfSatisfying(EngineException.class, e -> {
                assertThat(e.code()).isEqualTo("SparkRestDisabled");
                assertThat(e.getMessage()).contains("spark.master.rest.enabled=true");
            });
        }
        var port = Ports.freeLoopback();
        try (var none = new SparkEngineProvider().connect(connection("spark://127.0.0.1:" + port,
                "http://127.0.0.1:" + Ports.freeLoopback(), "http://127.0.0.1:" + Ports.freeLoopback()))) {
            assertThatThrownBy(none::check).isInstanceOfSatisfying(EngineException.class,
                    e -> assertThat(e.code()).isEqualTo("SparkMasterUnreachable"));
        }
    }

    @Test
    void theResourceIsTheNormalizedMasterUrl() {
        var provider = new SparkEngineProvider();
        assertThat(provider.resource(connection("spark://Master.Example:7077", "http://x:6066", "http://x:8080")))
                .isEqualTo(provider.resource(connection("SPARK://master.example", "http://y:6066", "http://y:8080")))
                .isEqualTo("spark://master.example:7077");
        assertThatThrownBy(() -> provider.resource(connection("http://master:8080", "http://x", "http://x")))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo(
                        "InvalidSparkSetting"));
    }

    private static long sizeOf(EngineJobRef ref) {
        try {
            return Files.size(Path.of(ref.folder(), DriverLogs.LOG));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
