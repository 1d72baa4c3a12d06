package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.core.access.ActionPattern;
import dev.hangar.core.access.RoleDefinition;
import dev.hangar.testkit.server.ServerProcess;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route the server lists at {@code GET /hangar/v1/routes} (the table every route is mounted through), called by
 * every kind of caller: an administrator, an Owner, a Contributor, a Reader, a custom role, the user who created an
 * instance for someone else, that someone (the assigned user), a user without a role, and no credential. What each
 * may do follows from the route's guard and the caller's roles; the test checks that the server answers accordingly:
 * 401 without a credential, 403 when refused, anything else when allowed. A route added later is in the list, so it
 * is tried too.
 *
 * <p>Calls that change things aim at what does not exist or carry a body the server refuses after the check (an
 * unknown size, an unknown user), so that allowed callers change nothing.
 */
class AuthorizationMatrixIT {
    static final String WS = WireFormatIT.WS;
    static final List<String> CUSTOM_ACTIONS = List.of("Microsoft.MachineLearningServices/workspaces/computes/read",
            "Microsoft.MachineLearningServices/workspaces/computes/start/action",
            "Microsoft.MachineLearningServices/workspaces/computes/applicationaccess/action",
            "Microsoft.Authorization/roleAssignments/read");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");

    @TempDir
    static Path data;
    static ServerProcess server;
    static Https https;
    /** Each caller by name, with their token (null: none) and what their roles grant in the workspace. */
    static final Map<String, Caller> CALLERS = new LinkedHashMap<>();
    static String operationId;
    static String workspaceId;

    record Caller(String token, List<RoleDefinition> roles, boolean admin) {
        boolean grants(String action) {
            var pattern = action;
            return admin || roles.stream().anyMatch(role ->
                    role.actions().stream().anyMatch(granted -> granted.matches(pattern))
                            && role.notActions().stream().noneMatch(excluded -> excluded.matches(pattern)));
        }
    }

    @BeforeAll
    static void start() {
        server = new ServerProcess(data, Map.of("HANGAR_BACKEND_LOCAL_JUPYTER", "/nonexistent/jupyter")).start();
        https = new Https(server.url(), server.certificate());
        var admin = server.adminToken();
        var customId = UUID.randomUUID();
        var actions = String.join("\",\"", CUSTOM_ACTIONS);
        var made = https.send("PUT", "/subscriptions/00000000-0000-0000-0000-000000000000/providers/"
                + "Microsoft.Authorization/roleDefinitions/" + customId, admin, "{\"properties\":{\"roleName\":"
                + "\"Matrix Operator\",\"permissions\":[{\"actions\":[\"" + actions + "\"]}]}}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        var custom = new RoleDefinition(customId, "Matrix Operator", null,
                CUSTOM_ACTIONS.stream().map(ActionPattern::new).toList(), List.of(), List.of(), false, null, null);

        CALLERS.put("admin", new Caller(admin, List.of(), true));
        CALLERS.put("Owner", new Caller(https.createUser(admin, "owner-role", "Owner"), List.of(RoleDefinition.OWNER),
                false));
        CALLERS.put("Contributor", new Caller(https.createUser(admin, "contributor"),
                List.of(RoleDefinition.CONTRIBUTOR), false));
        CALLERS.put("Reader", new Caller(https.createUser(admin, "reader", "Reader"), List.of(RoleDefinition.READER),
                false));
        CALLERS.put("custom role", new Caller(https.createUser(admin, "custom", "Matrix Operator"), List.of(custom),
                false));
        CALLERS.put("creator", new Caller(https.createUser(admin, "creator"), List.of(RoleDefinition.CONTRIBUTOR),
                false));
        CALLERS.put("assigned user", new Caller(https.createUser(admin, "assigned"),
                List.of(RoleDefinition.CONTRIBUTOR), false));
        CALLERS.put("user without a role", new Caller(https.createUser(admin, "other", null), List.of(), false));
        CALLERS.put("no credential", new Caller(null, List.of(), false));

        var assigned = Https.json(https.send("GET", "/hangar/v1/session", CALLERS.get("assigned user").token(),
                null)).at("/user/id").asText();
        var created = https.send("PUT", WS + "/computes/matrix-ci", CALLERS.get("creator").token(), """
                {"location":"local","properties":{"computeType":"ComputeInstance","properties":{
                 "vmSize":"STANDARD_DS1_V2",
                 "personalComputeInstanceSettings":{"assignedUser":{"objectId":"%s"}}}}}""".formatted(assigned));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        var status = created.headers().firstValue("Azure-AsyncOperation").orElseThrow();
        https.waitForOperation(status, admin);
        https.createInstance(WS + "/computes/matrix-shared", CALLERS.get("creator").token(), """
                {"location":"local","properties":{"computeType":"ComputeInstance","properties":{
                 "vmSize":"STANDARD_DS1_V2","applicationSharingPolicy":"Shared"}}}""");
        operationId = status.replaceAll(".*/computeOperationsStatus/([^?]+).*", "$1");
        workspaceId = Https.json(https.send("GET", WS, admin, null)).at("/properties/workspaceId").asText();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void everyRouteAnswersEveryCallerAsItsGuardSays() {
        var routes = Https.json(https.send("GET", "/hangar/v1/routes", server.adminToken(), null)).get("value");
        assertThat(routes.size()).as("the route table").isGreaterThan(25);
        var wrong = new ArrayList<String>();
        var tried = 0;
        for (var route : routes) {
            for (var caller : CALLERS.entrySet()) {
                var expected = expectation(route, caller.getKey(), caller.getValue());
                var response = call(route, caller.getValue());
                var got = response.statusCode() == 401 ? "401" : response.statusCode() == 403 ? "403" : "allowed";
                if (!got.equals(expected)) {
                    wrong.add(route.get("method").asText() + " " + route.get("template").asText() + " as "
                            + caller.getKey() + ": expected " + expected + ", got " + response.statusCode() + " "
                            + abbreviate(response.body()));
                }
                tried++;
            }
        }
        assertThat(tried).isEqualTo(routes.size() * CALLERS.size());
        assertThat(wrong).as("routes that answered a caller otherwise than their guard says").isEmpty();
    }

    /**
     * The access check comes before the body is read: a caller who may not call a route learns nothing from the
     * validation of what they sent, so a body that is not even JSON still gets them 401 or 403.
     */
    @Test
    void aRefusedCallerIsRefusedBeforeTheBodyIsRead() {
        var routes = Https.json(https.send("GET", "/hangar/v1/routes", server.adminToken(), null)).get("value");
        var wrong = new ArrayList<String>();
        for (var route : routes) {
            var method = route.get("method").asText();
            if (!method.equals("PUT") && !method.equals("POST") || route.get("template").asText().equals("/signin")) {
                continue;
            }
            for (var caller : CALLERS.entrySet()) {
                var expected = expectation(route, caller.getKey(), caller.getValue());
                if (expected.equals("allowed")) {
                    continue;
                }
                var response = https.send(method, path(route, method), caller.getValue().token(), "{not json");
                if (response.statusCode() != Integer.parseInt(expected)) {
                    wrong.add(method + " " + route.get("template").asText() + " as " + caller.getKey()
                            + ": expected " + expected + ", got " + response.statusCode() + " "
                            + abbreviate(response.body()));
                }
            }
        }
        assertThat(wrong).as("routes that read the body of a caller they refuse").isEmpty();
    }

    /**
     * A job on an instance runs commands in it, as its Jupyter and terminal do: the same callers may submit one. On
     * the Personal instance only its assigned user; on the Shared one whoever may submit jobs and open apps. The
     * job asks for more nodes than an instance has, so an allowed submission is refused after the check.
     */
    @Test
    void aJobOnAnInstanceIsForWhoeverMayOpenItsApps() {
        var wrong = new ArrayList<String>();
        for (var instance : List.of("matrix-ci", "matrix-shared")) {
            for (var caller : CALLERS.entrySet()) {
                var expected = caller.getValue().token() == null ? "401"
                        : caller.getValue().grants("Microsoft.MachineLearningServices/workspaces/jobs/write")
                        && caller.getValue().grants(
                                "Microsoft.MachineLearningServices/workspaces/computes/applicationaccess/action")
                        && (instance.equals("matrix-shared") || caller.getKey().equals("assigned user"))
                        ? "allowed" : "403";
                var response = https.send("PUT", WS + "/jobs/matrix-job-" + instance, caller.getValue().token(),
                        "{\"properties\":{\"jobType\":\"Command\",\"command\":\"ls -a $HOME\",\"computeId\":\""
                                + instance + "\",\"resources\":{\"instanceCount\":5}}}");
                var got = response.statusCode() == 401 ? "401" : response.statusCode() == 403 ? "403" : "allowed";
                if (!got.equals(expected) || got.equals("allowed") && response.statusCode() != 400) {
                    wrong.add("a job on " + instance + " as " + caller.getKey() + ": expected " + expected + ", got "
                            + response.statusCode() + " " + abbreviate(response.body()));
                }
            }
        }
        assertThat(wrong).as("job submissions answered otherwise than the instance's app rule says").isEmpty();
    }

    /** The server's users (names, ids, administrators) are for those with a role somewhere, not anyone signed in. */
    @Test
    void aUserWithoutARoleListsNoUsers() {
        var refused = https.send("GET", "/hangar/v1/users", CALLERS.get("user without a role").token(), null);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(https.send("GET", "/hangar/v1/users", CALLERS.get("Reader").token(), null).statusCode())
                .isEqualTo(200);
    }

    /** "401", "403" or "allowed", from the route's guard and the caller. */
    private static String expectation(JsonNode route, String name, Caller caller) {
        var guard = route.get("guard").asText();
        if (guard.equals("ANYONE")) {
            return "allowed";
        }
        if (caller.token() == null) {
            return "401";
        }
        var allowed = switch (guard) {
            case "SIGNED_IN" -> true;
            case "MEMBER" -> caller.admin() || !caller.roles().isEmpty();
            case "ADMIN" -> caller.admin();
            case "WORKSPACE_ACTION" -> caller.grants(route.get("action").asText());
            // Personal: the assigned user alone, and only with applicationaccess.
            case "INSTANCE_APPS" -> name.equals("assigned user") && caller.grants(
                    "Microsoft.MachineLearningServices/workspaces/computes/applicationaccess/action");
            default -> throw new AssertionError("an unknown guard " + guard);
        };
        return allowed ? "allowed" : "403";
    }

    private static java.net.http.HttpResponse<String> call(JsonNode route, Caller caller) {
        var method = route.get("method").asText();
        var template = route.get("template").asText();
        var verb = method.equals("*") ? "GET" : method;
        var body = body(verb, template, caller);
        if (template.equals("/signin") && verb.equals("POST")) {
            return https.send(verb, path(route, verb), null, body, "Content-Type", "application/x-www-form-urlencoded");
        }
        return https.send(verb, path(route, verb), caller.token(), body);
    }

    /** The route's path with a value for each placeholder; {@code verb} decides which resources it aims at. */
    private static String path(JsonNode route, String verb) {
        var template = route.get("template").asText();
        var values = new LinkedHashMap<String, String>();
        values.put("sub", "00000000-0000-0000-0000-000000000000");
        values.put("rg", "hangar");
        // A PUT of a workspace would change the default one: it aims at a new one, refused for want of a location.
        values.put("ws", verb.equals("PUT") && template.endsWith("{ws}") ? "matrix-new" : "default");
        // Reads look at the instance; changes aim at one that does not exist (after the check: 404, or 204).
        values.put("name", verb.equals("GET") ? "matrix-ci" : "matrix-none");
        values.put("loc", "local");
        values.put("op", operationId);
        values.put("id", verb.equals("GET") && template.contains("roleDefinitions")
                ? RoleDefinition.READER_ID.toString() : UUID.randomUUID().toString());
        values.put("wsid", workspaceId);
        values.put("app", "jupyter");
        values.put("size", "Matrix_Size");
        values.put("version", "1");
        values.put("rest", "api");
        values.put("file", "terminal/terminal.css");
        // The file share: a read of a folder; a change to a path the share refuses once the caller may call.
        values.put("path", verb.equals("GET") ? "Users" : "matrix%5Cnone");
        var matcher = PLACEHOLDER.matcher(template);
        var path = new StringBuilder();
        while (matcher.find()) {
            var value = values.get(matcher.group(1));
            assertThat(value).as("a value for {%s} in %s", matcher.group(1), template).isNotNull();
            matcher.appendReplacement(path, value);
        }
        matcher.appendTail(path);
        return path.toString();
    }

    /** A body the server refuses after its access check, or null. */
    private static String body(String verb, String template, Caller caller) {
        if (verb.equals("GET") || verb.equals("DELETE")) {
            return null;
        }
        if (template.equals("/signin")) {
            return "token=" + URLEncoder.encode(CALLERS.get("admin").token(), StandardCharsets.UTF_8) + "&next=/";
        }
        if (template.equals("/hangar/v1/users")) {
            return "{\"name\":\"not a valid name!\"}";
        }
        if (template.endsWith("/checkComputeNameAvailability")) {
            return "{\"name\":\"matrix-free\",\"type\":\"Microsoft.MachineLearningServices/workspaces/computes\"}";
        }
        if (template.contains("/roleDefinitions/")) {
            return "{\"properties\":{\"roleName\":\"Matrix Empty\",\"permissions\":[{\"actions\":[]}]}}";
        }
        if (template.contains("/roleAssignments/")) {
            return "{\"properties\":{\"roleDefinitionId\":\"" + RoleDefinition.READER_ID + "\",\"principalId\":\""
                    + UUID.randomUUID() + "\"}}";
        }
        if (template.endsWith("/computes/{name}")) {
            return "{\"location\":\"local\",\"properties\":{\"computeType\":\"ComputeInstance\","
                    + "\"properties\":{\"vmSize\":\"NoSuchSize\"}}}";
        }
        return verb.equals("PUT") ? "{}" : null;
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 160 ? body.substring(0, 160) + "..." : body;
    }
}
