package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.testkit.server.LocalInstances;
import dev.hangar.testkit.server.ServerProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ARM wire format, key by key, as Azure's clients read it (reference sections 1.5, 1.7, 1.9, 1.10, 3.2, 3.3).
 * Instances here run without Jupyter (its command points nowhere), which keeps creation fast and shows how an
 * unavailable app is reported.
 */
class WireFormatIT {
    static final String WS = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/hangar/providers/"
            + "Microsoft.MachineLearningServices/workspaces/default";
    static final String CREATE = """
            {"location":"local","properties":{"computeType":"ComputeInstance","properties":{"vmSize":"STANDARD_DS1_V2"}}}""";

    @TempDir
    static Path data;
    static ServerProcess server;
    static Https https;
    static String token;

    @BeforeAll
    static void start() {
        server = new ServerProcess(data, Map.of("HANGAR_BACKEND_LOCAL_JUPYTER", "/nonexistent/jupyter")).start();
        https = new Https(server.url(), server.certificate());
        token = server.adminToken();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static JsonNode waitForOperation(String statusUrl) {
        return https.waitForOperation(statusUrl, token);
    }

    static String create(String name) {
        var response = https.send("PUT", WS + "/computes/" + name + "?api-version=2020-02-02", token, CREATE);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return response.headers().firstValue("Azure-AsyncOperation").orElseThrow();
    }

    @Test
    void createAnswers201WithEveryKeyClientsReadAndTheOperationHeaders() {
        var response = https.send("PUT", WS + "/computes/wire-create?api-version=2024-04-01", token, CREATE,
                "x-ms-client-request-id", "req-123");
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("x-ms-request-id")).hasValue("req-123");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
        var aao = response.headers().firstValue("Azure-AsyncOperation").orElseThrow();
        assertThat(aao).startsWith(server.url() + "/subscriptions/00000000-0000-0000-0000-000000000000/providers/"
                + "Microsoft.MachineLearningServices/locations/local/computeOperationsStatus/")
                .contains("api-version=2024-04-01");
        assertThat(response.headers().firstValue("Location").orElseThrow()).contains("/computeOperationsResults/");

        var body = Https.json(response);
        assertThat(fieldNames(body)).contains("id", "name", "type", "location", "tags", "properties");
        assertThat(body.get("tags").isNull()).isTrue();
        assertThat(body.get("type").asText()).isEqualTo("Microsoft.MachineLearningServices/workspaces/computes");
        assertThat(body.get("id").asText()).isEqualTo(WS + "/computes/wire-create");
        var envelope = body.get("properties");
        assertThat(fieldNames(envelope)).contains("computeType", "computeLocation", "description", "createdOn",
                "modifiedOn", "resourceId", "provisioningState", "provisioningErrors", "isAttachedCompute",
                "disableLocalAuth", "properties");
        assertThat(envelope.get("computeType").asText()).isEqualTo("ComputeInstance");
        assertThat(envelope.get("provisioningState").asText()).isEqualTo("Creating");
        assertThat(envelope.get("isAttachedCompute").asBoolean()).isFalse();
        var instance = envelope.get("properties");
        assertThat(fieldNames(instance)).contains("vmSize", "subnet", "applicationSharingPolicy", "sshSettings",
                "connectivityEndpoints", "applications", "createdBy", "errors", "state", "lastOperation",
                "personalComputeInstanceSettings", "computeInstanceAuthorizationType", "setupScripts", "schedules");
        assertThat(instance.get("vmSize").asText()).as("the size is answered in its canonical casing")
                .isEqualTo("Standard_DS1_v2");
        assertThat(instance.get("state").asText()).isEqualTo("Creating");
        assertThat(instance.at("/createdBy/userName").asText()).isEqualTo("admin");
        assertThat(instance.at("/sshSettings/sshPublicAccess").asText()).isEqualTo("Disabled");
        assertThat(instance.at("/sshSettings/adminUserName").asText()).as("the host backend's account of the instance")
                .matches(LocalInstances.userPattern());

        var status = waitForOperation(aao);
        assertThat(fieldNames(status)).contains("id", "name", "status", "startTime", "endTime", "error");
        assertThat(status.get("status").asText()).isEqualTo("Succeeded");

        var got = Https.json(https.send("GET", WS + "/computes/wire-create?api-version=2025-12-01", token, null));
        assertThat(got.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
        assertThat(got.at("/properties/properties/state").asText()).isEqualTo("Running");
        var last = got.at("/properties/properties/lastOperation");
        assertThat(last.get("operationName").asText()).isEqualTo("Create");
        assertThat(last.get("operationStatus").asText()).isEqualTo("Succeeded");
        assertThat(last.get("operationTrigger").asText()).isEqualTo("User");
        // Jupyter cannot run here; the terminal, served by Hangar itself, can.
        assertThat(got.at("/properties/properties/applications").findValuesAsText("displayName"))
                .containsExactly("Terminal");
        var errors = got.at("/properties/properties/errors");
        assertThat(errors.get(0).at("/error/code").asText()).isEqualTo("ApplicationUnavailable");
        assertThat(errors.get(0).at("/error/message").asText()).contains("Jupyter").contains("apt-get install");

        var rp = Https.json(https.send("GET", "/rp/workspaces" + WS + "/computes/wire-create", token, null));
        assertThat(rp).isEqualTo(got);
    }

    @Test
    void listPagesWithSkipAndOmitsNextLinkOnTheLastPage() {
        var statusUrls = new ArrayList<String>();
        for (int i = 0; i < 52; i++) {
            statusUrls.add(create(String.format("page-%02d", i)));
        }
        statusUrls.forEach(WireFormatIT::waitForOperation);
        var names = new ArrayList<String>();
        var first = Https.json(https.send("GET", WS + "/computes?api-version=2020-02-02", token, null));
        assertThat(first.get("value").size()).isEqualTo(50);
        first.get("value").forEach(item -> names.add(item.get("name").asText()));
        var next = first.get("nextLink").asText();
        assertThat(next).startsWith(server.url().toString()).contains("$skip=50");
        var second = Https.json(https.send("GET", next, token, null));
        assertThat(second.has("nextLink")).as("no nextLink key at all on the last page").isFalse();
        second.get("value").forEach(item -> names.add(item.get("name").asText()));
        assertThat(names).doesNotHaveDuplicates().filteredOn(name -> name.startsWith("page-")).hasSize(52);
        for (int i = 0; i < 52; i++) {
            var delete = https.send("DELETE", WS + "/computes/" + String.format("page-%02d", i)
                    + "?underlyingResourceAction=delete", token, null);
            assertThat(delete.statusCode()).isEqualTo(202);
        }
    }

    @Test
    void vmSizesAnswerBothKeysWithTheFieldsTheV1SdkRequires() {
        var sizes = Https.json(https.send("GET", "/subscriptions/00000000-0000-0000-0000-000000000000/providers/"
                + "Microsoft.MachineLearningServices/locations/local/vmSizes?api-version=2020-02-02", token, null));
        assertThat(sizes.get("value")).isEqualTo(sizes.get("amlCompute"));
        assertThat(sizes.get("value").size()).isGreaterThan(3);
        for (var size : sizes.get("value")) {
            assertThat(fieldNames(size)).contains("name", "family", "vCPUs", "gpus", "memoryGB",
                    "maxResourceVolumeMB", "lowPriorityCapable", "estimatedVMPrices", "supportedComputeTypes");
        }
    }

    @Test
    void workspaceAndDiscovery() {
        var workspace = Https.json(https.send("GET", WS + "?api-version=2020-02-02", token, null));
        assertThat(workspace.get("location").asText()).isEqualTo("local");
        var discovery = https.send("GET", workspace.at("/properties/discoveryUrl").asText(), null, null);
        assertThat(discovery.statusCode()).as("clients fetch discovery without credentials").isEqualTo(200);
        assertThat(Https.json(discovery).get("api").asText()).isEqualTo(server.url().toString());
    }

    @Test
    void anOperationAskedWithPreferWaitAnswersWhenItEnds() {
        var status = create("wire-wait");

        var held = https.send("GET", status, token, null, "Prefer", "wait=30");
        assertThat(held.statusCode()).isEqualTo(200);
        assertThat(held.headers().firstValue("Preference-Applied")).hasValue("wait=30");
        // Creating turns Running in the commit that ends the operation: the held answer is the outcome.
        assertThat(Https.json(held).get("status").asText()).isEqualTo("Succeeded");
        assertThat(held.headers().firstValue("Retry-After")).as("nothing left to poll").isEmpty();

        var capped = https.send("GET", status, token, null, "Prefer", "respond-async, wait=600");
        assertThat(capped.headers().firstValue("Preference-Applied")).hasValue("wait=30");
        var now = https.send("GET", status, token, null, "Prefer", "wait=0");
        assertThat(now.headers().firstValue("Preference-Applied")).as("how a client learns the server may hold answers")
                .hasValue("wait=0");
        var plain = https.send("GET", status, token, null);
        assertThat(plain.headers().firstValue("Preference-Applied")).isEmpty();
        var result = https.send("GET", status.replace("computeOperationsStatus", "computeOperationsResults"), token,
                null, "Prefer", "wait=5");
        assertThat(result.statusCode()).isEqualTo(200);
        assertThat(result.headers().firstValue("Preference-Applied")).hasValue("wait=5");
    }

    @Test
    void operationsConflictAndStateRulesAnswerTheirCodes() {
        waitForOperation(create("wire-rules"));
        var start = https.send("POST", WS + "/computes/wire-rules/start", token, null);
        assertThat(start.statusCode()).isEqualTo(409);
        assertThat(Https.json(start).at("/error/code").asText()).isEqualTo("StartComputeInstanceOnlyAllowedInStoppedState");
        var stop = https.send("POST", WS + "/computes/wire-rules/stop", token, null);
        assertThat(stop.statusCode()).isEqualTo(202);
        for (var header : new String[] {"Azure-AsyncOperation", "Location", "Retry-After"}) {
            assertThat(stop.headers().firstValue(header)).as(header).isPresent();
        }
        var again = https.send("POST", WS + "/computes/wire-rules/restart", token, null);
        if (again.statusCode() == 409) {
            // While the stop runs, the active operation refuses it; once it is done (it is quick here), the state does.
            assertThat(again.body()).containsAnyOf("There is already an active operation submitted",
                    "RestartComputeInstanceOnlyAllowedInRunningState");
        }
        waitForOperation(stop.headers().firstValue("Azure-AsyncOperation").orElseThrow());
        var stopAgain = https.send("POST", WS + "/computes/wire-rules/stop", token, null);
        assertThat(stopAgain.statusCode()).isEqualTo(409);
        assertThat(Https.json(stopAgain).at("/error/code").asText()).isEqualTo("StopComputeInstanceOnlyAllowedInRunningState");

        var delete = https.send("DELETE", WS + "/computes/wire-rules?underlyingResourceAction=DELETE", token, null);
        assertThat(delete.statusCode()).isEqualTo(202);
        var result = delete.headers().firstValue("Location").orElseThrow();
        waitForOperation(delete.headers().firstValue("Azure-AsyncOperation").orElseThrow());
        assertThat(https.send("GET", result, token, null).statusCode()).isEqualTo(204);
        var gone = https.send("GET", WS + "/computes/wire-rules", token, null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(Https.json(gone).at("/error/code").asText()).isEqualTo("ResourceNotFound");
        assertThat(https.send("DELETE", WS + "/computes/wire-rules?underlyingResourceAction=Delete", token, null)
                .statusCode()).isEqualTo(204);
    }

    @Test
    void nameAvailability() {
        waitForOperation(create("wire-taken"));
        var path = WS + "/checkComputeNameAvailability?api-version=2020-02-02";
        var taken = Https.json(https.send("POST", path, token, "{\"Name\":\"wire-taken\",\"Type\":\"x\"}"));
        assertThat(taken.get("nameAvailable").asBoolean()).isFalse();
        assertThat(taken.get("reason").asText()).isEqualTo("AlreadyExists");
        var invalid = Https.json(https.send("POST", path, token, "{\"Name\":\"-bad\"}"));
        assertThat(invalid.get("reason").asText()).isEqualTo("Invalid");
        var free = Https.json(https.send("POST", path, token, "{\"Name\":\"wire-free\"}"));
        assertThat(free.get("nameAvailable").asBoolean()).isTrue();
    }

    static List<String> fieldNames(JsonNode node) {
        var names = new ArrayList<String>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
