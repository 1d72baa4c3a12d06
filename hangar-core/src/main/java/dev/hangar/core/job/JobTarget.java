package dev.hangar.core.job;

import dev.hangar.core.access.User;
import dev.hangar.core.cluster.ClusterState;
import dev.hangar.core.cluster.NodeState;
import dev.hangar.core.compute.AttachedCompute;
import dev.hangar.core.compute.ComputeCluster;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.InstanceState;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.spi.engine.EngineJob;
import dev.hangar.core.store.Transaction;
import dev.hangar.core.workspace.Workspace;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The compute a job is submitted to, as {@link JobService#submit} resolves it: an instance, a cluster, whose nodes
 * take one job each, an attached engine (no VM size: its nodes' CPUs bound a job's cores, and its partition's nodes
 * the nodes a job may ask for), or the submitter's own machine (a local run).
 *
 * @param kind     which kind it is: an attached engine queues and runs jobs itself
 * @param cores    the most cores a job may ask for, when the VM size does not say
 * @param runsImages whether it is an attached engine's whose machine runs jobs in containers of their images
 */
record JobTarget(UUID id, String name, String vmSize, String backend, TargetKind kind,
                 int maxNodes, Integer cores, String waitsBecause, boolean runsImages) {

    JobTarget(UUID id, String name, String vmSize, String backend, TargetKind kind, int maxNodes, Integer cores,
              String waitsBecause) {
        this(id, name, vmSize, backend, kind, maxNodes, cores, waitsBecause, false);
    }

    boolean attached() {
        return kind == TargetKind.Attached;
    }

    /** Whether the job's processes may span nodes (a cluster's, or an attached engine's partition's). */
    boolean isCluster() {
        return kind == TargetKind.Cluster || kind == TargetKind.Attached;
    }

    /**
     * The compute of this name, read once whatever its kind; its kind is kept with the job, so that its runner is
     * known without reading the compute again.
     *
     * @param mayRunOn refuses the caller an instance whose apps they may not open
     */
    static JobTarget find(Transaction tx, Workspace workspace, String name, User caller,
                       Consumer<ComputeInstance> mayRunOn) {
        if (LocalTarget.isLocal(name)) {
            // No compute: the submitter's machine, whose cores are its own business.
            return new JobTarget(LocalTarget.NO_COMPUTE, LocalTarget.NAME, null, null, TargetKind.Local, 1,
                    Integer.MAX_VALUE, "; it runs on its submitter's own machine, in their hangar CLI");
        }
        var found = tx.computeNamed(workspace.id(), name).orElseThrow(() -> ApiException.badRequest(
                "ComputeNotFound", "Compute '" + name + "' does not exist in workspace '" + workspace.name()
                        + "'.", "computeId"));
        return switch (found) {
            case ComputeInstance compute -> {
                mayRunOn.accept(compute);
                yield new JobTarget(compute.id(), compute.name(), compute.vmSize(), compute.backend(),
                        TargetKind.Instance, 1, null, compute.state() == InstanceState.Running ? ""
                        : "; it waits until " + compute.name() + ", now " + compute.state() + ", runs");
            }
            case AttachedCompute compute -> {
                // Refused now, not once it reaches the engine: a requester without an account there.
                compute.runAs(caller.ref());
                var engine = compute.engine();
                yield new JobTarget(compute.id(), compute.name(), null, compute.kind(), TargetKind.Attached,
                        engine == null ? 1 : Math.max(1, engine.nodeCount()),
                        engine == null ? 1 : Math.max(1, engine.cpusPerNode()), "; it is submitted to "
                        + compute.kind() + " at once", !"none".equals(compute.settings()
                        .getOrDefault(EngineJob.CONTAINER_ENGINE, "none")));
            }
            case ComputeCluster cluster -> {
                if (cluster.state() == ClusterState.Deleting) {
                    throw ApiException.conflict("ComputeDeleting", "Cluster '" + name + "' is being deleted;"
                            + " submit the job to another compute.");
                }
                var idle = tx.nodes(cluster.id()).stream().anyMatch(node -> node.state() == NodeState.Idle);
                yield new JobTarget(cluster.id(), cluster.name(), cluster.vmSize(), cluster.backend(),
                        TargetKind.Cluster, cluster.scale().maxNodes(), null,
                        idle ? "" : "; it waits for a node of cluster " + cluster.name() + " (at most "
                                + cluster.scale().maxNodes() + ")");
            }
        };
    }
}
