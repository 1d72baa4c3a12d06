package dev.hangar.client;

import dev.hangar.api.OperationStatus;
import java.time.Duration;

/**
 * One look at a long-running operation, reported by {@link LongRunningOperation#waitForCompletion} after every poll.
 *
 * @param elapsed      since waiting began
 * @param operation    the operation's status as just read
 * @param state        the compute instance's {@code state} as just read (e.g. {@code Starting}), or {@code null} when
 *                     the compute does not exist (any more: after a delete) or has no instance state
 * @param stateChanged whether {@code state} differs from the previous report (always true for the first)
 */
public record Progress(Duration elapsed, OperationStatus operation, String state, boolean stateChanged) {
}
