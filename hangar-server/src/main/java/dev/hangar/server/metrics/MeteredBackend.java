package dev.hangar.server.metrics;

import dev.hangar.core.compute.AppEndpoint;
import dev.hangar.core.files.ShareOwner;
import dev.hangar.core.spi.BackendException;
import dev.hangar.core.spi.ComputeBackend;
import dev.hangar.core.spi.HeldInstance;
import dev.hangar.core.spi.InstanceContext;
import dev.hangar.core.spi.InstanceSession;
import dev.hangar.core.spi.Observation;
import dev.hangar.core.spi.SessionRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A backend whose calls are timed ({@code hangar.backend.calls}: backend, call, outcome, and the error code a
 * {@link BackendException} names). Every method is forwarded, the answers as they are; {@code MeteredBackendTest}
 * checks none is left to the interface's defaults.
 */
public final class MeteredBackend implements ComputeBackend {
    private final ComputeBackend backend;
    private final MeterRegistry registry;

    public MeteredBackend(ComputeBackend backend, MeterRegistry registry) {
        this.backend = backend;
        this.registry = registry;
    }

    private <T> CompletionStage<T> timed(String call, Supplier<CompletionStage<T>> work) {
        var start = System.nanoTime();
        CompletionStage<T> stage;
        try {
            stage = work.get();
        } catch (RuntimeException e) {
            record(call, start, e);
            throw e;
        }
        return stage.whenComplete((result, failure) -> record(call, start, failure));
    }

    private void record(String call, long start, Throwable failure) {
        var cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        Timer.builder("hangar.backend.calls").description("Calls to the compute backend, by call and outcome")
                .tags("backend", backend.name(), "call", call, "outcome", cause == null ? "ok" : "error",
                        "code", cause instanceof BackendException known ? known.code()
                                : cause == null ? "" : cause.getClass().getSimpleName())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry)
                .record(Duration.ofNanos(System.nanoTime() - start));
    }

    @Override
    public String name() {
        return backend.name();
    }

    @Override
    public CompletionStage<List<AppEndpoint>> provision(InstanceContext instance) {
        return timed("provision", () -> backend.provision(instance));
    }

    @Override
    public CompletionStage<List<AppEndpoint>> start(InstanceContext instance) {
        return timed("start", () -> backend.start(instance));
    }

    @Override
    public CompletionStage<Void> stop(InstanceContext instance) {
        return timed("stop", () -> backend.stop(instance));
    }

    @Override
    public CompletionStage<Void> delete(InstanceContext instance) {
        return timed("delete", () -> backend.delete(instance));
    }

    @Override
    public CompletionStage<Observation> observe(InstanceContext instance) {
        return timed("observe", () -> backend.observe(instance));
    }

    @Override
    public CompletionStage<List<HeldInstance>> held() {
        return timed("held", backend::held);
    }

    @Override
    public CompletionStage<InstanceSession> open(InstanceContext instance, SessionRequest request) {
        return timed("open", () -> backend.open(instance, request));
    }

    @Override
    public CompletionStage<Void> endProcesses(InstanceContext instance, Set<String> markers) {
        return timed("endProcesses", () -> backend.endProcesses(instance, markers));
    }

    @Override
    public CompletionStage<String> address(InstanceContext instance) {
        return timed("address", () -> backend.address(instance));
    }

    @Override
    public boolean runsImages() {
        return backend.runsImages();
    }

    @Override
    public boolean runsCustomServices() {
        return backend.runsCustomServices();
    }

    @Override
    public String instanceUser(UUID computeId) {
        return backend.instanceUser(computeId);
    }

    @Override
    public Optional<ShareOwner> shareOwner() {
        return backend.shareOwner();
    }

    @Override
    public Optional<String> ownerRefusal(String owner, Supplier<Set<String>> others) {
        return backend.ownerRefusal(owner, others);
    }

    @Override
    public boolean sharesByGroup() {
        return backend.sharesByGroup();
    }

    @Override
    public CompletionStage<Void> remove(HeldInstance orphan) {
        return timed("remove", () -> backend.remove(orphan));
    }

    @Override
    public void close() {
        backend.close();
    }
}
