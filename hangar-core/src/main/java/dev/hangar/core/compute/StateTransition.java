package dev.hangar.core.compute;

import java.time.Instant;
import java.util.UUID;

/**
 * One line of a compute's append-only history: when it moved, from where to where, why, and who caused it.
 * {@code from} is null for the first line.
 */
public record StateTransition(UUID computeId, Instant at, InstanceState from, InstanceState to, String reason,
                              String actor) {
}
