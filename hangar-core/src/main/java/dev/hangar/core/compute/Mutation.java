package dev.hangar.core.compute;

import dev.hangar.core.operation.Operation;

/**
 * The result of a mutating call on a compute of any kind: the compute as recorded (as it was, for a detach), the
 * operation that now drives it, and whether the call created it.
 */
public record Mutation<C extends Compute>(C compute, Operation operation, boolean created) {
}
