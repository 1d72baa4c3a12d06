package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.testkit.server.ServerProcess;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Role definitions and assignments through Azure's {@code Microsoft.Authorization} wire format: the built-in roles,
 * a custom role made of action strings with wildcards, assignments that change what a user may do at once, and the
 * refusals for what does not parse, does not exist or is not allowed. Instances here run without Jupyter.
 */
class RolesIT {
    static final String WS = WireFormatIT.WS;
    static final String SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
    static final String DEFINITIONS = SUB + "/providers/Microsoft.Authorization/roleDefinitions";
    static final String ASSIGNMENTS = WS + "/providers/Microsoft.Authorization/roleAssignments";
    static final String OPERATOR = """
            {"properties":{"roleName":"Compute Operator","description":"Starts and stops instances; reads them.",
             "permissions":[{"actions":["Microsoft.MachineLearningServices/workspaces/computes/read",
                                         "Microsoft.MachineLearningServices/workspaces/computes/*/action"],
                             "notActions":["Microsoft.MachineLearningServices/workspaces/computes/restart/action"]}],
             "assignableScopes":["%s"]}}""".formatted(WS);

    @TempDir
    static Path data;
    static ServerProcess server;
    static Https https;
    static String admin;

    @BeforeAll
    static void start() {
        server = new ServerProcess(data, Map.of("HANGAR_BACKEND_LOCAL_JUPYTER", "/nonexistent/jupyter")).start();
        https = new Https(server.url(), server.certificate());
        admin = server.adminToken();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theBuiltInRolesCarryAzuresIdsAndPermissions() {
        var all = Https.json(https.send("GET", DEFINITIONS, admin, null)).get("value");
        assertThat(all.findValuesAsText("roleName")).contains("Owner", "Contributor", "Reader");
        var reader = Https.json(https.send("GET", DEFINITIONS + "?$filter=roleName%20eq%20'Reader'", admin, null))
                .get("value");
        assertThat(reader).hasSize(1);
        assertThat(reader.get(0).get("name").asText()).isEqualTo("acdd72a7-3385-48ef-bd42-f606fba81ae7");
        assertThat(reader.get(0).at("/properties/type").asText()).isEqualTo("BuiltInRole");
        assertThat(reader.get(0).at("/properties/permissions/0/actions/0").asText()).isEqualTo("*/read");
        var contributor = Https.json(https.send("GET", WS + "/providers/Microsoft.Authorization/roleDefinitions/"
                + "b24988ac-6180-42a0-ab88-20f7382dd24c", admin, null));
        assertThat(contributor.at("/properties/permissions/0/notActions").toString())
                .contains("Microsoft.Authorization/*/Write");

        var changeOwner = https.send("PUT", DEFINITIONS + "/8e3af657-a8ff-443c-a75c-2fe8c4bcb635", admin, OPERATOR);
        assertThat(changeOwner.statusCode()).isEqualTo(400);
        assertThat(code(changeOwner)).isEqualTo("BuiltInRoleCannotBeChanged");
    }

    @Test
    void aCustomRoleGrantsWhatItsActionsNameAndAnAssignmentAppliesAtOnce() {
        var roleId = UUID.randomUUID().toString();
        var made = https.send("PUT", DEFINITIONS + "/" + roleId, admin, OPERATOR);
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        assertThat(Https.json(made).at("/properties/type").asText()).isEqualTo("CustomRole");
        var ops = https.createUser(admin, "opal", null);
        var owner = https.createUser(admin, "olga");
        https.createInstance(WS + "/computes/operated", owner, WireFormatIT.CREATE);

        assertThat(https.send("POST", WS + "/computes/operated/stop", ops, null).statusCode())
                .as("no role yet").isEqualTo(403);
        var assignmentId = UUID.randomUUID().toString();
        var assigned = assign(assignmentId, userId(ops), DEFINITIONS + "/" + roleId);
        assertThat(assigned.statusCode()).as(assigned.body()).isEqualTo(201);
        var assignment = Https.json(assigned);
        assertThat(assignment.get("id").asText()).isEqualTo(ASSIGNMENTS + "/" + assignmentId);
        assertThat(assignment.at("/properties/scope").asText()).isEqualTo(WS);
        assertThat(assignment.at("/properties/principalId").asText()).isEqualTo(userId(ops));
        assertThat(assign(assignmentId, userId(ops), roleId).statusCode()).as("the same PUT again").isEqualTo(200);

        var stop = https.send("POST", WS + "/computes/operated/stop", ops, null);
        assertThat(stop.statusCode()).as(stop.body()).isEqualTo(202);
        https.waitForOperation(stop.headers().firstValue("Azure-AsyncOperation").orElseThrow(), ops);
        var start = https.send("POST", WS + "/computes/operated/start", ops, null);
        assertThat(start.statusCode()).as(start.body()).isEqualTo(202);
        https.waitForOperation(start.headers().firstValue("Azure-AsyncOperation").orElseThrow(), ops);
        var restart = https.send("POST", WS + "/computes/operated/restart", ops, null);
        assertThat(restart.statusCode()).as("its notActions exclude restart").isEqualTo(403);
        assertThat(Https.json(restart).at("/error/message").asText()).contains("computes/restart/action");
        assertThat(https.send("PUT", WS + "/computes/ops-own", ops, WireFormatIT.CREATE).statusCode())
                .as("computes/write is not among its actions").isEqualTo(403);

        var inUse = https.send("DELETE", DEFINITIONS + "/" + roleId, admin, null);
        assertThat(inUse.statusCode()).isEqualTo(409);
        assertThat(code(inUse)).isEqualTo("RoleDefinitionHasAssignments");
        assertThat(https.send("DELETE", ASSIGNMENTS + "/" + assignmentId, admin, null).statusCode()).isEqualTo(200);
        assertThat(https.send("DELETE", ASSIGNMENTS + "/" + assignmentId, admin, null).statusCode()).isEqualTo(204);
        assertThat(https.send("POST", WS + "/computes/operated/stop", ops, null).statusCode())
                .as("the assignment is gone").isEqualTo(403);
        assertThat(https.send("DELETE", DEFINITIONS + "/" + roleId, admin, null).statusCode()).isEqualTo(200);
        assertThat(https.send("GET", DEFINITIONS + "/" + roleId, admin, null).statusCode()).isEqualTo(404);
    }

    @Test
    void onlyOwnersAssignRoles() {
        var contributor = https.createUser(admin, "carl");
        var owner = https.createUser(admin, "otto", "Owner");
        var newcomer = https.createUser(admin, "nina", null);

        var byContributor = assignAs(contributor, UUID.randomUUID().toString(), userId(newcomer),
                "acdd72a7-3385-48ef-bd42-f606fba81ae7");
        assertThat(byContributor.statusCode()).isEqualTo(403);
        assertThat(Https.json(byContributor).at("/error/message").asText())
                .contains("Microsoft.Authorization/roleAssignments/write");
        var byOwner = assignAs(owner, UUID.randomUUID().toString(), userId(newcomer),
                "acdd72a7-3385-48ef-bd42-f606fba81ae7");
        assertThat(byOwner.statusCode()).as(byOwner.body()).isEqualTo(201);
        assertThat(https.send("GET", WS + "/computes", newcomer, null).statusCode()).isEqualTo(200);

        var listed = Https.json(https.send("GET", ASSIGNMENTS + "?$filter=principalId%20eq%20'" + userId(newcomer)
                + "'", contributor, null)).get("value");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).at("/properties/roleDefinitionId").asText())
                .endsWith("/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7");
        var again = assignAs(owner, UUID.randomUUID().toString(), userId(newcomer),
                "acdd72a7-3385-48ef-bd42-f606fba81ae7");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(code(again)).isEqualTo("RoleAssignmentExists");
        var customByContributor = https.send("PUT", DEFINITIONS + "/" + UUID.randomUUID(), contributor, OPERATOR);
        assertThat(customByContributor.statusCode()).isEqualTo(403);
    }

    @Test
    void whatDoesNotParseOrExistIsRefusedAndNothingIsRecorded() {
        var id = UUID.randomUUID().toString();
        for (var actions : new String[] {"[\"Microsoft.MachineLearningServices/workspaces/computes/read \"]",
                "[\"computes//read\"]", "[\"/leading\"]", "[\"a/b/**\"]", "[]"}) {
            var bad = https.send("PUT", DEFINITIONS + "/" + id, admin,
                    "{\"properties\":{\"roleName\":\"Bad\",\"permissions\":[{\"actions\":" + actions + "}]}}");
            assertThat(bad.statusCode()).as(actions).isEqualTo(400);
            assertThat(code(bad)).as(actions).isEqualTo("InvalidActionOrNotAction");
        }
        var notAction = https.send("PUT", DEFINITIONS + "/" + id, admin, "{\"properties\":{\"roleName\":\"Bad\","
                + "\"permissions\":[{\"actions\":[\"*\"],\"notActions\":[\"no spaces/allowed\"]}]}}");
        assertThat(code(notAction)).isEqualTo("InvalidActionOrNotAction");
        assertThat(https.send("GET", DEFINITIONS + "/" + id, admin, null).statusCode()).isEqualTo(404);
        var builtInName = https.send("PUT", DEFINITIONS + "/" + id, admin, "{\"properties\":{\"roleName\":\"reader\","
                + "\"permissions\":[{\"actions\":[\"*/read\"]}]}}");
        assertThat(builtInName.statusCode()).isEqualTo(409);
        assertThat(code(builtInName)).isEqualTo("RoleDefinitionWithSameNameExists");

        var someone = userId(https.createUser(admin, "sam", null));
        var unknownUser = assign(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                "acdd72a7-3385-48ef-bd42-f606fba81ae7");
        assertThat(code(unknownUser)).isEqualTo("PrincipalNotFound");
        var unknownRole = assign(UUID.randomUUID().toString(), someone, UUID.randomUUID().toString());
        assertThat(unknownRole.statusCode()).isEqualTo(400);
        assertThat(code(unknownRole)).isEqualTo("RoleDefinitionDoesNotExist");
        var notAGuid = assign("not-a-guid", someone, "acdd72a7-3385-48ef-bd42-f606fba81ae7");
        assertThat(code(notAGuid)).isEqualTo("InvalidRoleAssignmentId");
        var badFilter = https.send("GET", ASSIGNMENTS + "?$filter=roleName%20eq%20'x'", admin, null);
        assertThat(code(badFilter)).isEqualTo("InvalidFilter");
        var unknownRoleForUser = https.send("POST", "/hangar/v1/users", admin, "{\"name\":\"zed\",\"role\":\"Boss\"}");
        assertThat(code(unknownRoleForUser)).isEqualTo("RoleDefinitionDoesNotExist");
        assertThat(https.send("GET", "/hangar/v1/users", admin, null).body()).as("nothing half-made")
                .doesNotContain("\"zed\"");
    }

    private static java.net.http.HttpResponse<String> assign(String id, String principal, String role) {
        return assignAs(admin, id, principal, role);
    }

    private static java.net.http.HttpResponse<String> assignAs(String token, String id, String principal,
                                                               String role) {
        return https.send("PUT", ASSIGNMENTS + "/" + id, token, "{\"properties\":{\"roleDefinitionId\":\"" + role
                + "\",\"principalId\":\"" + principal + "\"}}");
    }

    private static String userId(String token) {
        return Https.json(https.send("GET", "/hangar/v1/session", token, null)).at("/user/id").asText();
    }

    private static String code(java.net.http.HttpResponse<String> response) {
        JsonNode body = Https.json(response);
        return body.at("/error/code").asText();
    }
}
