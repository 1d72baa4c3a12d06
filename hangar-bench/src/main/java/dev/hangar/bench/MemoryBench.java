package dev.hangar.bench;

import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.InstanceState;
import dev.hangar.core.compute.UserRef;
import dev.hangar.core.job.Job;
import dev.hangar.core.job.JobStatus;
import dev.hangar.core.job.TargetKind;
import dev.hangar.core.secret.SecretBox;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.store.JdbcStore;
import dev.hangar.store.StoreConfig;
import dev.hangar.testkit.server.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The server's memory at rest while it holds many records: {@code computes} stopped instances and {@code jobs} ended
 * jobs are written to a fresh database before the server starts (writing them through the API would time the API,
 * not the memory), then the server is started on it as a user starts it, left until its first resync of every compute
 * is over (its own metrics say when: the reconcile queue is empty), and its resident set read from
 * {@code /proc/<pid>/status} once it stopped falling (an idle server gives memory back), and again after a full
 * collection ({@code jcmd <pid> GC.run}).
 */
final class MemoryBench {
    static final long RSS_TARGET_BYTES = 300L << 20;
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final Duration SETTLE_LIMIT = Duration.ofMinutes(3);
    /** How long the resident set must not fall before it counts as the server's at rest. */
    private static final Duration STEADY = Duration.ofSeconds(25);

    /** What the section measured. */
    record Result(int computes, int jobs, long residentBytes, long residentAfterGcBytes, Duration setUp) {
    }

    private final Consumer<String> progress;

    MemoryBench(Consumer<String> progress) {
        this.progress = progress;
    }

    Result run(int computes, int jobs) {
        var began = System.nanoTime();
        Path data;
        try {
            data = Files.createTempDirectory("hangar-bench-memory-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            progress.accept("memory: writing " + computes + " instances and " + jobs + " jobs to a fresh database");
            seed(data, computes, jobs);
            progress.accept("memory: starting a server on them, and waiting for it to be at rest");
            try (var server = new ServerProcess(data, Map.of("HANGAR_BACKEND_LOCAL_JUPYTER", "/nonexistent/jupyter",
                    "HANGAR_BACKEND_LOCAL_SHARED_ACCOUNT", "true", "HANGAR_RECONCILE_RESYNC_INTERVAL", "PT30S"))) {
                server.start();
                awaitRest(server);
                var setUp = Duration.ofNanos(System.nanoTime() - began);
                var resident = settled(server.pid());
                collect(server.pid());
                return new Result(computes, jobs, resident, resident(server.pid()), setUp);
            }
        } finally {
            BenchServer.deleteTree(data);
        }
    }

    static List<Row> rows(Result result) {
        var prefix = "memory at rest (" + String.format(Locale.ROOT, "%,d", result.computes()) + " instances, "
                + String.format(Locale.ROOT, "%,d", result.jobs()) + " jobs recorded): ";
        return List.of(
                new Row(prefix + "server resident set", megabytes(result.residentBytes()),
                        "≤ " + megabytes(RSS_TARGET_BYTES), Row.Verdict.of(result.residentBytes() <= RSS_TARGET_BYTES)),
                Row.info(prefix + "after a full collection", megabytes(result.residentAfterGcBytes())),
                Row.info(prefix + "writing them and starting the server", MarkdownReport.seconds(result.setUp())));
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.0f MB", bytes / 1048576.0);
    }

    /** The records, as the server's own store writes them, in its data directory's database. */
    private static void seed(Path data, int computes, int jobs) {
        var db = data.resolve("db");
        try {
            Files.createDirectories(db);
            Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var secrets = SecretBox.load(data.resolve("secrets").resolve("store.key"));
        var now = Instant.now();
        var bench = new UserRef(UUID.randomUUID(), null, "bench");
        try (var store = JdbcStore.open(StoreConfig.embedded(db), secrets)) {
            // The default workspace as the server ensures it, so that it finds these records in it.
            var workspace = new Workspace(UUID.randomUUID(), "00000000-0000-0000-0000-000000000000", "hangar",
                    "default", "local", "The default workspace", null, now);
            store.inTransaction(tx -> {
                tx.insertWorkspace(workspace);
                return null;
            });
            var instances = new ArrayList<ComputeInstance>();
            for (int i = 0; i < computes; i++) {
                instances.add(new ComputeInstance(UUID.randomUUID(), workspace.id(), "mem-%04d".formatted(i),
                        "Standard_DS1_v2", InstanceState.Stopped, "at rest", Map.of("bench", "memory"), bench, null,
                        "Personal", null, null, null, null, null, null, null, "local", now, now, 0));
            }
            for (var batch : batches(instances, 500)) {
                store.inTransaction(tx -> {
                    batch.forEach(tx::insertCompute);
                    return null;
                });
            }
            var ended = new ArrayList<Job>();
            for (int i = 0; i < jobs; i++) {
                var compute = instances.get(i % instances.size());
                ended.add(new Job(UUID.randomUUID(), workspace.id(), "mem-job-%05d".formatted(i), null, compute.id(),
                        compute.name(), TargetKind.Instance, "python train.py --epochs 3", Map.of("SEED", "" + i), 1,
                        1, null, null, Job.MEDIUM, JobStatus.Completed, 0, null, bench, now, now, now, 0));
            }
            for (var batch : batches(ended, 1000)) {
                store.inTransaction(tx -> {
                    batch.forEach(tx::insertJob);
                    return null;
                });
            }
        }
    }

    private static <T> List<List<T>> batches(List<T> all, int size) {
        var batches = new ArrayList<List<T>>();
        for (int from = 0; from < all.size(); from += size) {
            batches.add(all.subList(from, Math.min(all.size(), from + size)));
        }
        return batches;
    }

    /** Until the reconcile queue has been empty for {@link #SETTLE}, as the server's metrics say. */
    private static void awaitRest(ServerProcess server) {
        var http = HttpClient.newBuilder().sslContext(server.trustingContext()).build();
        var metrics = HttpRequest.newBuilder(server.url().resolve("/metrics"))
                .header("Authorization", "Bearer " + server.adminToken()).build();
        var deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        var quietSince = -1L;
        while (System.nanoTime() < deadline) {
            try {
                var body = http.send(metrics, HttpResponse.BodyHandlers.ofString()).body();
                var busy = body.lines().filter(line -> line.startsWith("hangar_reconcile_queue_depth"))
                        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                        .sum() > 0;
                if (busy) {
                    quietSince = -1;
                } else if (quietSince < 0) {
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince > SETTLE.toNanos()) {
                    return;
                }
                Thread.sleep(250);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted", e);
            }
        }
        throw new IllegalStateException("The server was still reconciling after " + SETTLE_LIMIT);
    }

    /**
     * The resident set once it stopped falling: read every second until it has not fallen for {@link #STEADY} (an idle
     * JVM gives memory back a while after its last collection), or at most {@link #SETTLE_LIMIT}.
     */
    private static long settled(long pid) {
        var deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        var lowest = resident(pid);
        var lowestAt = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - lowestAt < STEADY.toNanos()) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted", e);
            }
            var now = resident(pid);
            if (now < lowest - (1L << 20)) {
                lowest = now;
                lowestAt = System.nanoTime();
            }
        }
        return resident(pid);
    }

    /** The process's resident set ({@code VmRSS}), in bytes. */
    static long resident(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024).findFirst()
                    .orElseThrow(() -> new IllegalStateException("No VmRSS for " + pid));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A full collection in the server's JVM, by the JDK's own {@code jcmd} beside the running {@code java}. */
    private static void collect(long pid) {
        var jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            var process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("jcmd GC.run did not end within a minute");
            }
            Thread.sleep(1000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
