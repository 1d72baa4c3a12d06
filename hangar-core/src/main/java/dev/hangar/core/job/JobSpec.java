package dev.hangar.core.job;

import dev.hangar.core.spi.engine.SparkApplication;
import java.util.Map;

/**
 * What a submitter asks for: the command, the compute it runs on (by name, in the job's workspace), its environment
 * variables, a display name, the cores it needs (null: 1), the code snapshot it runs in (its digest; null: none), and
 * its priority (null: {@link Job#MEDIUM}), the nodes it runs on at once (null: 1; more only on a cluster), and the
 * environment version whose image it runs in ({@code environmentId}; null: the compute's own environment). A Spark job
 * names its application ({@code spark}) in place of a command: {@code command} is then the spark-submit line it
 * amounts to, shown in listings.
 */
public record JobSpec(String command, String computeName, Map<String, String> environment, String displayName,
                      Integer cores, String codeDigest, Integer priority, Integer instanceCount,
                      String environmentId, SparkApplication spark) {
    public JobSpec {
        environment = environment == null ? Map.of() : Map.copyOf(environment);
    }

    /** A command job. */
    public JobSpec(String command, String computeName, Map<String, String> environment, String displayName,
                   Integer cores, String codeDigest, Integer priority, Integer instanceCount, String environmentId) {
        this(command, computeName, environment, displayName, cores, codeDigest, priority, instanceCount,
                environmentId, null);
    }
}
