package dev.hangar.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An ARM job resource, {@code workspaces/{ws}/jobs/{name}}, in Azure Machine Learning's v2 shape for a command job or
 * a Spark job ({@code jobType: Spark}, with {@code entry}, {@code args}, {@code jars}, {@code pyFiles}, {@code files},
 * {@code archives} and {@code conf} in place of {@code command}). Hangar adds {@code exitCode}, {@code error}, {@code startTime} and {@code endTime} to its properties, which
 * Azure's clients ignore.
 */
public record JobResource(String id, String name, String type, Properties properties) {
    public static final String TYPE = "Microsoft.MachineLearningServices/workspaces/jobs";

    /**
     * A job's properties: what was asked for, and where it stands. A command job has {@code command}; a Spark job its
     * {@code entry} and the fields after it (Azure's {@code SparkJob}: {@code args} is one string, split as a shell
     * would; every path is relative to the code snapshot).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Properties(String jobType, String displayName, String description, String command,
                             String computeId, String codeId, String environmentId,
                             Map<String, String> environmentVariables, Resources resources, String status,
                             String experimentName, Map<String, String> tags, Instant creationTime,
                             Instant startTime, Instant endTime, Integer exitCode, ErrorResponse.ErrorDetail error,
                             QueueSettings queueSettings, SparkEntry entry, String args, List<String> jars,
                             List<String> pyFiles, List<String> files, List<String> archives,
                             Map<String, String> conf) {

        /** A command job's properties. */
        public Properties(String jobType, String displayName, String description, String command, String computeId,
                          String codeId, String environmentId, Map<String, String> environmentVariables,
                          Resources resources, String status, String experimentName, Map<String, String> tags,
                          Instant creationTime, Instant startTime, Instant endTime, Integer exitCode,
                          ErrorResponse.ErrorDetail error, QueueSettings queueSettings) {
            this(jobType, displayName, description, command, computeId, codeId, environmentId, environmentVariables,
                    resources, status, experimentName, tags, creationTime, startTime, endTime, exitCode, error,
                    queueSettings, null, null, null, null, null, null, null);
        }
    }

    /**
     * A Spark job's driver: {@code SparkJobPythonEntry} with the Python {@code file}, or {@code SparkJobScalaEntry}
     * with the JVM {@code className}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SparkEntry(String sparkJobEntryType, String file, String className) {
        public static final String PYTHON = "SparkJobPythonEntry";
        public static final String SCALA = "SparkJobScalaEntry";
    }

    /** Where the job waits: its {@code priority}, 1 (low), 2 (medium, the default) or 3 (high), as azure-ai-ml sends. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record QueueSettings(String jobTier, Integer priority) {
    }

    /**
     * The resources a job asks for: {@code instanceCount} nodes (1 on a compute instance), and Hangar's {@code cores}
     * on an instance (default 1); a Spark job's {@code runtimeVersion} (of a serverless pool: refused here).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Resources(Integer instanceCount, String instanceType, Integer cores, String runtimeVersion) {
        public Resources(Integer instanceCount, String instanceType, Integer cores) {
            this(instanceCount, instanceType, cores, null);
        }
    }
}
