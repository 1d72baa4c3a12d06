package dev.hangar.server.metrics;

import dev.hangar.core.job.Job;
import dev.hangar.core.job.JobStatus;
import dev.hangar.core.operation.Operation;
import dev.hangar.core.operation.OperationStatus;
import dev.hangar.core.store.Store;
import dev.hangar.core.store.Transaction;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Hangar's metrics, kept by Micrometer and read in Prometheus's text format at {@code /metrics}: the operations on
 * computes (by kind and outcome, with their latency), jobs from submission to running, the store's transactions, the reconciler's and the job queues'
 * depth, the jobs by status, each route's requests ({@link RequestMetrics}), and the JVM.
 *
 * <p>The core knows nothing of Micrometer: it reports ended operations through the store and offers its queues'
 * depths, and this class turns them into meters.
 */
public final class HangarMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();

    public HangarMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Everything, in Prometheus's text exposition format; what is read from elsewhere is read first, once. */
    public String scrape() {
        beforeScrape.forEach(Runnable::run);
        return registry.scrape();
    }

    /** An operation ended (committed): counted by kind, trigger and outcome, with how long it took. */
    public void operationEnded(Operation operation) {
        if (operation.status() == OperationStatus.InProgress || operation.endedOn() == null) {
            return;
        }
        Timer.builder("hangar.operations")
                .description("Operations on computes, from request to outcome")
                .tags("kind", operation.kind().name(), "status", operation.status().name(),
                        "trigger", operation.trigger().name())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(30))
                .register(registry)
                .record(Duration.between(operation.startedOn(), operation.endedOn()));
    }

    /** A job began to run (committed): how long it took from its submission, by the kind of compute it runs on. */
    public void jobStarted(Job job, Instant at) {
        var waited = Duration.between(job.createdOn(), at);
        Timer.builder("hangar.jobs.start")
                .description("Jobs from submission to running, by the kind of compute they were sent to")
                .tag("target", job.target().name())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry)
                .record(waited.isNegative() ? Duration.ZERO : waited);
    }

    /** {@code store}, each transaction timed by whether it writes ({@code hangar.store.transactions}). */
    public Store timed(Store store) {
        var writes = transactions("write");
        var reads = transactions("read");
        return new Store() {
            @Override
            public <T> T inTransaction(Function<Transaction, T> work) {
                return record(writes, () -> store.inTransaction(work));
            }

            @Override
            public <T> T read(Function<Transaction, T> work) {
                return record(reads, () -> store.read(work));
            }

            @Override
            public void close() {
                store.close();
            }
        };
    }

    private Timer transactions(String type) {
        return Timer.builder("hangar.store.transactions").description("Store transactions, by whether they write")
                .tag("type", type).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    private static <T> T record(Timer timer, Supplier<T> work) {
        var start = System.nanoTime();
        try {
            return work.get();
        } finally {
            timer.record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /**
     * The computes the reconciler works on or will again ({@code hangar.reconcile.queue.depth}), and how long the
     * request that has waited longest for its run has waited ({@code hangar.reconcile.queue.lag.seconds}), now.
     */
    public void reconcileQueue(IntSupplier depth, Supplier<Duration> lag) {
        Gauge.builder("hangar.reconcile.queue.depth", depth::getAsInt)
                .description("Computes being reconciled or asked to be again").register(registry);
        Gauge.builder("hangar.reconcile.queue.lag", () -> lag.get().toNanos() / 1e9).baseUnit("seconds")
                .description("How long the oldest request for a reconcile has waited for its run").register(registry);
    }

    /**
     * The jobs waiting in each compute's queue ({@code hangar.jobs.waiting}, by compute id), read at each scrape; an
     * attached engine's queue is the engine's own and is not among them.
     */
    public void jobQueues(Supplier<Map<UUID, Integer>> waiting) {
        var gauge = MultiGauge.builder("hangar.jobs.waiting").description("Jobs queued for a compute")
                .register(registry);
        beforeScrape.add(() -> gauge.register(waiting.get().entrySet().stream().map(entry -> MultiGauge.Row.of(
                Tags.of("compute", entry.getKey().toString()), entry.getValue())).toList(), true));
    }

    /** The jobs recorded, by status, read from the store once at each scrape ({@code hangar.jobs}). */
    public void jobs(Supplier<Map<JobStatus, Integer>> byStatus) {
        var gauge = MultiGauge.builder("hangar.jobs").description("Jobs recorded, by status").register(registry);
        beforeScrape.add(() -> {
            var now = byStatus.get();
            gauge.register(Arrays.stream(JobStatus.values()).map(status -> MultiGauge.Row.of(
                    Tags.of("status", status.name()), now.getOrDefault(status, 0))).toList(), true);
        });
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
