package dev.hangar.core.idle;

import java.time.Duration;
import java.time.Instant;

/**
 * An instance's idle shutdown: after how long without activity it is stopped ({@code idleTimeBeforeShutdown}; null
 * for never), and until when an explicit keep-alive lease counts as activity (null for none).
 */
public record IdleShutdown(Duration idleTime, Instant keepAliveUntil) {
    public static final IdleShutdown NEVER = new IdleShutdown(null, null);
    /** The shortest idle time Azure ML takes, and Hangar by default. */
    public static final Duration MINIMUM = Duration.ofMinutes(15);
    /** The longest idle time. */
    public static final Duration MAXIMUM = Duration.ofDays(3);

    public boolean isOn() {
        return idleTime != null;
    }

    public IdleShutdown withIdleTime(Duration newIdleTime) {
        return new IdleShutdown(newIdleTime, keepAliveUntil);
    }

    public IdleShutdown withKeepAliveUntil(Instant until) {
        return new IdleShutdown(idleTime, until);
    }
}
