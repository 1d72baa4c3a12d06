package dev.hangar.core.cluster;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One node of a compute cluster: on the host and container backends a worker of its own (a home folder and its
 * processes, or a container), provisioned through the backend SPI as an instance with no apps, tagged with
 * {@link #id()}. A node runs one job at a time.
 *
 * @param name the node id the API shows ({@code tvm-...})
 * @param jobId the job it runs while Running, else null
 * @param since when it entered its state: for an idle node, when it became idle
 */
public record ClusterNode(UUID id, UUID clusterId, String name, NodeState state, UUID jobId, Instant since,
                          Instant createdOn, long version) {

    public ClusterNode {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
    }

    /** A node the cluster just asked for, Preparing. */
    public static ClusterNode preparing(UUID clusterId, Instant at) {
        var id = UUID.randomUUID();
        return new ClusterNode(id, clusterId, "tvm-" + id.toString().substring(0, 8), NodeState.Preparing, null, at,
                at, 0);
    }

    public ClusterNode moveTo(NodeState to, UUID job, Instant at) {
        return new ClusterNode(id, clusterId, name, to, job, at, createdOn, version);
    }

    public ClusterNode withVersion(long newVersion) {
        return new ClusterNode(id, clusterId, name, state, jobId, since, createdOn, newVersion);
    }
}
