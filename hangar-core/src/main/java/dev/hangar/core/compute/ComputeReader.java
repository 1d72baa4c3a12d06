package dev.hangar.core.compute;

import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.store.Store;
import dev.hangar.core.store.Transaction;
import dev.hangar.core.workspace.Workspace;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Reads a compute by name, whatever its kind, in one transaction: the caller's roles first, then the compute, then
 * what its kind shows. The API reads a compute once and switches once over its kind; the kinds' services then act on
 * it.
 */
public final class ComputeReader {
    private final Store store;
    private final AccessPolicy access;
    private final BiFunction<Transaction, ComputeCluster, ClusterView> clusterView;

    /** @param clusterView a cluster's view as read in a transaction (its nodes and the count it scales to) */
    public ComputeReader(Store store, AccessPolicy access,
                         BiFunction<Transaction, ComputeCluster, ClusterView> clusterView) {
        this.store = store;
        this.access = access;
        this.clusterView = clusterView;
    }

    /**
     * The compute of this name, once the caller's roles grant {@code action} on it (403 otherwise, whether or not it
     * exists); 404 when there is none.
     */
    public AnyComputeView view(User caller, Workspace workspace, Action action, String name) {
        return store.read(tx -> {
            access.require(access.grants(tx, caller, workspace.id()), action, ComputeService.armId(workspace, name));
            return view(tx, tx.computeNamed(workspace.id(), name).orElseThrow(() -> notFound(workspace, name)));
        });
    }

    /** What the compute's kind shows beside it, read in the caller's transaction, for no caller in particular. */
    public AnyComputeView view(Transaction tx, Compute compute) {
        return switch (compute) {
            case ComputeInstance instance -> new ComputeView(instance, tx.lastOperation(instance.id()).orElse(null));
            case ComputeCluster cluster -> clusterView.apply(tx, cluster);
            case AttachedCompute attached -> new AttachedView(attached, tx.lastOperation(attached.id()).orElse(null));
        };
    }

    /** The compute of this name, once the caller's roles grant {@code action} on it; 404 when there is none. */
    public Compute compute(User caller, Workspace workspace, Action action, String name) {
        return find(caller, workspace, action, name).orElseThrow(() -> notFound(workspace, name));
    }

    /** The compute of this name, if any, once the caller's roles grant {@code action} on it. */
    public Optional<Compute> find(User caller, Workspace workspace, Action action, String name) {
        return store.read(tx -> {
            access.require(access.grants(tx, caller, workspace.id()), action, ComputeService.armId(workspace, name));
            return tx.computeNamed(workspace.id(), name);
        });
    }

    static ApiException notFound(Workspace workspace, String name) {
        return ApiException.notFound("Compute '" + name + "' was not found in workspace '" + workspace.name() + "'.");
    }
}
