package dev.hangar.core.session;

import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.InstanceState;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.reconcile.Backends;
import dev.hangar.core.reconcile.InstanceContexts;
import dev.hangar.core.spi.BackendException;
import dev.hangar.core.spi.ComputeBackend;
import dev.hangar.core.spi.InstanceContext;
import dev.hangar.core.spi.InstanceSession;
import dev.hangar.core.spi.SessionRequest;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens sessions (the browser terminal, SSH shells and commands, SFTP, forwarded ports) inside running instances,
 * through each instance's backend, and counts the sessions open per instance. Who may open one is the caller's check
 * (the app gateway checks the instance's owner; the SSH gateway the instance's registered key).
 */
public final class InstanceSessions {
    public static final Duration DEFAULT_OPEN_TIMEOUT = Duration.ofSeconds(30);

    private final Backends backends;
    private final InstanceContexts contexts;
    private final Duration openTimeout;
    private final Map<UUID, AtomicInteger> open = new ConcurrentHashMap<>();
    private final Map<UUID, Instant> lastClosed = new ConcurrentHashMap<>();

    public InstanceSessions(Backends backends, InstanceContexts contexts, Duration openTimeout) {
        this.backends = backends;
        this.contexts = contexts;
        this.openTimeout = openTimeout;
    }

    /**
     * Opens a session in the instance. Fails with 409 {@code ComputeNotRunning} when the instance is not Running and
     * with 503 carrying the backend's code when the backend cannot open it.
     */
    public InstanceSession open(ComputeInstance compute, SessionRequest request) {
        if (!compute.state().isReachable()) {
            throw notRunning(compute);
        }
        return open(compute.backend(), contexts.of(compute), request);
    }

    /**
     * Opens a session in what a backend runs under {@code context}: an instance, or a node of a cluster. The caller
     * checked that it runs.
     */
    public InstanceSession open(String backend, InstanceContext context, SessionRequest request) {
        var stage = backends.get(backend).open(context, request);
        var session = await(context.computeName(), stage);
        var count = open.computeIfAbsent(context.computeId(), id -> new AtomicInteger());
        count.incrementAndGet();
        return new Counted(session, () -> {
            count.decrementAndGet();
            lastClosed.put(context.computeId(), Instant.now());
        });
    }

    /**
     * When the instance last had a session open (a terminal, SSH, a job's command): {@code now} while one is, else
     * when the last one ended; empty when none was opened since Hangar started.
     */
    public Optional<Instant> lastActive(UUID computeId, Instant now) {
        var count = open.get(computeId);
        if (count != null && count.get() > 0) {
            return Optional.of(now);
        }
        return Optional.ofNullable(lastClosed.get(computeId));
    }

    /**
     * Ends the instance's processes whose environment holds one of {@code markers} ({@code NAME=value}), even those
     * of a session lost meanwhile; nothing when the instance is not running.
     */
    public void endProcesses(ComputeInstance compute, Set<String> markers) {
        if (!compute.state().isReachable()) {
            return;
        }
        endProcesses(compute.backend(), contexts.of(compute), markers);
    }

    /** {@link #endProcesses(ComputeInstance, Set)} in what a backend runs under {@code context}. */
    public void endProcesses(String backend, InstanceContext context, Set<String> markers) {
        var name = context.computeName();
        var ended = backends.get(backend).endProcesses(context, markers).toCompletableFuture();
        try {
            ended.get(openTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("EndProcessesInterrupted", "Interrupted while ending processes in '"
                    + name + "'.");
        } catch (TimeoutException | ExecutionException e) {
            throw ApiException.unavailable("EndProcessesFailed", "Cannot end the processes marked " + markers + " in '"
                    + name + "': " + (e.getCause() != null ? e.getCause().getMessage() : e.toString()));
        }
    }

    /** The address other nodes reach what runs under {@code context} at ({@link ComputeBackend#address}). */
    public String address(String backend, InstanceContext context) {
        try {
            return backends.get(backend).address(context).toCompletableFuture()
                    .get(openTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("AddressInterrupted", "Interrupted while asking for the address of '"
                    + context.computeName() + "'.");
        } catch (TimeoutException | ExecutionException e) {
            throw ApiException.unavailable("AddressUnavailable", "Cannot learn the address of '"
                    + context.computeName() + "': " + (e.getCause() != null ? e.getCause().getMessage() : e));
        }
    }

    /** How many sessions are open in the instance now (the idle detector's view of terminals and SSH). */
    public int openSessions(UUID computeId) {
        var count = open.get(computeId);
        return count == null ? 0 : count.get();
    }

    public static ApiException notRunning(ComputeInstance compute) {
        return ApiException.conflict("ComputeNotRunning", "Compute instance '" + compute.name() + "' is "
                + compute.state() + "; start it first.");
    }

    private InstanceSession await(String name, CompletionStage<InstanceSession> stage) {
        var future = stage.toCompletableFuture();
        try {
            return future.get(openTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.thenAccept(InstanceSession::close);
            throw ApiException.unavailable("SessionOpenInterrupted", "Interrupted while opening a session in '"
                    + name + "'.");
        } catch (TimeoutException e) {
            // Whatever opens late is closed at once: nothing is left running for nobody.
            future.thenAccept(InstanceSession::close);
            throw ApiException.unavailable("SessionOpenTimeout", "The backend did not open a session in '"
                    + name + "' within " + openTimeout + ".");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BackendException failure) {
                if ("InstanceNotRunning".equals(failure.code())) {
                    throw ApiException.conflict("ComputeNotRunning", failure.getMessage());
                }
                throw ApiException.unavailable(failure.code(), "Cannot open a session in '" + name + "': "
                        + failure.getMessage());
            }
            throw ApiException.unavailable("SessionOpenFailed", "Cannot open a session in '" + name
                    + "': " + e.getCause());
        }
    }

    /** A session that counts itself out when closed, once. */
    private static final class Counted implements InstanceSession {
        private final InstanceSession session;
        private final Runnable onClose;
        private final AtomicBoolean closed = new AtomicBoolean();

        Counted(InstanceSession session, Runnable onClose) {
            this.session = session;
            this.onClose = onClose;
            session.exitStatus().whenComplete((status, failure) -> countOut());
        }

        private void countOut() {
            if (closed.compareAndSet(false, true)) {
                onClose.run();
            }
        }

        @Override
        public OutputStream input() {
            return session.input();
        }

        @Override
        public InputStream output() {
            return session.output();
        }

        @Override
        public InputStream errors() {
            return session.errors();
        }

        @Override
        public void resize(int columns, int rows) {
            session.resize(columns, rows);
        }

        @Override
        public CompletionStage<Integer> exitStatus() {
            return session.exitStatus();
        }

        @Override
        public void close() {
            try {
                session.close();
            } finally {
                countOut();
            }
        }
    }
}
