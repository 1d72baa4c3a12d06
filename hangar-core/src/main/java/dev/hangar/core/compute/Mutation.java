package dev.hangar.core.compute;

import dev.hangar.core.operation.Operation;

/** The result of a mutating call: the compute as recorded, and the operation that now drives it. */
public record Mutation(ComputeInstance compute, Operation operation, boolean created) {
}
