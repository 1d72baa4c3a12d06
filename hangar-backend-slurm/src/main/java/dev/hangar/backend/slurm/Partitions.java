package dev.hangar.backend.slurm;

import dev.hangar.core.spi.engine.EngineException;
import java.util.List;

/**
 * A cluster's partitions.
 *
 * @param names       all of them
 * @param defaultName the one jobs go to when they name none, or null when the cluster has no default
 */
record Partitions(List<String> names, String defaultName) {
    static final String NOT_FOUND = "SlurmPartitionNotFound";

    Partitions {
        names = List.copyOf(names);
    }

    /**
     * The partition jobs go to: {@code configured} (null: the default).
     *
     * @throws EngineException {@value #NOT_FOUND} when the cluster has no such partition, or no default
     */
    String choose(String configured) {
        if (configured != null) {
            if (!names.contains(configured)) {
                throw EngineException.fatal(NOT_FOUND, "The cluster has no partition '" + configured + "'; it has "
                        + names);
            }
            return configured;
        }
        if (defaultName == null) {
            throw EngineException.fatal(NOT_FOUND, "The cluster has no default partition; set "
                    + SlurmSettings.PARTITION + " to one of " + names);
        }
        return defaultName;
    }
}
