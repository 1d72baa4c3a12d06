package dev.hangar.core.reconcile;

import java.time.Duration;

/**
 * How the reconciler paces itself.
 *
 * @param backendCallTimeout how long one backend call may take before it counts as failed
 * @param resyncInterval how often every compute is looked at again, to notice what changed outside Hangar
 * @param retryDelay how long to wait before retrying a backend call that failed in a retryable way
 * @param giveUpAfter how long an operation keeps retrying a backend that fails in a retryable way (an engine that does
 *     not answer) before it fails for good; meanwhile the instance's {@code errors} show the cause
 */
public record ReconcilerConfig(Duration backendCallTimeout, Duration resyncInterval, Duration retryDelay,
                               Duration giveUpAfter) {
    public static final Duration DEFAULT_BACKEND_CALL_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_RESYNC_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(5);
    public static final Duration DEFAULT_GIVE_UP_AFTER = Duration.ofMinutes(5);

    public static ReconcilerConfig defaults() {
        return new ReconcilerConfig(DEFAULT_BACKEND_CALL_TIMEOUT, DEFAULT_RESYNC_INTERVAL, DEFAULT_RETRY_DELAY,
                DEFAULT_GIVE_UP_AFTER);
    }
}
