package dev.hangar.core.job;

import java.util.Map;

/**
 * What a submitter asks for: the command, the compute it runs on (by name, in the job's workspace), its environment
 * variables, a display name, the cores it needs (null: 1), the code snapshot it runs in (its digest; null: none), and
 * its priority (null: {@link Job#MEDIUM}), the nodes it runs on at once (null: 1; more only on a cluster), and the
 * environment version whose image it runs in ({@code environmentId}; null: the compute's own environment).
 */
public record JobSpec(String command, String computeName, Map<String, String> environment, String displayName,
                      Integer cores, String codeDigest, Integer priority, Integer instanceCount,
                      String environmentId) {
    public JobSpec {
        environment = environment == null ? Map.of() : Map.copyOf(environment);
    }
}
