package dev.hangar.server.arm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.core.custom.CustomService;
import dev.hangar.core.custom.CustomServiceRules;
import dev.hangar.core.custom.PrivilegedRequests;
import dev.hangar.core.error.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;

/**
 * Reads Azure's {@code customServices} (a list of {@code CustomService}, already checked against its wire schema)
 * into the core's {@link CustomService}s, refusing what has no meaning on Hangar: images that are not Docker
 * references, variables that are not plain values, volumes that are not bind mounts, UDP endpoints (the gateway
 * carries HTTP), and privileged containers. The values' own rules are {@link CustomServiceRules}'.
 */
final class CustomServiceRequests {
    private CustomServiceRequests() {
    }

    /**
     * @param field      the list's path in the request, named in refusals
     * @param privileged what a service asking for a privileged container gets
     */
    static List<CustomService> read(JsonNode list, String field, PrivilegedRequests privileged) {
        var services = new ArrayList<CustomService>();
        for (int i = 0; i < list.size(); i++) {
            services.add(service(list.get(i), field + "[" + i + "]", privileged));
        }
        return services;
    }

    private static CustomService service(JsonNode node, String at, PrivilegedRequests privileged) {
        if (node.path("docker").path("privileged").asBoolean(false) && privileged == PrivilegedRequests.REFUSE) {
            throw ApiException.badRequest(CustomServiceRules.PRIVILEGED_REFUSED, "Custom service '"
                    + text(node, "name") + "' asks for a privileged container, which Hangar never runs: it could"
                    + " reach every device and file of the machine all instances share. Set docker.privileged to"
                    + " false (an app that needs root runs as root in its own container without it). azure-ai-ml"
                    + " (az ml) sends privileged true for every custom application: send customServices yourself, or"
                    + " ask the operator to set custom-services.privileged to unprivileged.",
                    at + ".docker.privileged");
        }
        var image = node.path("image");
        var type = text(image, "type");
        if (type != null && !type.equalsIgnoreCase("docker")) {
            throw invalid("image.type must be docker (an image the container engine has), not '" + type + "'.",
                    at + ".image.type");
        }
        var environment = new LinkedHashMap<String, String>();
        for (var entry : (Iterable<java.util.Map.Entry<String, JsonNode>>) node.path("environmentVariables")::fields) {
            var variableType = text(entry.getValue(), "type");
            if (variableType != null && !variableType.equalsIgnoreCase("local")) {
                throw invalid("An environment variable's type must be local (its value given here), not '"
                        + variableType + "'.", at + ".environmentVariables." + entry.getKey() + ".type");
            }
            var value = text(entry.getValue(), "value");
            environment.put(entry.getKey(), value == null ? "" : value);
        }
        var endpoints = new ArrayList<CustomService.Endpoint>();
        var list = node.path("endpoints");
        for (int j = 0; j < list.size(); j++) {
            endpoints.add(endpoint(list.get(j), at + ".endpoints[" + j + "]"));
        }
        var volumes = new ArrayList<CustomService.Volume>();
        var mounts = node.path("volumes");
        for (int k = 0; k < mounts.size(); k++) {
            var volume = mounts.get(k);
            var volumeType = text(volume, "type");
            if (volumeType != null && !volumeType.equalsIgnoreCase("bind")) {
                throw ApiException.badRequest(CustomServiceRules.VOLUME_REFUSED, "A custom service's volume must be"
                        + " of type bind (a folder of the instance), not '" + volumeType + "'.",
                        at + ".volumes[" + k + "].type");
            }
            volumes.add(new CustomService.Volume(text(volume, "source"), text(volume, "target"),
                    volume.path("readOnly").asBoolean(false)));
        }
        return new CustomService(text(node, "name"), text(image, "reference"), endpoints,
                environment, volumes);
    }

    private static CustomService.Endpoint endpoint(JsonNode node, String at) {
        var protocolText = text(node, "protocol");
        CustomService.Protocol protocol;
        try {
            protocol = protocolText == null ? CustomService.Protocol.tcp
                    : CustomService.Protocol.valueOf(protocolText.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid("An endpoint's protocol must be tcp or http (Hangar's gateway carries HTTP and"
                    + " WebSockets), not '" + protocolText + "'.", at + ".protocol");
        }
        var target = port(node, "target", at);
        if (target == null) {
            throw invalid("An endpoint needs target: the port its app listens on in its container.", at + ".target");
        }
        return new CustomService.Endpoint(text(node, "name"), protocol, target,
                port(node, "published", at), text(node, "hostIp"));
    }

    private static Integer port(JsonNode node, String field, String at) {
        var value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        var text = value.asText().strip();
        if (!text.matches("-?\\d{1,9}")) {
            throw invalid("An endpoint's " + field + " is a port number, not '" + text + "'.", at + "." + field);
        }
        return Integer.parseInt(text);
    }

    private static ApiException invalid(String message, String field) {
        return ApiException.badRequest(CustomServiceRules.INVALID, message, field);
    }

    private static String text(JsonNode node, String field) {
        var value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
