package dev.hangar.core.compute;

import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.operation.Operation;
import dev.hangar.core.store.ConcurrentUpdateException;
import dev.hangar.core.store.Store;
import dev.hangar.core.store.Transaction;
import dev.hangar.core.workspace.Workspace;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * The rules every kind of compute obeys alike, in one place: a name is one compute's whatever its kind, and keeps its
 * kind; a delete cancels the operation in progress; a write lost to a concurrent one is tried again a few times and
 * then refused with 409, the same for every kind.
 */
public final class ComputeAdmission {
    /** How often a write lost to a concurrent one is tried before the caller is told to try again. */
    static final int ATTEMPTS = 10;

    private ComputeAdmission() {
    }

    /**
     * The compute that has {@code name} in the workspace, when it is of {@code kind}; 400 {@code ComputeTypeImmutable}
     * when a compute of another kind has it.
     *
     * @param asked the kind the caller asked for, as the refusal names it, e.g. {@code "an AmlCompute cluster"}
     */
    public static <C extends Compute> Optional<C> existing(Transaction tx, Workspace workspace, String name,
                                                           Class<C> kind, String asked) {
        var found = tx.computeNamed(workspace.id(), name);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (!kind.isInstance(found.get())) {
            throw typeImmutable(name, described(found.get()), asked);
        }
        return Optional.of(kind.cast(found.get()));
    }

    /** A compute's kind as a refusal names it: "a ComputeInstance", "an AmlCompute cluster", "an attached Slurm". */
    public static String described(Compute compute) {
        return switch (compute) {
            case ComputeInstance instance -> "a ComputeInstance";
            case ComputeCluster cluster -> "an AmlCompute cluster";
            case AttachedCompute attached -> "an attached " + attached.kind();
        };
    }

    /** 400 {@code ComputeTypeImmutable}: the name is a compute of another kind, as Azure refuses to change the type. */
    public static ApiException typeImmutable(String name, String is, String asked) {
        return ApiException.badRequest(ErrorCodes.COMPUTE_TYPE_IMMUTABLE, "Compute '" + name + "' is " + is
                + " and cannot become " + asked + "; choose another name, or delete it first.",
                "properties.computeType");
    }

    /**
     * The start of a delete, inside its transaction: the delete already in progress when the compute is being deleted
     * (the caller returns it); otherwise empty, the operation in progress (of any other kind) canceled, and the caller
     * records its delete.
     *
     * @param deleting whether the compute is in its kind's deleting state
     */
    public static Optional<Operation> deleteInProgress(Transaction tx, Compute latest, boolean deleting, Instant now) {
        var active = tx.activeOperation(latest.id());
        if (deleting && active.isPresent()) {
            return active;
        }
        active.ifPresent(operation -> tx.endOperation(operation.canceled(now, ComputeError.of(
                "OperationCanceled", "Canceled because the compute is being deleted."))));
        return Optional.empty();
    }

    /**
     * Runs {@code work} in a transaction, again when it lost to a concurrent write, and refuses with 409
     * {@code ActiveOperation} when it kept losing.
     */
    public static <T> T retried(Store store, String name, Function<Transaction, T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return store.inTransaction(work::apply);
            } catch (ConcurrentUpdateException e) {
                if (attempt == ATTEMPTS) {
                    throw ApiException.conflict(ErrorCodes.ACTIVE_OPERATION, ErrorCodes.ACTIVE_OPERATION_MESSAGE
                            + ": compute '" + name + "' kept changing; try again.");
                }
            }
        }
    }
}
