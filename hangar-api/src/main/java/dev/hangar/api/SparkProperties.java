package dev.hangar.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code properties.properties} of an attached Spark standalone cluster ({@code computeType: Spark}, Hangar's own type:
 * Azure's {@code HDInsight} and {@code SynapseSpark} carry an SSH host or a Synapse pool, never a master to submit to).
 * It runs Azure's v2 Spark jobs. The engine's keys are read-only: what the master said of itself when last reached.
 *
 * @param masterUrl     the master, {@code spark://host:7077}
 * @param restUrl       its REST submission server ({@code spark.master.rest.enabled}); default {@code http://host:6066}
 * @param webUiUrl      its web UI, whose {@code /json/} lists workers and drivers; default {@code http://host:8080}
 * @param workDirectory a folder Hangar's host and every worker see at the same path, where each job's code is put
 * @param sparkVersion  the master's Spark version
 * @param nodeCount     its alive workers
 * @param cpusPerNode   the most cores one worker offers
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SparkProperties(String masterUrl, String restUrl, String webUiUrl, String workDirectory,
                              String sparkVersion, Integer nodeCount, Integer cpusPerNode)
        implements ComputeProperties {

    public static final String TYPE = "Spark";

    @Override
    @JsonIgnore
    public String computeType() {
        return TYPE;
    }
}
