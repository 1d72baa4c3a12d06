package dev.hangar.core.cluster;

import dev.hangar.api.ProvisioningState;

/**
 * The lifecycle of a compute cluster itself (its nodes have their own, {@link NodeState}). A cluster is Creating
 * until the scaler has taken it in, then Succeeded for as long as it exists, scaling its nodes; Deleting while its
 * nodes are removed, after which the record goes.
 */
public enum ClusterState {
    Creating, Succeeded, Deleting;

    public boolean canMoveTo(ClusterState to) {
        return switch (this) {
            case Creating -> to == Succeeded || to == Deleting;
            case Succeeded -> to == Deleting;
            case Deleting -> false;
        };
    }

    public ProvisioningState provisioningState() {
        return switch (this) {
            case Creating -> ProvisioningState.Creating;
            case Succeeded -> ProvisioningState.Succeeded;
            case Deleting -> ProvisioningState.Deleting;
        };
    }
}
