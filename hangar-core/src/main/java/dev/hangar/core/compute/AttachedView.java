package dev.hangar.core.compute;

import dev.hangar.core.operation.Operation;

/** An attached compute as read, with its last operation (its attach, change or detach). */
public record AttachedView(AttachedCompute compute, Operation lastOperation) implements AnyComputeView {
}
