package dev.hangar.core.job;

import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.cluster.ClusterState;
import dev.hangar.core.compute.ComputeFilter;
import dev.hangar.core.compute.ComputeOrder;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.size.VmSizeCatalog;
import dev.hangar.core.store.Store;
import dev.hangar.core.workspace.Workspace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The computes of a workspace a job may be sent to, as a form offers them: instances, clusters and attached computes,
 * each with whether this caller may submit a job to it by the rules {@link JobService#submit} applies (an instance's
 * apps open for them; an attached engine has an account for them; a cluster is not being deleted) and the most cores
 * and nodes a job may ask for there. {@code submit} checks again; this only keeps a form from offering what it
 * would refuse.
 *
 * <p>Thread-safe; blocking (it uses the store).
 */
public final class JobTargets {
    /** The most computes of each kind listed: more than a form's select is of use for. */
    public static final int MOST = 500;

    private final Store store;
    private final VmSizeCatalog sizes;
    private final AccessPolicy access;

    public JobTargets(Store store, VmSizeCatalog sizes, AccessPolicy access) {
        this.store = store;
        this.sizes = sizes;
        this.access = access;
    }

    /**
     * A compute a job may name.
     *
     * @param kind     {@code ComputeInstance}, {@code AmlCompute} or the attached engine's kind
     * @param runnable whether the caller may submit a job to it now
     * @param cores    the most cores a job may ask for there (per node on a cluster)
     * @param maxNodes the most nodes a job may ask for there
     */
    public record Target(String name, String kind, boolean runnable, int cores, int maxNodes) {
    }

    /** Every compute of the workspace a job may name, by name; 403 to a caller who may not read its jobs. */
    public List<Target> list(User caller, Workspace workspace) {
        return store.read(tx -> {
            var grants = access.grants(tx, caller, workspace.id());
            access.require(grants, Action.JOB_READ, JobService.armId(workspace, null));
            var submits = grants.allows(Action.JOB_WRITE);
            var targets = new ArrayList<Target>();
            for (var instance : tx.computes(workspace.id(), ComputeFilter.NONE, ComputeOrder.NAME, 0, MOST)) {
                targets.add(new Target(instance.name(), "ComputeInstance",
                        submits && access.mayOpenApps(grants, instance), cores(instance.vmSize()), 1));
            }
            for (var cluster : tx.clusters(workspace.id(), ComputeFilter.NONE, 0, MOST)) {
                targets.add(new Target(cluster.name(), "AmlCompute",
                        submits && cluster.state() != ClusterState.Deleting, cores(cluster.vmSize()),
                        cluster.scale().maxNodes()));
            }
            for (var attached : tx.attachedComputes(workspace.id(), ComputeFilter.NONE, 0, MOST)) {
                var engine = attached.engine();
                targets.add(new Target(attached.name(), attached.kind(), submits && mayRunAs(attached, caller),
                        engine == null ? 1 : Math.max(1, engine.cpusPerNode()),
                        engine == null ? 1 : Math.max(1, engine.nodeCount())));
            }
            targets.sort(Comparator.comparing(target -> target.name().toLowerCase(java.util.Locale.ROOT)));
            return List.copyOf(targets);
        });
    }

    private int cores(String vmSize) {
        return vmSize == null ? 1 : sizes.find(vmSize).map(size -> size.vCpus()).orElse(1);
    }

    private static boolean mayRunAs(dev.hangar.core.compute.AttachedCompute compute, User caller) {
        try {
            compute.runAs(caller.ref());
            return true;
        } catch (ApiException unmapped) {
            return false;
        }
    }
}
