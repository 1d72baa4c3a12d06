package dev.hangar.client;

import dev.hangar.api.ComputeResource;
import dev.hangar.api.OperationStatus;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A change the server accepted and carries out in the background (ARM's long-running operation): create, update
 * (including a cluster's rescale), start, stop, restart or delete of a compute, attach or detach of an attached one. The
 * request itself has already succeeded when you hold one of these.
 *
 * <p>{@link #waitForCompletion} looks at the operation's {@code Azure-AsyncOperation} URL at once, then polls it as a
 * long poll: each request says {@code Prefer: wait=<seconds>} (RFC 7240; the first {@code wait=0}), and a Hangar server
 * holds its answer until the operation ends or the compute's state changes, so the wait ends the moment the operation
 * does. A server that does not honour the
 * preference (it answers without {@code Preference-Applied}) is polled as often as its {@code Retry-After} says (1 s
 * when absent, at most 10 s). After each poll it also reads the compute, so the progress callback sees the state the
 * request put the compute in (e.g. {@code Stopping}) and then every state the server went through.
 *
 * <p>Thread-safe and stateless between calls: waiting again polls again.
 */
public final class LongRunningOperation {

    /** What the operation does. */
    public enum Action {
        CREATE, UPDATE, START, STOP, RESTART, DELETE, ATTACH, DETACH;

        /** Lower case, for messages: {@code stop}. */
        public String verb() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The longest wait one poll asks the server for; a Hangar server holds an answer for 30 s at most. */
    static final Duration LONG_POLL = Duration.ofSeconds(20);

    private static final OperationStatus NOTHING_TO_DO =
            new OperationStatus(null, null, OperationStatus.SUCCEEDED, null, null, null, null);

    private final Transport transport;
    private final Action action;
    private final String computeName;
    private final URI computeUri;
    private final URI statusUri;
    private final URI resultUri;
    private final Duration retryAfter;
    private final ComputeResource resource;

    private LongRunningOperation(Transport transport, Action action, String computeName, URI computeUri, URI statusUri,
                                 URI resultUri, Duration retryAfter, ComputeResource resource) {
        this.transport = transport;
        this.action = action;
        this.computeName = computeName;
        this.computeUri = computeUri;
        this.statusUri = statusUri;
        this.resultUri = resultUri;
        this.retryAfter = retryAfter;
        this.resource = resource;
    }

    /** From the answer to the request that started it: 201/200/202 with the three headers, or 204 (nothing to do). */
    static LongRunningOperation accepted(Transport transport, Action action, String computeName, URI computeUri,
                                         Transport.Reply reply, ComputeResource resource) {
        var asyncOperation = reply.header("Azure-AsyncOperation");
        var location = reply.header("Location");
        if (asyncOperation == null && reply.status() == 202) {
            throw new HangarException(HangarException.Kind.HTTP, reply.status(), HangarException.detail(
                    "InvalidResponse", "202 Accepted without an Azure-AsyncOperation header"), reply.method(),
                    reply.uri(), null);
        }
        return new LongRunningOperation(transport, action, computeName, computeUri,
                asyncOperation == null ? null : transport.followed(asyncOperation),
                location == null ? null : transport.followed(location),
                RetryAfter.parse(reply.header("Retry-After")), resource);
    }

    /** The same operation, named as another action: a PUT is a create or an attach, as the caller knows. */
    LongRunningOperation as(Action other) {
        return new LongRunningOperation(transport, other, computeName, computeUri, statusUri, resultUri, retryAfter,
                resource);
    }

    public Action action() {
        return action;
    }

    public String computeName() {
        return computeName;
    }

    /** The {@code Azure-AsyncOperation} URL polled for the status; empty when there is nothing to wait for. */
    public Optional<URI> statusUri() {
        return Optional.ofNullable(statusUri);
    }

    /** The {@code Location} (operation result) URL, when the server gave one. */
    public Optional<URI> resultUri() {
        return Optional.ofNullable(resultUri);
    }

    /** How long the server asked to wait between polls (already capped), as the accepting answer said. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** The compute as the accepting answer described it (create, update and attach only). */
    public Optional<ComputeResource> resource() {
        return Optional.ofNullable(resource);
    }

    /**
     * True when there is nothing to wait for: the server had nothing to do (a 204 to a delete: the compute did not
     * exist), or the change took effect with the answer (a rescale answered without {@code Azure-AsyncOperation}).
     */
    public boolean isDone() {
        return statusUri == null;
    }

    /** {@link #waitForCompletion(Duration, Consumer)} without progress reports. */
    public OperationStatus waitForCompletion(Duration timeout) {
        return waitForCompletion(timeout, progress -> { });
    }

    /**
     * Blocks until the operation ends, reporting {@link Progress} after every poll on the calling thread.
     *
     * @param timeout  how long to wait in all; the operation goes on on the server when this runs out
     * @param progress called after every poll; an exception it throws ends the wait
     * @return the final status, {@code Succeeded}
     * @throws HangarException {@code OPERATION_FAILED} when it ended {@code Failed} or {@code Canceled} (with the
     *                         operation's error), {@code TIMEOUT} when {@code timeout} ran out, {@code INTERRUPTED}, or
     *                         any error of the polls themselves
     */
    public OperationStatus waitForCompletion(Duration timeout, Consumer<Progress> progress) {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(progress, "progress");
        if (isDone()) {
            return NOTHING_TO_DO;
        }
        long start = System.nanoTime();
        var delay = Duration.ZERO; // the first look at once: a short transitional state must not be missed
        String lastState = null;
        boolean first = true;
        while (true) {
            pause(min(delay, timeout.minus(elapsedSince(start))));
            // The first look asks for no wait: answered at once, it reports the state the request put the compute in,
            // and a server that honours the preference says so (Preference-Applied: wait=0).
            var wait = first ? Duration.ZERO : longPoll(timeout.minus(elapsedSince(start)));
            var reply = transport.send("GET", statusUri, null, Map.of("Prefer", "wait=" + wait.toSeconds()));
            var status = transport.read(reply, OperationStatus.class);
            if (status == null || status.status() == null) {
                throw new HangarException(HangarException.Kind.HTTP, reply.status(), HangarException.detail(
                        "InvalidResponse", "an operation status without a status"), "GET", statusUri, null);
            }
            // A server that held the answer as asked may be asked again at once: it answers when there is news.
            delay = reply.header("Preference-Applied") != null && reply.header("Preference-Applied").contains("wait")
                    ? Duration.ZERO : RetryAfter.parse(reply.header("Retry-After"));
            var state = currentState();
            progress.accept(new Progress(elapsedSince(start), status, state, first || !Objects.equals(state, lastState)));
            first = false;
            lastState = state;
            if (status.isTerminal()) {
                if (OperationStatus.SUCCEEDED.equalsIgnoreCase(status.status())) {
                    return status;
                }
                throw failed(status);
            }
            if (elapsedSince(start).compareTo(timeout) >= 0) {
                throw HangarException.of(HangarException.Kind.TIMEOUT, "OperationTimedOut", "gave up waiting for the "
                        + action.verb() + " of '" + computeName + "' after " + timeout.toSeconds()
                        + " s; it is still " + status.status() + " on the server", "GET", statusUri, null);
            }
        }
    }

    /**
     * How long the next poll may ask the server to hold its answer: {@link #LONG_POLL}, less when the wait has less
     * left, and always well within the client's request timeout; zero under a second.
     */
    private Duration longPoll(Duration left) {
        var wait = min(min(LONG_POLL, left), transport.requestTimeout().dividedBy(2));
        return wait.toSeconds() >= 1 ? Duration.ofSeconds(wait.toSeconds()) : Duration.ZERO;
    }

    private String currentState() {
        try {
            return ComputeClient.stateOf(transport.read(transport.send("GET", computeUri, null),
                    ComputeResource.class));
        } catch (HangarException e) {
            if (e.kind() == HangarException.Kind.HTTP && e.status() == 404) {
                return null; // gone: what a delete or a detach is expected to end with
            }
            throw e;
        }
    }

    private HangarException failed(OperationStatus status) {
        var error = status.error() != null && status.error().code() != null ? status.error()
                : HangarException.detail("Operation" + status.status(), "the " + action.verb() + " of '"
                        + computeName + "' ended " + status.status());
        return new HangarException(HangarException.Kind.OPERATION_FAILED, 0, error, "GET", statusUri, null);
    }

    private void pause(Duration delay) {
        if (delay.isNegative() || delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw HangarException.of(HangarException.Kind.INTERRUPTED, "Interrupted", "interrupted while waiting for the "
                    + action.verb() + " of '" + computeName + "'", "GET", statusUri, e);
        }
    }

    private static Duration elapsedSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
