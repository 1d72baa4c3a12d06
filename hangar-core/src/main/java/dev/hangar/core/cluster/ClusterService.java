package dev.hangar.core.cluster;

import dev.hangar.api.ComputeType;
import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.compute.ClusterView;
import dev.hangar.core.compute.ComputeAdmission;
import dev.hangar.core.compute.ComputeCluster;
import dev.hangar.core.compute.ComputeFilter;
import dev.hangar.core.compute.ComputeName;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.compute.Mutation;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.operation.Operation;
import dev.hangar.core.operation.OperationKind;
import dev.hangar.core.operation.Trigger;
import dev.hangar.core.quota.QuotaAdmission;
import dev.hangar.core.size.VmSize;
import dev.hangar.core.size.VmSizeCatalog;
import dev.hangar.core.store.Store;
import dev.hangar.core.store.Transaction;
import dev.hangar.core.workspace.Workspace;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;

/**
 * The application service for compute clusters: create, read, list, rescale, delete and list nodes, each after
 * checking the caller's action in the workspace, recording the change and its operation in one transaction, then
 * waking the {@link ClusterScaler}. A cluster's cores count against quota at its maximum: {@code maxNodeCount} × the
 * size's vCPUs, against the quota of its priority (dedicated or low priority). A refused call records nothing.
 *
 * <p>Thread-safe; blocking (it uses the store).
 */
public final class ClusterService {
    /** The kind as a refusal of a name another kind has names it. */
    private static final String CLUSTER = "an AmlCompute cluster";

    private final Store store;
    private final VmSizeCatalog sizes;
    private final AccessPolicy access;
    private final Clock clock;
    private final String defaultBackend;
    private final Runnable scale;
    private final ToIntFunction<UUID> waiting;

    /**
     * @param scale has the scaler look at the clusters at once
     * @param waiting how many jobs wait in a cluster's queue (by id), which its target node count counts
     */
    public ClusterService(Store store, VmSizeCatalog sizes, AccessPolicy access, Clock clock, String defaultBackend,
                          Runnable scale, ToIntFunction<UUID> waiting) {
        this.store = store;
        this.sizes = sizes;
        this.access = access;
        this.clock = clock;
        this.defaultBackend = defaultBackend;
        this.scale = scale;
        this.waiting = waiting;
    }

    public ClusterView view(User caller, Workspace workspace, String name) {
        return store.read(tx -> {
            require(tx, caller, workspace, Action.READ, name);
            var cluster = find(tx, workspace, name);
            return view(cluster, tx.nodes(cluster.id()), tx.lastOperation(cluster.id()).orElse(null));
        });
    }

    /** One page of the workspace's clusters by name, each with its nodes and last operation. */
    public List<ClusterView> list(User caller, Workspace workspace, ComputeFilter filter, int skip, int limit) {
        return store.read(tx -> {
            access.require(access.grants(tx, caller, workspace.id()), Action.READ, workspace.armId() + "/computes");
            var page = tx.clusters(workspace.id(), filter, skip, limit);
            var ids = page.stream().map(ComputeCluster::id).toList();
            var last = tx.lastOperations(ids);
            var nodes = tx.nodesOf(ids);
            return page.stream().map(cluster -> view(cluster, nodes.stream()
                    .filter(node -> node.clusterId().equals(cluster.id())).toList(), last.get(cluster.id()))).toList();
        });
    }

    /** A cluster as read in a transaction, for Hangar's own components that act for no caller. */
    public ClusterView view(Transaction tx, ComputeCluster cluster) {
        return view(cluster, tx.nodes(cluster.id()), tx.lastOperation(cluster.id()).orElse(null));
    }

    private ClusterView view(ComputeCluster cluster, List<ClusterNode> nodes, Operation last) {
        var target = cluster.state() == ClusterState.Succeeded
                ? Autoscaler.plan(cluster.scale(), nodes, waiting.applyAsInt(cluster.id()), clock.instant()).target()
                : (int) nodes.stream().filter(node -> node.state().isLive()).count();
        return new ClusterView(cluster, nodes, last, target);
    }

    /** {@code listNodes}: the cluster's nodes, oldest first, each with the job it runs. */
    public List<NodeView> nodes(User caller, Workspace workspace, String name) {
        return store.read(tx -> {
            require(tx, caller, workspace, Action.LIST_NODES, name);
            return tx.nodes(find(tx, workspace, name).id()).stream().map(node -> new NodeView(node,
                    node.jobId() == null ? null : tx.job(node.jobId()).map(job -> job.name()).orElse(null)))
                    .toList();
        });
    }

    /**
     * Creates the cluster, or updates an existing one's scale settings, description and tags; its size and priority
     * are fixed at creation.
     */
    public Mutation<ComputeCluster> createOrUpdate(User caller, Workspace workspace, String name,
            ClusterRequest request) {
        store.read(tx -> {
            require(tx, caller, workspace, Action.WRITE, name);
            return null;
        });
        var existing = store.read(tx -> ComputeAdmission.existing(tx, workspace, name, ComputeCluster.class, CLUSTER));
        if (existing.isPresent()) {
            var current = existing.get();
            if (request.vmSize() != null && !request.vmSize().equalsIgnoreCase(current.vmSize())) {
                throw ApiException.badRequest(ErrorCodes.VM_SIZE_IMMUTABLE, "The VM size of cluster '" + name
                        + "' is " + current.vmSize() + " and cannot be changed to " + request.vmSize() + ".",
                        "properties.properties.vmSize");
            }
            if (request.vmPriority() != null && request.vmPriority() != current.vmPriority()) {
                throw ApiException.badRequest(ErrorCodes.VM_PRIORITY_IMMUTABLE, "Cluster '" + name + "' has "
                        + current.vmPriority() + " nodes; the priority is chosen at creation.",
                        "properties.properties.vmPriority");
            }
            return change(caller, workspace, name, cluster -> cluster.withUpdate(request.scale(),
                    request.description(), request.tags(), clock.instant()));
        }
        ComputeName.check(name);
        var size = size(request.vmSize());
        var now = clock.instant();
        var priority = request.vmPriority() == null ? dev.hangar.core.quota.VmPriority.Dedicated : request.vmPriority();
        if (priority == dev.hangar.core.quota.VmPriority.LowPriority && !size.lowPriorityCapable()) {
            throw ApiException.badRequest("InvalidVmPriority", "VM size '" + size.name() + "' offers no low-priority"
                    + " nodes; choose Dedicated or another size.", "properties.properties.vmPriority");
        }
        var draft = new ComputeCluster(UUID.randomUUID(), workspace.id(), name, size.name(), priority,
                request.scale(), ClusterState.Creating, request.description(), request.tags(), caller.ref(),
                List.of(), defaultBackend, now, now, 0);
        var mutation = ComputeAdmission.retried(store, name, tx -> {
            if (ComputeAdmission.existing(tx, workspace, name, ComputeCluster.class, CLUSTER).isPresent()) {
                throw ApiException.conflict(ErrorCodes.ACTIVE_OPERATION, ErrorCodes.ACTIVE_OPERATION_MESSAGE
                        + ": compute '" + name + "' is being created by another request.");
            }
            var created = tx.insertCluster(draft);
            QuotaAdmission.reserve(tx, workspace, created.id(), name, size, priority, created.scale().maxNodes());
            var operation = Operation.begin(workspace.id(), created.id(), name, OperationKind.Create,
                    Trigger.User, caller.name(), now);
            tx.insertOperation(operation);
            return new Mutation<>(created, operation, true);
        });
        scale.run();
        return mutation;
    }

    /** PATCH: new scale settings, with the quota admitted again when the maximum grows. */
    public Mutation<ComputeCluster> rescale(User caller, Workspace workspace, String name,
            ScaleSettings scaleSettings) {
        store.read(tx -> {
            require(tx, caller, workspace, Action.WRITE, name);
            return null;
        });
        return change(caller, workspace, name, cluster -> cluster.withUpdate(scaleSettings, cluster.description(),
                cluster.tags(), clock.instant()));
    }

    private Mutation<ComputeCluster> change(User caller, Workspace workspace, String name,
            UnaryOperator<ComputeCluster> edit) {
        var mutation = ComputeAdmission.retried(store, name, tx -> {
            var latest = find(tx, workspace, name);
            if (latest.state() == ClusterState.Deleting) {
                throw ApiException.conflict(ErrorCodes.ACTIVE_OPERATION, ErrorCodes.ACTIVE_OPERATION_MESSAGE
                        + ": cluster '" + name + "' is being deleted.");
            }
            var edited = edit.apply(latest);
            if (edited.scale().maxNodes() != latest.scale().maxNodes()) {
                QuotaAdmission.reserve(tx, workspace, latest.id(), name, size(latest.vmSize()),
                        latest.vmPriority(), edited.scale().maxNodes());
            }
            var updated = tx.updateCluster(edited);
            var now = clock.instant();
            var operation = Operation.begin(workspace.id(), latest.id(), name, OperationKind.Update,
                    Trigger.User, caller.name(), now).succeeded(now);
            tx.insertOperation(operation);
            return new Mutation<>(updated, operation, false);
        });
        scale.run();
        return mutation;
    }

    /**
     * Deletes the cluster: it moves to Deleting at once, and the scaler removes its nodes (ending the jobs on them,
     * which fail with {@code ComputeStopped}) and then the record. Empty when there is no such cluster.
     */
    public Optional<Mutation<ComputeCluster>> delete(User caller, Workspace workspace, String name) {
        store.read(tx -> {
            require(tx, caller, workspace, Action.DELETE, name);
            return null;
        });
        var mutation = ComputeAdmission.retried(store, name, tx -> {
            var latest = tx.findCluster(workspace.id(), name).orElse(null);
            if (latest == null) {
                return null;
            }
            var now = clock.instant();
            return ComputeAdmission.deleteInProgress(tx, latest, latest.state() == ClusterState.Deleting, now)
                    .map(deleting -> new Mutation<>(latest, deleting, false))
                    .orElseGet(() -> {
                        var moved = tx.updateCluster(latest.withState(ClusterState.Deleting, now));
                        var operation = Operation.begin(workspace.id(), latest.id(), name, OperationKind.Delete,
                                Trigger.User, caller.name(), now);
                        tx.insertOperation(operation);
                        return new Mutation<>(moved, operation, false);
                    });
        });
        if (mutation != null) {
            scale.run();
        }
        return Optional.ofNullable(mutation);
    }

    private VmSize size(String name) {
        return sizes.admit(name, ComputeType.AML_COMPUTE, "compute clusters", "properties.properties.vmSize");
    }

    private void require(Transaction tx, User caller, Workspace workspace, Action action, String name) {
        access.require(access.grants(tx, caller, workspace.id()), action, ComputeService.armId(workspace, name));
    }

    private static ComputeCluster find(Transaction tx, Workspace workspace, String name) {
        return tx.findCluster(workspace.id(), name).orElseThrow(() -> ApiException.notFound(
                "Compute '" + name + "' was not found in workspace '" + workspace.name() + "'."));
    }
}
