package dev.hangar.core.spi.engine;

import java.util.Map;

/**
 * What an engine said of itself when it was reached.
 *
 * @param version        e.g. {@code slurm 22.05.8}
 * @param cluster        the engine's name for its cluster, e.g. {@code ClusterName}
 * @param partition      where Hangar's jobs go
 * @param nodeCount      the partition's nodes
 * @param cpusPerNode    the most CPUs one of its nodes has: the most one job's process may ask for
 * @param account        the account Hangar reaches the engine as
 * @param switchesUsers  whether that account may run jobs as other accounts (root, or {@code sudo} without a password)
 * @param learned        settings the engine learned or settled and wants kept with the attachment (e.g. a pinned SSH
 *                       host key, the partition it chose), kept where the attachment does not set them
 */
public record EngineInfo(String version, String cluster, String partition, int nodeCount, int cpusPerNode,
                         String account, boolean switchesUsers, Map<String, String> learned) {
    public EngineInfo {
        learned = Map.copyOf(learned);
    }
}
