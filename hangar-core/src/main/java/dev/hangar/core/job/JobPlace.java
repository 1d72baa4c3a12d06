package dev.hangar.core.job;

import dev.hangar.core.cluster.ClusterNode;
import dev.hangar.core.compute.ComputeCluster;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.InstanceState;
import dev.hangar.core.reconcile.InstanceContexts;
import dev.hangar.core.spi.InstanceContext;
import dev.hangar.core.store.Store;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a job runs, as its backend knows it: an instance, or one node of a cluster.
 *
 * @param hostId the instance's id, or the node's
 * @param label  how messages name it: the instance, or {@code <cluster> node <node>}
 */
record JobPlace(UUID hostId, String label, String backend, InstanceContext context) {

    static JobPlace of(InstanceContexts contexts, ComputeInstance instance) {
        return new JobPlace(instance.id(), instance.name(), instance.backend(), contexts.of(instance));
    }

    static JobPlace of(InstanceContexts contexts, ComputeCluster cluster, ClusterNode node) {
        return new JobPlace(node.id(), cluster.name() + " node " + node.name(), cluster.backend(),
                contexts.ofNode(cluster, node));
    }

    /** The running instance, or the live node of a cluster, of this id. */
    static Optional<JobPlace> find(Store store, InstanceContexts contexts, UUID hostId) {
        return store.read(tx -> {
            var compute = tx.compute(hostId);
            if (compute.isPresent()) {
                return compute.filter(instance -> instance.state() == InstanceState.Running)
                        .map(instance -> of(contexts, instance));
            }
            return tx.node(hostId).filter(node -> node.state().isLive())
                    .flatMap(node -> tx.cluster(node.clusterId()).map(cluster -> of(contexts, cluster, node)));
        });
    }
}
