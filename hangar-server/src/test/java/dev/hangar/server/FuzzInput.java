package dev.hangar.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What {@link FuzzIT} sends: a valid body for each kind of route (the seed), and mutations of it (a value
 * replaced by one of another type, a control or bidirectional character, a path, a huge one; a key dropped or added;
 * the whole body replaced by what is not an object or not JSON), hostile path values, queries and headers. All drawn
 * from one {@link Random}, so a seed repeats a run.
 */
final class FuzzInput {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
    private static final List<String> TEXTS = List.of("", " ", "\u0000", "a\u0000b", "\r\nX-Injected: 1", "..",
            "../../etc/passwd", "CON", "NUL.txt", "\u202egnp.exe", "%00", "%zz", "\uFEFF", "é", "😀",
            "x".repeat(300), "x".repeat(70_000), "true", "-1", "1e309", "P", "PT", "PT-5M", "P99999999D",
            "2026-13-45T99:99:99Z", "azureml:", "azureml://registries/azureml/environments/x/versions/1",
            "Standard_DS1_v2", "ComputeInstance", "AmlCompute", "Slurm", "Personal", "Shared", "Enabled",
            "/subscriptions/../..", "{{7*7}}", "<script>alert(1)</script>", "'; DROP TABLE compute; --");
    private static final List<String> PATH_VALUES = List.of("..", "%2e%2e", "..%2f..%2f", "%00", "a%00b", "%0d%0a",
            "%E2%80%AE", "CON", "x".repeat(300), "%", "%zz", "a%2fb", "%20", "~", "*", "default%20", "DEFAULT",
            "%F0%9F%98%80", "a;b", "a'b", "-", "_", "0");
    private static final List<String> WHOLE_BODIES = List.of("null", "[]", "\"x\"", "0", "true", "{", "}", "",
            "{\"properties\":null}", "{\"properties\":[]}", "{\"properties\":{\"properties\":null}}",
            "{\"location\":null,\"properties\":{}}", "[".repeat(5000) + "]".repeat(5000),
            "{\"a\":" + "{\"a\":".repeat(3000) + "1" + "}".repeat(3001), "\u0000", "{\"x\":\"\\ud800\"}",
            "{\"properties\":{\"computeType\":\"ComputeInstance\",\"properties\":{\"vmSize\":\"Standard_DS1_v2\"}},"
                    + "\"properties\":1}");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "text/plain",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
            "application/octet-stream", "*/*", "application/json; charset=\"", "");

    private final Random random;
    private int names;

    FuzzInput(Random random) {
        this.random = random;
    }

    boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    /** A fresh valid resource name. */
    String name() {
        return Integer.toString(names++, 36);
    }

    String pathValue() {
        return pick(PATH_VALUES);
    }

    /**
     * A query: a hostile {@code api-version} or extra parameters, sometimes none at all. Values are cut to 2,000
     * characters: a request line over the server's 4 KB is answered 414 to raw sockets and to curl ({@link RawHttps}
     * sends 100 KB ones), but the JDK's client sometimes gets the connection closed with no answer (see the note in
     * docs/api.md's malformed requests).
     */
    String query() {
        var parts = new ArrayList<String>();
        if (chance(0.8)) {
            parts.add("api-version=" + (chance(0.5) ? "2024-04-01" : encode(inUrl(pick(TEXTS)))));
        }
        if (chance(0.3)) {
            parts.add(pick(List.of("$top", "top", "$skipToken", "since", "until", "underlyingResourceAction",
                    "metadata", "recursive", "expandChildren", "workspace", "next")) + "=" + encode(inUrl(pick(TEXTS))));
        }
        if (chance(0.1)) {
            parts.add("%zz=%zz");
        }
        return parts.isEmpty() ? "" : "?" + String.join("&", parts);
    }

    /** Header names and values, in pairs. */
    List<String> headers() {
        var headers = new ArrayList<String>();
        if (chance(0.4)) {
            headers.addAll(List.of("Content-Type", pick(CONTENT_TYPES)));
        }
        if (chance(0.1)) {
            headers.addAll(List.of("Accept", pick(List.of("text/html", "application/xml", "*/*;q=x", ""))));
        }
        if (chance(0.1)) {
            headers.addAll(List.of("x-ms-client-request-id", pick(List.of("x".repeat(5000), "é", "\u202e"))));
        }
        if (chance(0.1)) {
            headers.addAll(List.of("If-Match", pick(List.of("*", "\"x\"", "W/\"1\"", ""))));
        }
        return headers;
    }

    /** A valid body for the route, as its clients send it; null for routes that take none. */
    String seed(String method, String template) {
        if (method.equals("GET") || method.equals("DELETE")) {
            return null;
        }
        if (template.equals("/signin")) {
            return "token=hgr_not_a_token&next=%2F";
        }
        if (template.endsWith("/computes/{name}")) {
            return random.nextBoolean() ? """
                    {"location":"local","tags":{"team":"fuzz"},"properties":{"computeType":"ComputeInstance",
                    "description":"d","properties":{"vmSize":"Standard_DS1_v2","applicationSharingPolicy":"Personal",
                    "sshSettings":{"sshPublicAccess":"Disabled"},"idleTimeBeforeShutdown":"PT30M",
                    "setupScripts":{"scripts":{"creationScript":{"scriptSource":"inline","scriptData":"ZWNobyBoaQ==",
                    "scriptArguments":"a b","timeout":"5m"}}},
                    "schedules":{"computeStartStop":[{"action":"Stop","triggerType":"Cron","status":"Enabled",
                    "cron":{"expression":"0 18 * * *","timeZone":"UTC","startTime":"2026-01-01T00:00:00"}}]}}}}"""
                    : """
                    {"location":"local","properties":{"computeType":"AmlCompute","properties":{
                    "vmSize":"Standard_DS1_v2","vmPriority":"Dedicated","scaleSettings":{"minNodeCount":0,
                    "maxNodeCount":1,"nodeIdleTimeBeforeScaleDown":"PT120S"}}}}""";
        }
        if (template.endsWith("/jobs/{name}")) {
            return """
                    {"properties":{"jobType":"Command","command":"echo hi","computeId":"nosuch",
                    "environmentVariables":{"A":"b"},"resources":{"instanceCount":1},"displayName":"d",
                    "experimentName":"e","tags":{"t":"v"}}}""";
        }
        if (template.contains("/environments/")) {
            return "{\"properties\":{\"image\":\"localhost/hangar-instance:latest\",\"description\":\"d\"}}";
        }
        if (template.contains("/roleDefinitions/")) {
            return "{\"properties\":{\"roleName\":\"Fuzz Role\",\"permissions\":[{\"actions\":[\"*/read\"],"
                    + "\"notActions\":[]}],\"assignableScopes\":[\"" + SUB + "\"]}}";
        }
        if (template.contains("/roleAssignments/")) {
            return "{\"properties\":{\"roleDefinitionId\":\"" + SUB + "/providers/Microsoft.Authorization/"
                    + "roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7\",\"principalId\":\""
                    + java.util.UUID.randomUUID() + "\"}}";
        }
        if (template.contains("/vmSizes/")) {
            return "{\"name\":\"Fuzz_Size\",\"family\":\"fuzzFamily\",\"vCPUs\":2,\"gpus\":0,\"memoryGB\":4,"
                    + "\"supportedComputeTypes\":[\"ComputeInstance\"]}";
        }
        if (template.equals("/hangar/v1/users")) {
            return "{\"name\":\"fuzz-user-" + name() + "\",\"role\":\"Reader\"}";
        }
        if (template.equals("/hangar/v1/tokens")) {
            return "{\"name\":\"fuzz\",\"expiresOn\":\"2030-01-01T00:00:00Z\"}";
        }
        if (template.endsWith("/updateQuotas")) {
            return "{\"value\":[{\"id\":\"" + SUB + "/quotas/Total_Cluster_Dedicated_Regional_vCPUs\",\"limit\":0}]}";
        }
        if (template.endsWith("/checkComputeNameAvailability")) {
            return "{\"name\":\"fuzz\",\"type\":\"Microsoft.MachineLearningServices/workspaces/computes\"}";
        }
        if (template.endsWith("/keepAlive")) {
            return "{\"duration\":\"PT1H\"}";
        }
        if (template.endsWith("/updateIdleShutdownSetting")) {
            return "{\"idleTimeBeforeShutdown\":\"PT30M\"}";
        }
        if (template.endsWith("{ws}")) {
            return "{\"location\":\"local\",\"properties\":{\"friendlyName\":\"f\"}}";
        }
        if (template.contains("{path}")) {
            return "hello";
        }
        return method.equals("PUT") || method.equals("PATCH") ? "{}" : null;
    }

    /** The seed, mutated: mostly one value or key, sometimes the whole body. */
    String body(String method, String template) {
        var seed = seed(method, template);
        if (seed == null) {
            return chance(0.2) ? pick(WHOLE_BODIES) : null;
        }
        if (chance(0.2) || !seed.startsWith("{")) {
            return chance(0.5) ? pick(WHOLE_BODIES) : seed.substring(0, random.nextInt(seed.length()));
        }
        var tree = FuzzIT.json(seed);
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            mutate(tree);
        }
        return tree.toString();
    }

    private void mutate(JsonNode root) {
        var containers = new ArrayList<JsonNode>();
        collect(root, containers);
        var target = containers.get(random.nextInt(containers.size()));
        if (target instanceof ObjectNode object) {
            var keys = new ArrayList<String>();
            object.fieldNames().forEachRemaining(keys::add);
            if (keys.isEmpty() || chance(0.1)) {
                object.set(pick(List.of("unknown", "properties", "location", "\u0000", "")), value());
            } else if (chance(0.15)) {
                object.remove(pick(keys));
            } else {
                object.set(pick(keys), value());
            }
        } else if (target instanceof ArrayNode array) {
            if (array.isEmpty() || chance(0.3)) {
                array.add(value());
            } else {
                array.set(random.nextInt(array.size()), value());
            }
        }
    }

    private JsonNode value() {
        return switch (random.nextInt(9)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.numberNode(pick(List.of(-1L, 0L, Long.MAX_VALUE, Long.MIN_VALUE, 100_001L)));
            case 2 -> NODES.numberNode(pick(List.of(-0.5, 1e308, Double.MIN_VALUE)));
            case 3 -> NODES.booleanNode(random.nextBoolean());
            case 4 -> NODES.arrayNode().add(NODES.nullNode());
            case 5 -> NODES.objectNode().putNull("a");
            case 6 -> NODES.arrayNode();
            case 7 -> NODES.objectNode();
            default -> NODES.textNode(pick(TEXTS));
        };
    }

    private static void collect(JsonNode node, List<JsonNode> containers) {
        if (node.isContainerNode()) {
            containers.add(node);
            node.elements().forEachRemaining(child -> collect(child, containers));
        }
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String inUrl(String text) {
        return text.length() > 2_000 ? text.substring(0, 2_000) : text;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
