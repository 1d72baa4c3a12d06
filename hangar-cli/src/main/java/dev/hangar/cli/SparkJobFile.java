package dev.hangar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.api.JobResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Spark part of az's {@code type: spark} job YAML ({@code entry} with {@code file} or {@code class_name},
 * {@code args}, {@code jars}, {@code py_files}, {@code files}, {@code archives}, {@code conf}), as the Spark fields of
 * Azure's v2 job. {@code conf} values may be numbers or booleans in YAML; they are sent as text. Serverless Spark's
 * {@code resources} ({@code instance_type}, {@code runtime_version}) are refused: a Spark job runs on its attached
 * cluster.
 */
record SparkJobFile(JobResource.SparkEntry entry, String args, List<String> jars, List<String> pyFiles,
                    List<String> files, List<String> archives, Map<String, String> conf) {

    static SparkJobFile read(JsonNode tree) {
        var entry = tree.path("entry");
        JobResource.SparkEntry wire;
        if (entry.hasNonNull("file") && !entry.hasNonNull("class_name")) {
            wire = new JobResource.SparkEntry(JobResource.SparkEntry.PYTHON, entry.get("file").asText(), null);
        } else if (entry.hasNonNull("class_name") && !entry.hasNonNull("file")) {
            wire = new JobResource.SparkEntry(JobResource.SparkEntry.SCALA, null, entry.get("class_name").asText());
        } else {
            throw new CliException("InvalidJobFile", "a Spark job's entry has either file (a Python file) or"
                    + " class_name (a JVM class in one of its jars)", ExitCodes.USAGE);
        }
        var resources = tree.path("resources");
        if (resources.hasNonNull("instance_type") || resources.hasNonNull("runtime_version")) {
            throw new CliException("InvalidJobFile", "resources.instance_type and runtime_version pick a serverless"
                    + " Spark pool; a Spark job here runs on its attached Spark compute (compute: azureml:<name>)",
                    ExitCodes.USAGE);
        }
        var conf = new LinkedHashMap<String, String>();
        tree.path("conf").properties().forEach(field -> conf.put(field.getKey(), field.getValue().asText()));
        return new SparkJobFile(wire, tree.hasNonNull("args") ? tree.get("args").asText().strip() : null,
                list(tree, "jars"), list(tree, "py_files"), list(tree, "files"), list(tree, "archives"),
                conf.isEmpty() ? null : conf);
    }

    private static List<String> list(JsonNode tree, String key) {
        var node = tree.path(key);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        var values = new ArrayList<String>();
        if (node.isArray()) {
            node.forEach(value -> values.add(value.asText()));
        } else {
            values.add(node.asText());
        }
        return values;
    }

    /** The job's properties: these Spark fields with what every job has. */
    JobResource.Properties properties(String displayName, String computeId, String codeId,
                                      Map<String, String> variables, JobResource.QueueSettings queue) {
        return new JobResource.Properties("Spark", displayName, null, null, computeId, codeId, null, variables, null,
                null, null, null, null, null, null, null, null, queue, entry, args, jars, pyFiles, files, archives,
                conf);
    }
}
