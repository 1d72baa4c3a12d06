package dev.hangar.core.quota;

import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.size.VmSize;
import dev.hangar.core.store.Transaction;
import dev.hangar.core.workspace.Workspace;
import java.util.UUID;

/**
 * Admission by quota: reserves a new compute's cores in the transaction that records the compute, or refuses it.
 * The location's quota lock is taken first, so concurrent admissions in one location run one after the other and
 * none can count cores another is about to take: no race oversubscribes a quota.
 */
public final class QuotaAdmission {

    private QuotaAdmission() {
    }

    /**
     * Reserves {@code nodes} nodes of {@code size} for compute {@code computeName} ({@code computeId}) in
     * {@code workspace}, or throws 409 {@code QuotaExceeded} naming the quota, its limit, the cores in use and the
     * cores requested. Call it inside the transaction that inserts the compute, or that changes a cluster's maximum:
     * a compute's own reservation is replaced, and does not count against the new one.
     */
    public static void reserve(Transaction tx, Workspace workspace, UUID computeId, String computeName, VmSize size,
                               VmPriority priority, int nodes) {
        tx.lockQuotas(workspace.subscriptionId(), workspace.location());
        var held = tx.coreReservations(workspace.subscriptionId(), workspace.location());
        var others = held.stream().filter(reservation -> !reservation.computeId().equals(computeId)).toList();
        var ledger = new CoreLedger(tx.quotaLimits(workspace.subscriptionId(), workspace.location()), others);
        var cores = size.vCpus() * nodes;
        ledger.check(workspace.id(), size.family(), priority, cores).ifPresent(breach -> {
            throw ApiException.conflict(ErrorCodes.QUOTA_EXCEEDED, "Compute '" + computeName + "' needs " + cores
                    + " " + QuotaName.display(breach.quotaName()) + " (" + nodes + " × " + size.name() + "), but "
                    + (breach.inWorkspace() ? "workspace '" + workspace.name() + "'" : "location '"
                    + workspace.location() + "'") + " has a quota of " + breach.limit() + " and " + breach.used()
                    + " are in use. Stopped instances keep their cores; delete computes you no longer need, or ask an"
                    + " administrator to raise the quota ('hangar quota set').");
        });
        if (others.size() < held.size()) {
            tx.deleteCoreReservation(computeId);
        }
        tx.insertCoreReservation(new CoreReservation(computeId, workspace.id(), computeName, size.family(), priority,
                cores));
    }
}
