package dev.hangar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.api.CustomService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * An instance's custom services as az's compute YAML writes them ({@code custom_applications}: each a name, an
 * {@code image.reference}, {@code endpoints} of {@code target} and {@code published}, {@code environment_variables}
 * and {@code bind_mounts} of {@code source} and {@code target}), sent as Azure ML's {@code customServices}: each
 * endpoint HTTP, the first named {@code connect} as azure-ai-ml names it (then {@code connect-2}, ...), each bind mount
 * writable, and, unlike azure-ai-ml, not privileged, which Hangar refuses. Only the file's shape is checked here: the
 * server checks the values (400 {@code InvalidCustomService}, {@code CustomServiceVolumeNotAllowed}).
 */
final class CustomApplications {
    static final String KEY = "custom_applications";
    private static final Set<String> APP_KEYS = Set.of("name", "type", "image", "endpoints", "environment_variables",
            "bind_mounts");

    private CustomApplications() {
    }

    /** {@code custom_applications} of {@code file} on the wire; {@code null} when the file has none. */
    static List<CustomService> read(AzYaml file) {
        var list = file.tree().path(KEY);
        if (list.isMissingNode() || list.isNull()) {
            return null;
        }
        if (!list.isArray()) {
            throw file.invalid(KEY + " is a list of applications, each with name, image and endpoints");
        }
        var result = new ArrayList<CustomService>();
        for (int i = 0; i < list.size(); i++) {
            result.add(application(file, list.get(i), KEY + "[" + i + "]"));
        }
        return result;
    }

    private static CustomService application(AzYaml file, JsonNode node, String where) {
        if (!node.isObject()) {
            throw file.invalid(where + " is a mapping of name, image, endpoints, environment_variables and"
                    + " bind_mounts");
        }
        node.fieldNames().forEachRemaining(field -> {
            if (!APP_KEYS.contains(field)) {
                throw file.invalid(where + " has name, type, image, endpoints, environment_variables and bind_mounts,"
                        + " not '" + field + "'");
            }
        });
        var type = text(node, "type");
        if (type != null && !type.equalsIgnoreCase("docker")) {
            throw file.invalid(where + ".type is docker, not '" + type + "'");
        }
        var endpoints = new ArrayList<CustomService.Endpoint>();
        var listed = node.path("endpoints");
        for (int j = 0; j < listed.size(); j++) {
            var endpoint = listed.get(j);
            endpoints.add(new CustomService.Endpoint("http", j == 0 ? "connect" : "connect-" + (j + 1),
                    port(file, endpoint, "target", where + ".endpoints[" + j + "]"),
                    port(file, endpoint, "published", where + ".endpoints[" + j + "]"), null));
        }
        var environment = new LinkedHashMap<String, CustomService.EnvironmentVariable>();
        node.path("environment_variables").properties().forEach(entry -> environment.put(entry.getKey(),
                new CustomService.EnvironmentVariable("local", entry.getValue().asText())));
        var volumes = new ArrayList<CustomService.VolumeDefinition>();
        for (var mount : node.path("bind_mounts")) {
            volumes.add(new CustomService.VolumeDefinition("bind", false, text(mount, "source"),
                    text(mount, "target")));
        }
        return new CustomService(text(node, "name"), new CustomService.Image("docker",
                text(node.path("image"), "reference")), environment.isEmpty() ? null : environment,
                new CustomService.Docker(false), endpoints, volumes.isEmpty() ? null : volumes);
    }

    private static Integer port(AzYaml file, JsonNode endpoint, String key, String where) {
        var value = endpoint.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw file.invalid(where + "." + key + " is a port number, not '" + value.asText() + "'");
        }
        return value.asInt();
    }

    private static String text(JsonNode node, String key) {
        return node.hasNonNull(key) ? node.get(key).asText() : null;
    }
}
