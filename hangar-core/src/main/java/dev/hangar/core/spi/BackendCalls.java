package dev.hangar.core.spi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How a backend whose work blocks (processes, an engine's HTTP API) keeps the SPI's promise to return at once: each
 * call runs on a virtual thread of an executor the backend owns, and what it throws becomes a
 * {@link BackendException} through the backend's own translation. After {@link #close()} calls fail with a retryable
 * {@code BackendClosed}.
 */
public final class BackendCalls implements AutoCloseable {
    private final String backendName;
    private final Function<RuntimeException, BackendException> translation;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * @param translation turns what the work threw into a {@link BackendException}; a BackendException thrown by the
     *     work passes through it too
     */
    public BackendCalls(String backendName, Function<RuntimeException, BackendException> translation) {
        this.backendName = backendName;
        this.translation = translation;
    }

    public <T> CompletionStage<T> call(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(() -> translated(work), executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(BackendException.retryable("BackendClosed",
                    "The " + backendName + " backend is closed; Hangar is shutting down", e));
        }
    }

    public CompletionStage<Void> run(Runnable work) {
        return call(() -> {
            work.run();
            return null;
        });
    }

    /** Interrupts the calls in flight; they fail with whatever the interrupted work throws. */
    @Override
    public void close() {
        executor.shutdownNow();
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
