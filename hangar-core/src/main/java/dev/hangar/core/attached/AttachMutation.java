package dev.hangar.core.attached;

import dev.hangar.core.compute.AttachedCompute;
import dev.hangar.core.operation.Operation;

/** The result of an attach, change or detach: the compute as recorded (as it was, for a detach) and its operation. */
public record AttachMutation(AttachedCompute compute, Operation operation, boolean created) {
}
