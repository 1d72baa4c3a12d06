package dev.hangar.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;

/**
 * An ARM job resource, {@code workspaces/{ws}/jobs/{name}}, in Azure Machine Learning's v2 shape for a command job.
 * Hangar adds {@code exitCode}, {@code error}, {@code startTime} and {@code endTime} to its properties, which
 * Azure's clients ignore.
 */
public record JobResource(String id, String name, String type, Properties properties) {
    public static final String TYPE = "Microsoft.MachineLearningServices/workspaces/jobs";

    /** A command job's properties: what was asked for, and where it stands. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Properties(String jobType, String displayName, String description, String command,
                             String computeId, String codeId, String environmentId,
                             Map<String, String> environmentVariables, Resources resources, String status,
                             String experimentName, Map<String, String> tags, Instant creationTime,
                             Instant startTime, Instant endTime, Integer exitCode, ErrorResponse.ErrorDetail error,
                             QueueSettings queueSettings) {
    }

    /** Where the job waits: its {@code priority}, 1 (low), 2 (medium, the default) or 3 (high), as azure-ai-ml sends. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record QueueSettings(String jobTier, Integer priority) {
    }

    /**
     * The resources a job asks for: {@code instanceCount} nodes (1 on a compute instance), and Hangar's {@code cores}
     * on an instance (default 1).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Resources(Integer instanceCount, String instanceType, Integer cores) {
    }
}
