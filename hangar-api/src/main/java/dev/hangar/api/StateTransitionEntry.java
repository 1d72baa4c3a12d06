package dev.hangar.api;

import java.time.Instant;

/**
 * One line of a compute's history ({@code GET .../computes/{name}/history}, a Hangar extension): when the state
 * moved, from where ({@code null} at creation) to where, why, and who caused it.
 */
public record StateTransitionEntry(Instant time, String from, String to, String reason, String actor) {
}
