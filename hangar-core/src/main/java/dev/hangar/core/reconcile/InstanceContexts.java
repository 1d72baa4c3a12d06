package dev.hangar.core.reconcile;

import dev.hangar.core.cluster.ClusterNode;
import dev.hangar.core.compute.ComputeCluster;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.InstanceApps;
import dev.hangar.core.files.ShareDisk;
import dev.hangar.core.size.VmSizeCatalog;
import dev.hangar.core.spi.InstanceContext;
import dev.hangar.core.store.Store;
import java.util.List;

/** Builds the record a backend gets for one instance from what the store holds. */
public final class InstanceContexts {
    private final Store store;
    private final VmSizeCatalog sizes;
    private final ShareDisk shares;

    public InstanceContexts(Store store, VmSizeCatalog sizes, ShareDisk shares) {
        this.store = store;
        this.sizes = sizes;
        this.shares = shares;
    }

    public InstanceContext of(ComputeInstance compute) {
        var workspace = store.read(tx -> tx.workspace(compute.workspaceId())).orElseThrow();
        var size = sizes.find(compute.vmSize()).orElseThrow(() -> new IllegalStateException(
                "VM size " + compute.vmSize() + " of compute " + compute.name() + " is no longer in the catalog"));
        var owner = compute.owner() == null ? null : compute.owner().name();
        return new InstanceContext(compute.id(), workspace.name(), compute.name(), size, owner,
                InstanceApps.of(workspace.name(), compute), shares.folder(workspace.id()), compute.customServices());
    }

    /** A cluster's node, to a backend: an instance with no apps and no file share, named {@code <cluster>-<node>}, of the cluster's size. */
    public InstanceContext ofNode(ComputeCluster cluster, ClusterNode node) {
        var workspace = store.read(tx -> tx.workspace(cluster.workspaceId())).orElseThrow();
        var size = sizes.find(cluster.vmSize()).orElseThrow(() -> new IllegalStateException(
                "VM size " + cluster.vmSize() + " of cluster " + cluster.name() + " is no longer in the catalog"));
        var owner = cluster.createdBy() == null ? null : cluster.createdBy().name();
        return new InstanceContext(node.id(), workspace.name(), cluster.name() + "-" + node.name(), size, owner,
                List.of(), null);
    }
}
