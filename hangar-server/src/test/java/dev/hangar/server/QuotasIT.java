package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.testkit.server.ServerProcess;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Core quotas and the VM size catalog through the ARM wire format, on a real server and store: {@code usages},
 * {@code quotas} and {@code updateQuotas} as azureml-core sends it, admission refusing what does not fit with the
 * numbers that explain why, a stopped instance keeping its cores, delete freeing them, and administrators alone
 * changing limits and sizes. Instances here run without Jupyter. (The race of 200 creates is the store contract's,
 * on H2 and PostgreSQL.)
 */
class QuotasIT {
    static final String SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
    static final String LOCATION = SUB + "/providers/Microsoft.MachineLearningServices/locations/local";
    static final String WS = WireFormatIT.WS;
    static final String DS_QUOTA = "Standard_DSv2_Family_Cluster_Dedicated_vCPUs";

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

    static String create(String size) {
        return """
                {"location":"local","properties":{"computeType":"ComputeInstance","properties":{"vmSize":"%s"}}}"""
                .formatted(size);
    }

    /** The body azureml-core's {@code AmlCompute.update_quotas} sends for a workspace's family quota. */
    static String workspaceQuota(String name, long limit) {
        return """
                {"value":[{"id":"%s/quotas/%s","type":"Microsoft.MachineLearningServices/workspaces/quotas",
                 "limit":%d,"location":"local","unit":"Count"}]}""".formatted(WS, name, limit);
    }

    static HttpResponse<String> updateQuotas(String token, String body) {
        return updateQuotasOn(https, token, body);
    }

    /** {@code updateQuotas} on another test's server. */
    static HttpResponse<String> updateQuotasOn(Https server, String token, String body) {
        return server.send("POST", LOCATION + "/updateQuotas?api-version=2024-04-01", token, body);
    }

    static JsonNode usages(String token, boolean expand) {
        var response = https.send("GET", LOCATION + "/usages?api-version=2024-04-01&expandChildren=" + expand, token,
                null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Https.json(response).get("value");
    }

    static JsonNode line(JsonNode lines, String id) {
        for (var line : lines) {
            if (line.get("id").asText().equals(id)) {
                return line;
            }
        }
        throw new AssertionError("no line " + id + " in " + lines);
    }

    static String code(HttpResponse<String> response) {
        return Https.json(response).at("/error/code").asText();
    }

    /** The location's dedicated total equals the vCPUs of every compute there, whatever its state. */
    static void assertUsageIsWhatExists() {
        var vCpus = new java.util.HashMap<String, Integer>();
        Https.json(https.send("GET", LOCATION + "/vmSizes", admin, null)).get("value").forEach(size ->
                vCpus.put(size.get("name").asText().toLowerCase(java.util.Locale.ROOT), size.get("vCPUs").asInt()));
        long held = 0;
        for (var compute : Https.json(https.send("GET", WS + "/computes", admin, null)).get("value")) {
            held += vCpus.get(compute.at("/properties/properties/vmSize").asText().toLowerCase(java.util.Locale.ROOT));
        }
        assertThat(usages(admin, false).get(0).get("currentValue").asLong()).as("usage = what exists").isEqualTo(held);
    }

    void delete(String name) {
        var deleted = https.send("DELETE", WS + "/computes/" + name + "?underlyingResourceAction=Delete", admin, null);
        assertThat(deleted.statusCode()).isIn(200, 202, 204);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                https.send("GET", WS + "/computes/" + name, admin, null).statusCode() == 404);
    }

    @Test
    void usagesAndQuotasAnswerInAzuresShape() {
        var lines = usages(admin, false);
        var total = lines.get(0);
        assertThat(total.get("type").asText()).isEqualTo("Microsoft.MachineLearningServices/dedicatedCores/usages");
        assertThat(total.get("id").asText()).isEqualTo(SUB + "/usages");
        assertThat(total.at("/name/value").asText()).isEqualTo("Total Cluster Dedicated Regional vCPUs");
        assertThat(total.get("unit").asText()).isEqualTo("Count");
        assertThat(total.get("amlWorkspaceLocation").asText()).isEqualTo("local");
        var family = line(lines, SUB + "/usages/" + DS_QUOTA);
        assertThat(family.get("type").asText()).isEqualTo("Microsoft.MachineLearningServices/vmFamily/usages");
        assertThat(family.get("limit").asLong()).as("no limit until an administrator sets one").isEqualTo(-1);
        assertThat(lines.findValuesAsText("type")).contains("Microsoft.MachineLearningServices/lowPriorityCores/usages");
        assertThat(Https.json(https.send("GET", LOCATION + "/usages", admin, null)).has("nextLink")).isFalse();

        var quotas = Https.json(https.send("GET", LOCATION + "/quotas?api-version=2024-04-01", admin, null))
                .get("value");
        var workspace = line(quotas, WS + "/quotas/" + DS_QUOTA);
        assertThat(workspace.get("type").asText()).isEqualTo("Microsoft.MachineLearningServices/workspaces/quotas");
        assertThat(line(quotas, SUB + "/quotas/" + DS_QUOTA).get("type").asText())
                .isEqualTo("Microsoft.MachineLearningServices/vmFamily/quotas");
    }

    @Test
    void aWorkspaceQuotaAdmitsWhatFitsAndAStoppedInstanceKeepsItsCores() {
        var set = updateQuotas(admin, workspaceQuota(DS_QUOTA, 1));
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        assertThat(Https.json(set).at("/value/0/status").asText()).isEqualTo("Success");
        assertThat(Https.json(set).at("/value/0/id").asText()).isEqualTo(WS + "/quotas/" + DS_QUOTA);
        try {
            https.createInstance(WS + "/computes/q-first", admin, create("Standard_DS1_v2"));

            var second = https.send("PUT", WS + "/computes/q-second", admin, create("Standard_DS1_v2"));
            assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
            assertThat(code(second)).isEqualTo("QuotaExceeded");
            assertThat(Https.json(second).at("/error/message").asText()).contains(
                    "needs 1 Standard DSv2 Family Cluster Dedicated vCPUs", "workspace 'default' has a quota of 1",
                    "1 are in use");
            assertThat(https.send("GET", WS + "/computes/q-second", admin, null).statusCode()).isEqualTo(404);
            // Another family has room.
            https.createInstance(WS + "/computes/q-other", admin, create("Standard_D2s_v3"));
            assertUsageIsWhatExists();

            var expanded = usages(admin, true);
            var workspaceLine = line(expanded, WS + "/usages/" + DS_QUOTA);
            assertThat(workspaceLine.get("currentValue").asLong()).isEqualTo(1);
            assertThat(workspaceLine.get("limit").asLong()).isEqualTo(1);
            assertThat(line(expanded, WS + "/computes/q-first/usages/" + DS_QUOTA).get("type").asText())
                    .isEqualTo("Microsoft.MachineLearningServices/workspaces/computes/usages");
            assertThat(expanded.get(0).get("currentValue").asLong()).as("the location's total: 1 + 2 cores")
                    .isEqualTo(3);
            assertThat(usages(admin, false).findValuesAsText("type"))
                    .doesNotContain("Microsoft.MachineLearningServices/workspaces/computes/usages");

            var stop = https.send("POST", WS + "/computes/q-first/stop", admin, null);
            assertThat(stop.statusCode()).as(stop.body()).isEqualTo(202);
            https.waitForOperation(stop.headers().firstValue("Azure-AsyncOperation").orElseThrow(), admin);
            assertThat(code(https.send("PUT", WS + "/computes/q-second", admin, create("Standard_DS1_v2"))))
                    .as("a stopped instance keeps its cores").isEqualTo("QuotaExceeded");
            assertUsageIsWhatExists();
            var start = https.send("POST", WS + "/computes/q-first/start", admin, null);
            assertThat(start.statusCode()).as("it can always start again: " + start.body()).isEqualTo(202);
            https.waitForOperation(start.headers().firstValue("Azure-AsyncOperation").orElseThrow(), admin);

            delete("q-first");
            assertUsageIsWhatExists();
            https.createInstance(WS + "/computes/q-second", admin, create("Standard_DS1_v2"));
            assertUsageIsWhatExists();
            assertThat(line(usages(admin, false), SUB + "/usages/" + DS_QUOTA).get("currentValue").asLong())
                    .isEqualTo(1);
        } finally {
            updateQuotas(admin, workspaceQuota(DS_QUOTA, -1));
            for (var name : new String[] {"q-first", "q-second", "q-other"}) {
                https.send("DELETE", WS + "/computes/" + name + "?underlyingResourceAction=Delete", admin, null);
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> usages(admin, false).get(0)
                    .get("currentValue").asLong() == 0);
        }
    }

    @Test
    void aBadQuotaUpdateIsRefusedWholeAndChangesNothing() {
        var before = https.send("GET", LOCATION + "/quotas", admin, null).body();
        var refusals = new ArrayList<String>();
        for (var body : new String[] {
                workspaceQuota(DS_QUOTA, -5),
                workspaceQuota(DS_QUOTA, 1_000_000_000L),
                workspaceQuota("Standard_M_Family_Cluster_Dedicated_vCPUs", 4),
                workspaceQuota("Total_Cluster_Dedicated_Regional_vCPUs", 4),
                "{\"value\":[{\"id\":\"/not/a/quota\",\"limit\":4}]}",
                "{\"value\":[{\"id\":\"/subscriptions/other/quotas/" + DS_QUOTA + "\",\"limit\":4}]}",
                "{\"value\":[{\"id\":\"" + WS.replace("/default", "/nowhere") + "/quotas/" + DS_QUOTA
                        + "\",\"limit\":4}]}",
                "{\"value\":[{\"id\":\"" + SUB + "/quotas/" + DS_QUOTA + "\"}]}",
                "{\"value\":[]}",
                // One good change beside a bad one: neither is applied.
                "{\"value\":[{\"id\":\"" + SUB + "/quotas/" + DS_QUOTA + "\",\"limit\":8},"
                        + "{\"id\":\"" + SUB + "/quotas/" + DS_QUOTA + "\",\"limit\":-2}]}"}) {
            var response = updateQuotas(admin, body);
            assertThat(response.statusCode()).as(body + " → " + response.body()).isEqualTo(400);
            refusals.add(code(response));
        }
        assertThat(refusals).containsExactly("InvalidQuotaLimit", "InvalidQuotaLimit", "InvalidVMFamilyName",
                "InvalidVMFamilyName", "InvalidQuotaId", "InvalidQuotaId", "InvalidQuotaId", "InvalidQuotaLimit",
                "InvalidRequestBody", "InvalidQuotaLimit");
        assertThat(https.send("GET", LOCATION + "/quotas", admin, null).body()).isEqualTo(before);
    }

    @Test
    void aLocationsTotalLimitsEveryWorkspaceThere() {
        var body = "{\"value\":[{\"id\":\"" + SUB + "/quotas/Total_Cluster_Dedicated_Regional_vCPUs\","
                + "\"type\":\"Microsoft.MachineLearningServices/dedicatedCores/quotas\",\"limit\":0}]}";
        assertThat(updateQuotas(admin, body).statusCode()).isEqualTo(200);
        try {
            var refused = https.send("PUT", WS + "/computes/q-none", admin, create("Standard_DS1_v2"));
            assertThat(code(refused)).isEqualTo("QuotaExceeded");
            assertThat(Https.json(refused).at("/error/message").asText())
                    .contains("location 'local' has a quota of 0 and 0 are in use");
            assertThat(usages(admin, false).get(0).get("limit").asLong()).isZero();
        } finally {
            updateQuotas(admin, body.replace("\"limit\":0", "\"limit\":-1"));
        }
    }

    @Test
    void onlyAdministratorsChangeQuotasAndSizesAndOthersSeeTheWorkspacesTheyMayRead() {
        var contributor = https.createUser(admin, "quota-contributor");
        var outsider = https.createUser(admin, "quota-outsider", null);
        var refused = updateQuotas(contributor, workspaceQuota(DS_QUOTA, 100));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(Https.json(refused).at("/error/message").asText())
                .contains("Microsoft.MachineLearningServices/locations/updateQuotas/action");
        assertThat(https.send("PUT", "/hangar/v1/vmSizes/Standard_Mine", contributor, "{}").statusCode())
                .isEqualTo(403);
        assertThat(https.send("DELETE", "/hangar/v1/vmSizes/Standard_DS1_v2", contributor, null).statusCode())
                .isEqualTo(403);

        assertThat(usages(contributor, false).findValuesAsText("type"))
                .contains("Microsoft.MachineLearningServices/vmFamily/usages");
        var quotas = Https.json(https.send("GET", LOCATION + "/quotas", outsider, null)).get("value");
        assertThat(quotas.findValuesAsText("type")).contains("Microsoft.MachineLearningServices/vmFamily/quotas")
                .doesNotContain("Microsoft.MachineLearningServices/workspaces/quotas");
        assertThat(https.send("GET", LOCATION + "/usages", null, null).statusCode()).isEqualTo(401);
    }

    @Test
    void administratorsEditTheCatalogButNotASizeInUse() {
        var size = """
                {"name":"Standard_Team_v1","family":"teamFamily","vCPUs":2,"gpus":0,"memoryGB":3,
                 "lowPriorityCapable":true,"supportedComputeTypes":["ComputeInstance"],
                 "estimatedVMPrices":{"billingCurrency":"USD","unitOfMeasure":"OneHour","values":[
                   {"retailPrice":0.5,"osType":"Linux","vmTier":"Standard"},
                   {"retailPrice":0.1,"osType":"Linux","vmTier":"LowPriority"}]}}""";
        var made = https.send("PUT", "/hangar/v1/vmSizes/Standard_Team_v1", admin, size);
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        var listed = Https.json(https.send("GET", LOCATION + "/vmSizes", admin, null)).get("value");
        var team = line(listed, "Standard_Team_v1", "name");
        assertThat(team.get("family").asText()).isEqualTo("teamFamily");
        assertThat(team.at("/estimatedVMPrices/values/1/retailPrice").asDouble()).isEqualTo(0.1);
        assertThat(https.send("PUT", "/hangar/v1/vmSizes/standard_team_V1", admin, size.replace("\"memoryGB\":3",
                "\"memoryGB\":4")).statusCode()).as("a change, in any case").isEqualTo(200);
        try {
            https.createInstance(WS + "/computes/q-team", admin, create("Standard_Team_v1"));
            assertThat(line(usages(admin, false), SUB + "/usages/teamFamily_Cluster_Dedicated_vCPUs")
                    .get("currentValue").asLong()).isEqualTo(2);

            var grow = https.send("PUT", "/hangar/v1/vmSizes/Standard_Team_v1", admin,
                    size.replace("\"vCPUs\":2", "\"vCPUs\":4"));
            assertThat(grow.statusCode()).isEqualTo(409);
            assertThat(code(grow)).isEqualTo("VmSizeInUse");
            assertThat(code(https.send("DELETE", "/hangar/v1/vmSizes/Standard_Team_v1", admin, null)))
                    .isEqualTo("VmSizeInUse");
        } finally {
            delete("q-team");
        }
        assertThat(https.send("DELETE", "/hangar/v1/vmSizes/Standard_Team_v1", admin, null).statusCode())
                .isEqualTo(200);
        assertThat(https.send("DELETE", "/hangar/v1/vmSizes/Standard_Team_v1", admin, null).statusCode())
                .isEqualTo(204);
        assertThat(Https.json(https.send("GET", LOCATION + "/vmSizes", admin, null)).get("value")
                .findValuesAsText("name")).doesNotContain("Standard_Team_v1");

        for (var bad : new String[] {size.replace("\"vCPUs\":2", "\"vCPUs\":0"),
                size.replace("\"family\":\"teamFamily\"", "\"family\":\"no spaces\""),
                size.replace("[\"ComputeInstance\"]", "[\"Quantum\"]"),
                size.replace("\"retailPrice\":0.5", "\"retailPrice\":-1"),
                size.replace("\"name\":\"Standard_Team_v1\"", "\"name\":\"Standard_Other\"")}) {
            var response = https.send("PUT", "/hangar/v1/vmSizes/Standard_Team_v1", admin, bad);
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            assertThat(code(response)).isEqualTo("InvalidVmSizeDefinition");
        }
        assertThat(https.send("PUT", "/hangar/v1/vmSizes/Standard_Team_v1", admin, "[1,2]").statusCode())
                .isEqualTo(400);
    }

    static JsonNode line(JsonNode lines, String value, String field) {
        for (var line : lines) {
            if (line.get(field).asText().equals(value)) {
                return line;
            }
        }
        throw new AssertionError("no " + field + " " + value + " in " + lines);
    }
}
