package dev.hangar.server.arm;

import dev.hangar.api.AmlComputeNodeInformation;
import dev.hangar.api.AmlComputeProperties;
import dev.hangar.api.Compute;
import dev.hangar.api.ComputeResource;
import dev.hangar.core.cluster.NodeState;
import dev.hangar.core.cluster.NodeView;
import dev.hangar.core.compute.ClusterView;
import dev.hangar.core.workspace.Workspace;

/** Renders a compute cluster and its nodes in the ARM wire format, every key clients read present. */
final class ClusterJson {

    private ClusterJson() {
    }

    static ComputeResource resource(ClusterView view, Workspace workspace) {
        var cluster = view.cluster();
        var errors = cluster.errors().isEmpty() ? null : ComputeJson.errors(cluster.errors());
        var properties = new AmlComputeProperties("Linux", cluster.vmSize(), cluster.vmPriority().name(), null, false,
                new AmlComputeProperties.ScaleSettings(cluster.scale().maxNodes(), cluster.scale().minNodes(),
                        cluster.scale().idleTimeText()),
                null, null, "NotSpecified", view.isResizing() ? "Resizing" : "Steady", view.allocationChangedOn(),
                errors, view.currentNodes(), view.targetNodes(),
                new AmlComputeProperties.NodeStateCounts((int) view.count(NodeState.Idle),
                        (int) view.count(NodeState.Running), (int) view.count(NodeState.Preparing),
                        (int) view.count(NodeState.Unusable), (int) view.count(NodeState.Leaving),
                        (int) view.count(NodeState.Preempted)),
                false, null);
        var envelope = new Compute(workspace.location(), cluster.description(), cluster.createdOn(),
                cluster.modifiedOn(), null, cluster.state().provisioningState(), null, false, false, properties);
        return new ComputeResource(workspace.armId() + "/computes/" + cluster.name(), cluster.name(),
                ComputeResource.TYPE, workspace.location(), cluster.tags(), null, envelope);
    }

    /**
     * One node for {@code listNodes}: reached only through Hangar, so its address is loopback and it has no port of
     * its own; {@code runId} is the name of the job it runs.
     */
    static AmlComputeNodeInformation node(NodeView view) {
        var node = view.node();
        return new AmlComputeNodeInformation(node.name(), "127.0.0.1", null, null, node.state().wireName(),
                view.jobName());
    }
}
