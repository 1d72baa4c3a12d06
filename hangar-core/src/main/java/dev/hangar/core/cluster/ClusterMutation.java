package dev.hangar.core.cluster;

import dev.hangar.core.compute.ComputeCluster;
import dev.hangar.core.operation.Operation;

/** The result of a mutating call on a cluster: the cluster as recorded and the operation that now drives it. */
public record ClusterMutation(ComputeCluster cluster, Operation operation, boolean created) {
}
