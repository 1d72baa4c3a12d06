package dev.hangar.core.operation;

import dev.hangar.core.compute.ComputeError;
import java.time.Instant;
import java.util.UUID;

/**
 * A long-running operation on a compute. At most one is {@link OperationStatus#InProgress} per compute; its row
 * outlives the compute so that pollers of a delete still get an answer.
 */
public record Operation(UUID id, UUID workspaceId, UUID computeId, String computeName, OperationKind kind,
                        OperationStatus status, Trigger trigger, String actor, Instant startedOn, Instant endedOn,
                        ComputeError error) {

    public static Operation begin(UUID workspaceId, UUID computeId, String computeName, OperationKind kind,
                                  Trigger trigger, String actor, Instant now) {
        return new Operation(UUID.randomUUID(), workspaceId, computeId, computeName, kind, OperationStatus.InProgress,
                trigger, actor, now, null, null);
    }

    public Operation succeeded(Instant at) {
        return end(OperationStatus.Succeeded, at, null);
    }

    public Operation failed(Instant at, ComputeError why) {
        return end(OperationStatus.Failed, at, why);
    }

    public Operation canceled(Instant at, ComputeError why) {
        return end(OperationStatus.Canceled, at, why);
    }

    private Operation end(OperationStatus to, Instant at, ComputeError why) {
        if (status.isTerminal()) {
            throw new IllegalStateException("Operation " + id + " already ended as " + status);
        }
        return new Operation(id, workspaceId, computeId, computeName, kind, to, trigger, actor, startedOn, at, why);
    }
}
