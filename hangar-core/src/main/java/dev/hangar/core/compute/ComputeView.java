package dev.hangar.core.compute;

import dev.hangar.core.operation.Operation;
import java.util.Objects;

/**
 * An instance as the API shows it: its record and its newest lifecycle operation, read together.
 *
 * @param lastOperation null before the compute's first lifecycle operation is recorded
 */
public record ComputeView(ComputeInstance compute, Operation lastOperation) implements AnyComputeView {
    public ComputeView {
        Objects.requireNonNull(compute, "compute");
    }
}
