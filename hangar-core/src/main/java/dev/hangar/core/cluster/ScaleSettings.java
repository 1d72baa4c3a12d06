package dev.hangar.core.cluster;

import dev.hangar.core.error.ApiException;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * How far a compute cluster scales: it keeps at least {@code minNodes} nodes, never more than {@code maxNodes}, and
 * removes a node above the minimum once it has been idle for {@code idleTimeBeforeScaleDown}.
 */
public record ScaleSettings(int minNodes, int maxNodes, Duration idleTimeBeforeScaleDown) {
    /** The idle time of a cluster created without one: {@code az ml compute create}'s default. */
    public static final Duration DEFAULT_IDLE = Duration.ofSeconds(120);
    /** The most nodes one cluster may have; more is a typing error rather than a plan. */
    public static final int MOST_NODES = 1000;
    public static final String INVALID = "InvalidScaleSettings";
    public static final String INVALID_IDLE_TIME = "InvalidIdleTime";

    /** Checks the settings, with Azure's rules: {@code 0 <= min <= max}, {@code max >= 1}, an idle time >= 0. */
    public ScaleSettings {
        if (minNodes < 0 || maxNodes < 1 || maxNodes > MOST_NODES) {
            throw ApiException.badRequest(INVALID, "scaleSettings needs 0 <= minNodeCount and 1 <= maxNodeCount <= "
                    + MOST_NODES + "; got minNodeCount " + minNodes + ", maxNodeCount " + maxNodes + ".",
                    "properties.properties.scaleSettings");
        }
        if (minNodes > maxNodes) {
            throw ApiException.badRequest(INVALID, "minNodeCount (" + minNodes + ") is greater than maxNodeCount ("
                    + maxNodes + "): a cluster cannot keep more nodes than it may have.",
                    "properties.properties.scaleSettings");
        }
        if (idleTimeBeforeScaleDown == null) {
            idleTimeBeforeScaleDown = DEFAULT_IDLE;
        }
        if (idleTimeBeforeScaleDown.isNegative()) {
            throw ApiException.badRequest(INVALID_IDLE_TIME, "nodeIdleTimeBeforeScaleDown must not be negative.",
                    "properties.properties.scaleSettings.nodeIdleTimeBeforeScaleDown");
        }
    }

    /**
     * An idle time as the wire writes it: an ISO 8601 duration ({@code PT2M}, {@code PT120S}); null or empty (which
     * azureml-core sends when unset) is the default.
     */
    public static Duration parseIdleTime(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_IDLE;
        }
        try {
            return Duration.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(INVALID_IDLE_TIME, "nodeIdleTimeBeforeScaleDown must be an ISO 8601"
                    + " duration such as PT2M or PT120S, not '" + text + "'.",
                    "properties.properties.scaleSettings.nodeIdleTimeBeforeScaleDown");
        }
    }

    /** The idle time as the wire writes it, in seconds: {@code PT120S}. */
    public String idleTimeText() {
        return "PT" + idleTimeBeforeScaleDown.toSeconds() + "S";
    }
}
