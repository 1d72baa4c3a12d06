package dev.hangar.core.job.engine;

import dev.hangar.core.compute.AttachedCompute;
import dev.hangar.core.compute.ComputeError;
import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.store.ConcurrentUpdateException;
import dev.hangar.core.store.Store;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether an attached compute's engine answers, as its {@code errors} say: while it cannot be reached its jobs stay as
 * they are and the errors say why; they are cleared once it answers again.
 */
final class EngineReachability {
    private static final Logger LOG = LoggerFactory.getLogger(EngineReachability.class);

    private final Store store;

    EngineReachability(Store store) {
        this.store = store;
    }

    /** Clears the compute's errors once its engine answers again. */
    void reachable(AttachedCompute compute) {
        if (!compute.errors().isEmpty()) {
            updateErrors(compute.id(), List.of());
        }
    }

    /** Says on the compute why its engine cannot be reached now; its jobs wait as they are. */
    void unreachable(AttachedCompute compute, EngineException e) {
        LOG.warn("{} '{}' cannot be reached: {}", compute.kind(), compute.name(), e.getMessage());
        var error = ComputeError.of(e.code(), e.getMessage());
        if (!compute.errors().equals(List.of(error))) {
            updateErrors(compute.id(), List.of(error));
        }
    }

    private void updateErrors(UUID computeId, List<ComputeError> errors) {
        try {
            store.inTransaction(tx -> tx.attached(computeId).map(latest -> tx.updateAttached(latest
                    .withErrors(errors))));
        } catch (ConcurrentUpdateException e) {
            // Changed meanwhile: the next look says it again.
        }
    }
}
