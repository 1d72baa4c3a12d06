package dev.hangar.backend.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.core.spi.engine.EngineNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The JSON of slurmrestd's OpenAPI plugin v0.0.38 (Slurm 22.05), read into the engine's terms. Fields that are missing
 * read as empty, so that a later plugin's additions or omissions do not break a look.
 */
final class RestResponses {
    private static final Pattern PLUGIN_PATH = Pattern.compile("^/(slurm|slurmdb)/(v[0-9][0-9.]*)/");

    private RestResponses() {
    }

    /**
     * One of Slurm's errors in an answer. Its number is under {@code error_number}, {@code error_code} or
     * {@code errno}, depending on the handler that wrote it.
     *
     * @param number Slurm's error number, or null
     */
    record Error(Integer number, String error, String description, String source) {
        /** Slurm's {@code SLURM_ERROR}, with nothing more said: what slurmctld's refusals and silences both become. */
        boolean unspecified() {
            return Integer.valueOf(-1).equals(number) || "Unspecified error".equals(error);
        }

        String text() {
            var text = new ArrayList<String>();
            if (!error.isEmpty()) {
                text.add(error);
            }
            if (!description.isEmpty() && !description.equals(error)) {
                text.add(text.isEmpty() ? description : "(" + description + ")");
            }
            if (number != null) {
                text.add("[" + number + (source.isEmpty() ? "" : " from " + source) + "]");
            }
            return String.join(" ", text);
        }
    }

    /**
     * A job as {@code GET /slurm/v0.0.38/jobs} lists it.
     *
     * @param nodes            its nodes in Slurm's compressed notation ({@code node[1-3]}), empty while it waits
     * @param workingDirectory where its batch script runs
     */
    record Job(String id, String name, String user, String state, String reason, String nodes, String partition,
               String workingDirectory) {
        boolean running() {
            return state.equalsIgnoreCase("RUNNING");
        }
    }

    static List<Error> errors(JsonNode body) {
        var errors = new ArrayList<Error>();
        for (var error : body.path("errors")) {
            Integer number = null;
            for (var key : List.of("error_number", "error_code", "errno")) {
                if (error.path(key).canConvertToInt()) {
                    number = error.get(key).asInt();
                    break;
                }
            }
            errors.add(new Error(number, text(error, "error"), text(error, "description"), text(error, "source")));
        }
        return errors;
    }

    /** {@code slurm 22.05.8}, as {@code sinfo --version} says it; null when the answer does not say. */
    static String version(JsonNode body) {
        var release = text(slurmMeta(body), "release");
        return release.isEmpty() ? null : "slurm " + release;
    }

    /** The cluster's name, which later plugins give in {@code meta}; null when the answer does not say. */
    static String cluster(JsonNode body) {
        var name = text(slurmMeta(body), "cluster");
        return name.isEmpty() ? null : name;
    }

    /** The controllers {@code GET .../ping} reports, as {@code host UP}, and whether one is up. */
    static List<String> pings(JsonNode body) {
        var pings = new ArrayList<String>();
        for (var ping : body.path("pings")) {
            pings.add((text(ping, "hostname") + " " + text(ping, "ping")).strip());
        }
        return pings;
    }

    static boolean controllerUp(JsonNode body) {
        for (var ping : body.path("pings")) {
            if (text(ping, "ping").equalsIgnoreCase("UP")) {
                return true;
            }
        }
        return false;
    }

    /** The partitions of {@code GET .../partitions}; the default one has the flag {@code default}. */
    static Partitions partitions(JsonNode body) {
        var names = new ArrayList<String>();
        String defaultName = null;
        for (var partition : body.path("partitions")) {
            var name = text(partition, "name");
            if (name.isEmpty()) {
                continue;
            }
            names.add(name);
            for (var flag : partition.path("flags")) {
                if (defaultName == null && flag.asText().equalsIgnoreCase("default")) {
                    defaultName = name;
                }
            }
        }
        return new Partitions(names, defaultName);
    }

    /**
     * The nodes of {@code GET .../nodes} that are in {@code partition}, with the running jobs of each
     * ({@code jobs}, by node name).
     */
    static List<EngineNode> nodes(JsonNode body, String partition, Map<String, List<String>> jobs) {
        var nodes = new ArrayList<EngineNode>();
        for (var node : body.path("nodes")) {
            var name = text(node, "name");
            if (name.isEmpty() || !contains(node.path("partitions"), partition)) {
                continue;
            }
            var flags = new ArrayList<String>();
            node.path("state_flags").forEach(flag -> flags.add(flag.asText()));
            var detail = NodeStates.sinfoState(text(node, "state"), flags);
            var address = text(node, "address");
            nodes.add(new EngineNode(name, NodeStates.state(detail), detail, address.isEmpty() ? null : address,
                    node.path("cpus").asInt(0), jobs.getOrDefault(name, List.of())));
        }
        return nodes;
    }

    static List<Job> jobs(JsonNode body) {
        var jobs = new ArrayList<Job>();
        for (var job : body.path("jobs")) {
            if (!job.path("job_id").canConvertToLong()) {
                continue;
            }
            jobs.add(new Job(Long.toString(job.get("job_id").asLong()), text(job, "name"), text(job, "user_name"),
                    text(job, "job_state"), text(job, "state_reason"), text(job, "nodes"), text(job, "partition"),
                    text(job, "current_working_directory")));
        }
        return jobs;
    }

    /** The id {@code POST .../job/submit} gave the job, if it made one. */
    static Optional<String> submittedId(JsonNode body) {
        var id = body.path("job_id");
        return id.canConvertToLong() && id.asLong() > 0 ? Optional.of(Long.toString(id.asLong()))
                : Optional.empty();
    }

    /** The plugins an OpenAPI description ({@code GET /openapi}) has paths of, e.g. {@code slurm/v0.0.39}. */
    static SortedSet<String> plugins(JsonNode openapi) {
        var plugins = new TreeSet<String>();
        openapi.path("paths").fieldNames().forEachRemaining(path -> {
            var matcher = PLUGIN_PATH.matcher(path);
            if (matcher.find()) {
                plugins.add(matcher.group(1) + "/" + matcher.group(2));
            }
        });
        return plugins;
    }

    /** {@code meta.Slurm} in v0.0.38, {@code meta.slurm} in later plugins. */
    private static JsonNode slurmMeta(JsonNode body) {
        var meta = body.path("meta");
        return meta.has("Slurm") ? meta.path("Slurm") : meta.path("slurm");
    }

    private static boolean contains(JsonNode list, String value) {
        for (var item : list) {
            if (item.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static String text(JsonNode node, String field) {
        var value = node.path(field);
        return value.isValueNode() && !value.isNull() ? value.asText() : "";
    }
}
