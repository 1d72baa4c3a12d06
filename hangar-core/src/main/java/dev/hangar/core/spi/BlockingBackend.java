package dev.hangar.core.spi;

import dev.hangar.core.compute.AppEndpoint;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The base of a backend whose work blocks (processes, an engine's HTTP API, a scheduler's commands): it implements
 * the synchronous operations, and this class keeps the SPI's promise to return at once. Each call runs on a virtual
 * thread of an executor the backend owns; what the work throws becomes a {@link BackendException} through the
 * backend's own translation (a BackendException passes as it is). {@link #close()} interrupts the calls in flight,
 * releases the backend's resources, and makes later calls fail with a retryable {@code BackendClosed}.
 */
public abstract class BlockingBackend implements ComputeBackend {
    private final String name;
    private final Function<RuntimeException, BackendException> translation;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    protected BlockingBackend(String name, Function<RuntimeException, BackendException> translation) {
        this.name = name;
        this.translation = translation;
    }

    protected abstract List<AppEndpoint> provisionNow(InstanceContext instance);

    protected abstract List<AppEndpoint> startNow(InstanceContext instance);

    /** Ends the instance's processes, keeps its home; what the compute id names is all a stop needs. */
    protected abstract void stopNow(UUID computeId);

    /** Ends the instance and removes all it held; also how an orphan is removed. */
    protected abstract void deleteNow(UUID computeId);

    protected abstract Observation observeNow(InstanceContext instance);

    protected abstract List<HeldInstance> heldNow();

    /** Opens a session in the running instance; see {@link ComputeBackend#open}. */
    protected abstract InstanceSession openNow(InstanceContext instance, SessionRequest request);

    /** Ends the instance's processes marked so; see {@link ComputeBackend#endProcesses}. */
    protected abstract void endProcessesNow(InstanceContext instance, java.util.Set<String> markers);


    /** Releases the backend's own resources (clients); called by {@link #close()}. Instances keep running. */
    protected void release() {
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final CompletionStage<List<AppEndpoint>> provision(InstanceContext instance) {
        return call(() -> provisionNow(instance));
    }

    @Override
    public final CompletionStage<List<AppEndpoint>> start(InstanceContext instance) {
        return call(() -> startNow(instance));
    }

    @Override
    public final CompletionStage<Void> stop(InstanceContext instance) {
        return run(() -> stopNow(instance.computeId()));
    }

    @Override
    public final CompletionStage<Void> delete(InstanceContext instance) {
        return run(() -> deleteNow(instance.computeId()));
    }

    @Override
    public final CompletionStage<Observation> observe(InstanceContext instance) {
        return call(() -> observeNow(instance));
    }

    @Override
    public final CompletionStage<List<HeldInstance>> held() {
        return call(this::heldNow);
    }

    @Override
    public final CompletionStage<InstanceSession> open(InstanceContext instance, SessionRequest request) {
        return call(() -> openNow(instance, request));
    }

    @Override
    public final CompletionStage<Void> endProcesses(InstanceContext instance, java.util.Set<String> markers) {
        return run(() -> endProcessesNow(instance, markers));
    }

    @Override
    public final CompletionStage<String> address(InstanceContext instance) {
        return call(() -> addressNow(instance));
    }

    /** {@link ComputeBackend#address}: the host's loopback unless the backend's nodes each have an address. */
    protected String addressNow(InstanceContext instance) {
        return "127.0.0.1";
    }

    @Override
    public final CompletionStage<Void> remove(HeldInstance orphan) {
        return run(() -> deleteNow(orphan.computeId()));
    }

    @Override
    public final void close() {
        executor.shutdownNow();
        release();
    }

    /** Runs more blocking work the way the SPI's calls run. */
    protected final <T> CompletionStage<T> call(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(() -> translated(work), executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(BackendException.retryable("BackendClosed",
                    "The " + name + " backend is closed; Hangar is shutting down", e));
        }
    }

    private CompletionStage<Void> run(Runnable work) {
        return call(() -> {
            work.run();
            return null;
        });
    }

    private <T> T translated(Supplier<T> work) {
        try {
            return work.get();
        } catch (BackendException e) {
            throw e;
        } catch (RuntimeException e) {
            throw translation.apply(e);
        }
    }
}
