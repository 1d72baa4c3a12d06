package dev.hangar.core.idle;

import dev.hangar.core.error.ApiException;
import java.time.Duration;

/**
 * The idle times Hangar takes: from {@code minimum} ({@link IdleShutdown#MINIMUM}, 15 minutes, as on Azure ML, unless
 * the configuration lowers it, as tests do) to {@link IdleShutdown#MAXIMUM}, 3 days.
 */
public record IdleRules(Duration minimum) {
    public static final String INVALID = "InvalidIdleTime";
    public static final String INVALID_KEEP_ALIVE = "InvalidKeepAlive";
    public static final IdleRules DEFAULT = new IdleRules(IdleShutdown.MINIMUM);

    public IdleRules {
        if (minimum == null || minimum.isNegative() || minimum.isZero()
                || minimum.compareTo(IdleShutdown.MINIMUM) > 0) {
            throw new IllegalArgumentException("The shortest idle time must be above 0 and at most "
                    + IdleShutdown.MINIMUM + ", not " + minimum);
        }
    }

    /** {@code idleTime} when it is within bounds; null for null (no idle shutdown); 400 {@value #INVALID} otherwise. */
    public Duration check(Duration idleTime) {
        if (idleTime == null) {
            return null;
        }
        if (idleTime.compareTo(minimum) < 0 || idleTime.compareTo(IdleShutdown.MAXIMUM) > 0) {
            throw ApiException.badRequest(INVALID, "idleTimeBeforeShutdown must be from " + minutes(minimum)
                    + " to 3 days (PT72H), not " + idleTime + ".", "properties.properties.idleTimeBeforeShutdown");
        }
        return idleTime;
    }

    private static String minutes(Duration duration) {
        return duration.toSecondsPart() == 0 ? duration.toMinutes() + " minutes (" + duration + ")"
                : duration.toString();
    }
}
