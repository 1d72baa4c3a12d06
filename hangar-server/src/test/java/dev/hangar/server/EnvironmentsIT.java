package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hangar.testkit.server.ServerProcess;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Environment versions in Azure's wire format on a server of the host backend: recorded, read, listed newest first,
 * immutable; the refusals of what Hangar does not do (build an image); Hangar's curated environment, listed, read-only
 * and named by a job in every form Azure's clients use, which runs such a job as the SDK sends it in the instance's
 * own environment; the refusals of an environment the host backend cannot run (another image, Azure's curated ones,
 * one that does not exist or does not parse) with nothing recorded; and a job's deletion, as Azure's long-running
 * operation. Jobs in their image run on the container backend ({@code ContainerInstancesIT}).
 */
class EnvironmentsIT {
    static final String WS = WireFormatIT.WS;
    static final String ENV = WS + "/environments/py/versions/";

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
        for (var compute : List.of("sdk-ci", "del-ci")) {
            https.send("DELETE", WS + "/computes/" + compute + "?underlyingResourceAction=Delete", admin, null);
        }
        Https.deleteAndStop(server, https, data, WS + "/computes/env-ci", admin);
    }

    /**
     * A command job as azure-ai-ml (api-version 2023-04-01 and later) sends it from {@code ml_client.jobs
     * .create_or_update(command(...))}: every key its {@code CommandJob} writes, the ones Hangar does not use among
     * them, with the compute and the environment as ARM ids or as given.
     */
    static String sdkJob(String name, String computeId, String environmentId, String command) {
        var body = Https.JSON.createObjectNode();
        var properties = body.putObject("properties");
        properties.putNull("description");
        properties.putObject("tags");
        properties.putObject("properties").put("_azureml.ComputeTargetType", "amlcdsi");
        properties.put("displayName", name + " from the SDK");
        properties.put("experimentName", "hangar-sdk");
        properties.putObject("services").putObject("Studio").put("jobServiceType", "Studio");
        properties.put("computeId", computeId);
        properties.put("isArchived", false);
        properties.putNull("identity");
        properties.putNull("componentId");
        properties.put("jobType", "Command");
        properties.putNull("codeId");
        properties.put("command", command);
        properties.put("environmentId", environmentId);
        properties.putObject("inputs");
        properties.putObject("outputs").putObject("default").put("jobOutputType", "uri_folder")
                .put("mode", "ReadWriteMount")
                .put("uri", "azureml://datastores/workspaceartifactstore/ExperimentRun/dcid." + name);
        properties.putObject("environmentVariables").put("EPOCHS", "3");
        var resources = properties.putObject("resources");
        resources.put("instanceCount", 1);
        resources.put("shmSize", "2g");
        resources.putObject("properties");
        properties.putNull("distribution");
        properties.putNull("limits");
        properties.putNull("queueSettings");
        return body.toString();
    }

    /** Waits until the job ended; returns it. */
    static com.fasterxml.jackson.databind.JsonNode ended(Https https, String token, String job) {
        await().atMost(Duration.ofMinutes(2)).until(() -> Https.json(https.send("GET", job, token, null))
                .at("/properties/status").asText().matches("Completed|Failed|Canceled"));
        return Https.json(https.send("GET", job, token, null));
    }

    static HttpResponse<String> put(String version, String body) {
        return https.send("PUT", ENV + version + "?api-version=2024-04-01", admin, body);
    }

    static String code(HttpResponse<String> response) {
        return Https.json(response).at("/error/code").asText();
    }

    @Test
    void versionsAreRecordedReadListedAndNeverChanged() {
        var first = put("1", """
                {"properties":{"image":"localhost/python:3.11","description":"plain python","tags":{"team":"ml"}}}""");
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        var made = Https.json(first);
        assertThat(made.get("id").asText()).isEqualTo(WS + "/environments/py/versions/1");
        assertThat(made.get("name").asText()).isEqualTo("1");
        assertThat(made.get("type").asText()).isEqualTo("Microsoft.MachineLearningServices/workspaces/environments/versions");
        assertThat(made.at("/properties/image").asText()).isEqualTo("localhost/python:3.11");
        assertThat(made.at("/properties/osType").asText()).isEqualTo("Linux");
        assertThat(made.at("/properties/tags/team").asText()).isEqualTo("ml");

        assertThat(put("1", """
                {"properties":{"image":"localhost/python:3.11"}}""").statusCode()).as("a retry").isEqualTo(200);
        var changed = put("1", """
                {"properties":{"image":"localhost/python:3.12"}}""");
        assertThat(changed.statusCode()).isEqualTo(409);
        assertThat(code(changed)).isEqualTo("EnvironmentVersionExists");
        assertThat(put("2", """
                {"properties":{"image":"localhost/python:3.12"}}""").statusCode()).isEqualTo(201);

        var read = https.send("GET", ENV + "1", admin, null);
        assertThat(Https.json(read).at("/properties/image").asText()).isEqualTo("localhost/python:3.11");
        var listed = Https.json(https.send("GET", WS + "/environments/py/versions", admin, null)).get("value");
        assertThat(listed.findValuesAsText("name")).containsExactly("2", "1");
        assertThat(https.send("GET", ENV + "9", admin, null).statusCode()).isEqualTo(404);
        assertThat(https.send("GET", WS + "/environments/none/versions", admin, null).statusCode()).isEqualTo(404);
    }

    @Test
    void whatHangarDoesNotDoIsRefusedAndNothingIsRecorded() {
        var cases = Map.of(
                "{\"properties\":{\"build\":{\"path\":\"./docker\"}}}", "EnvironmentBuildUnsupported",
                "{\"properties\":{\"condaFile\":\"dependencies: [python=3.11]\"}}", "EnvironmentBuildUnsupported",
                "{\"properties\":{\"description\":\"nothing to run\"}}", "EnvironmentImageRequired",
                "{\"properties\":{\"image\":\"python 3; rm -rf /\"}}", "InvalidEnvironmentImage");
        cases.forEach((body, expected) -> {
            var refused = put("bad", body);
            assertThat(refused.statusCode()).as(body).isEqualTo(400);
            assertThat(code(refused)).as(body).isEqualTo(expected);
        });
        assertThat(https.send("GET", ENV + "bad", admin, null).statusCode()).isEqualTo(404);
        var name = https.send("PUT", WS + "/environments/-bad/versions/1", admin,
                "{\"properties\":{\"image\":\"localhost/x:1\"}}");
        assertThat(code(name)).isEqualTo("InvalidEnvironmentName");
    }

    @Test
    void curatedEnvironmentsAreListedVersionedAndReadOnly() {
        assertThat(https.send("PUT", WS + "/environments/mine/versions/1", admin,
                "{\"properties\":{\"image\":\"localhost/mine:1\"}}").statusCode()).isEqualTo(201);
        var listed = Https.json(https.send("GET", WS + "/environments?api-version=2023-04-01", admin, null))
                .get("value");
        assertThat(listed.get(0).get("name").asText()).isEqualTo("hangar-instance");
        assertThat(listed.get(0).get("id").asText()).isEqualTo(WS + "/environments/hangar-instance");
        assertThat(listed.get(0).get("type").asText())
                .isEqualTo("Microsoft.MachineLearningServices/workspaces/environments");
        assertThat(listed.get(0).at("/properties/latestVersion").asText()).isEqualTo("1");
        assertThat(listed.get(0).at("/properties/environmentType").asText()).isEqualTo("Curated");
        var mine = listed.findParents("name").stream().filter(node -> node.get("name").asText().equals("mine"))
                .findFirst().orElseThrow();
        assertThat(mine.at("/properties/environmentType").asText()).isEqualTo("UserCreated");
        assertThat(mine.at("/properties/latestVersion").asText()).isEqualTo("1");
        assertThat(mine.at("/properties/nextVersion").asText()).isEqualTo("2");
        var container = Https.json(https.send("GET", WS + "/environments/hangar-instance", admin, null));
        assertThat(container.at("/properties/latestVersion").asText()).isEqualTo("1");

        var curated = WS + "/environments/hangar-instance/versions";
        var versions = Https.json(https.send("GET", curated, admin, null)).get("value");
        assertThat(versions).hasSize(1);
        var version = versions.get(0);
        assertThat(version.get("id").asText()).isEqualTo(curated + "/1");
        assertThat(version.get("name").asText()).isEqualTo("1");
        assertThat(version.at("/properties/environmentType").asText()).isEqualTo("Curated");
        assertThat(version.at("/properties/image").asText()).as("the instance image by default")
                .isEqualTo("localhost/hangar-instance:latest");
        assertThat(version.at("/properties/description").asText()).contains("compute's own environment");
        assertThat(https.send("GET", curated + "/1", admin, null).statusCode()).isEqualTo(200);
        assertThat(https.send("GET", curated + "/2", admin, null).statusCode()).isEqualTo(404);

        for (var refused : List.of(
                https.send("PUT", curated + "/1", admin, "{\"properties\":{\"image\":\"localhost/x:1\"}}"),
                https.send("PUT", curated + "/2", admin, "{\"properties\":{\"image\":\"localhost/x:1\"}}"),
                https.send("PUT", WS + "/environments/HANGAR-Instance/versions/3", admin,
                        "{\"properties\":{\"image\":\"localhost/x:1\"}}"),
                https.send("DELETE", curated + "/1", admin, null),
                https.send("DELETE", WS + "/environments/hangar-instance", admin, null))) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
            assertThat(code(refused)).isEqualTo("CuratedEnvironmentReadOnly");
            assertThat(Https.json(refused).at("/error/message").asText()).contains("curated by Hangar");
        }
        assertThat(Https.json(https.send("GET", curated, admin, null)).get("value")).hasSize(1);
        var kept = https.send("DELETE", WS + "/environments/mine/versions/1", admin, null);
        assertThat(code(kept)).isEqualTo("EnvironmentDeleteUnsupported");
        assertThat(https.send("GET", WS + "/environments/mine/versions/1", admin, null).statusCode()).isEqualTo(200);
        assertThat(https.send("DELETE", WS + "/environments/mine/versions/99", admin, null).statusCode())
                .isEqualTo(404);
        var reserved = https.send("PUT", WS + "/environments/AzureML-Minimal/versions/1", admin,
                "{\"properties\":{\"image\":\"localhost/x:1\"}}");
        assertThat(code(reserved)).isEqualTo("InvalidEnvironmentName");
    }

    /**
     * The job azure-ai-ml sends, in Hangar's curated environment named in every form, and in an environment of
     * Hangar's instance image (another tag than the configured one): each runs in the instance's own environment and
     * completes; the job says which environment it named; list, get and cancel answer as for any job.
     */
    @Test
    void theSdksJobRunsInTheInstancesOwnEnvironmentOnTheHostBackend() {
        https.createInstance(WS + "/computes/sdk-ci", admin, QuotasIT.create("Standard_DS1_v2"));
        var instanceImage = https.send("PUT", WS + "/environments/instance-image/versions/1", admin,
                "{\"properties\":{\"image\":\"localhost/hangar-instance:0123abcd4567\"}}");
        assertThat(instanceImage.statusCode()).as(instanceImage.body()).isEqualTo(201);
        var computeId = WS + "/computes/sdk-ci";
        var curated = WS + "/environments/hangar-instance/versions/1";
        var forms = Map.of(
                "by-name", "hangar-instance",
                "by-latest", "azureml:hangar-instance@latest",
                "by-version", "azureml:hangar-instance:1",
                "by-arm-id", curated,
                "in-instance-image", "azureml:instance-image:1");
        var command = "python3 -c \"import os; print('python', os.environ['EPOCHS'], os.getcwd().endswith("
                + "os.environ['HANGAR_JOB_NAME']))\"";
        forms.forEach((job, environmentId) -> {
            var submitted = https.send("PUT", WS + "/jobs/" + job + "?api-version=2023-04-01", admin,
                    sdkJob(job, computeId, environmentId, command));
            assertThat(submitted.statusCode()).as(job + ": " + submitted.body()).isEqualTo(201);
        });
        forms.forEach((job, environmentId) -> {
            var ran = ended(https, admin, WS + "/jobs/" + job);
            var log = https.send("GET", WS + "/jobs/" + job + "/logs", admin, null).body();
            assertThat(ran.at("/properties/status").asText()).as(job + ": " + ran + log).isEqualTo("Completed");
            assertThat(log).as(job).isEqualTo("python 3 True\n");
            assertThat(ran.at("/properties/environmentId").asText()).as(job).isEqualTo(job.equals("in-instance-image")
                    ? WS + "/environments/instance-image/versions/1" : curated);
            assertThat(ran.at("/properties/computeId").asText()).isEqualTo(computeId);
        });
        var listed = Https.json(https.send("GET", WS + "/jobs?api-version=2023-04-01", admin, null)).get("value")
                .findValuesAsText("name");
        assertThat(listed).containsAll(forms.keySet());
        var canceled = https.send("POST", WS + "/jobs/by-name/cancel?api-version=2023-04-01", admin, null);
        assertThat(canceled.statusCode()).isEqualTo(202);
        assertThat(Https.json(canceled).at("/properties/status").asText()).as("ended already").isEqualTo("Completed");
        var result = https.send("GET", canceled.headers().firstValue("Location").orElseThrow(), admin, null);
        assertThat(result.statusCode()).as("the SDKs' poll of beginCancel").isEqualTo(200);
    }

    /**
     * What the host backend cannot run, and what names nothing, is refused at submission with the reason and nothing
     * recorded: another image, Azure's curated environments (the message names Hangar's), a version that does not
     * exist, and a reference in no form Hangar takes (the message names them).
     */
    @Test
    void environmentsTheHostBackendCannotRunAreRefusedAndNothingIsRecorded() {
        https.createInstance(WS + "/computes/env-ci", admin, QuotasIT.create("Standard_DS1_v2"));
        assertThat(https.send("PUT", WS + "/environments/other-image/versions/7", admin,
                "{\"properties\":{\"image\":\"localhost/python:3.11\"}}").statusCode()).isEqualTo(201);
        var computeId = WS + "/computes/env-ci";
        var cases = new java.util.LinkedHashMap<String, String>();
        cases.put("azureml:other-image:7", "ImagesUnsupported");
        cases.put("azureml:AzureML-sklearn-1.0-ubuntu20.04-py38-cpu@latest", "AzureCuratedEnvironmentUnsupported");
        cases.put("azureml:AzureML-Minimal:1", "AzureCuratedEnvironmentUnsupported");
        cases.put("azureml://registries/azureml/environments/sklearn-1.5/versions/1",
                "AzureCuratedEnvironmentUnsupported");
        cases.put(WS + "/environments/AzureML-ACPT-pytorch-2.2-cuda12.1/versions/3",
                "AzureCuratedEnvironmentUnsupported");
        cases.put("azureml:other-image:99", "EnvironmentNotFound");
        cases.put("azureml:nope@latest", "EnvironmentNotFound");
        cases.put("azureml:hangar-instance:2", "EnvironmentNotFound");
        cases.put("python:3.11", "InvalidEnvironmentId");
        cases.put("azureml:", "InvalidEnvironmentId");
        cases.put("azureml:other-image@prod", "InvalidEnvironmentId");
        cases.put(WS + "/environments/other-image", "InvalidEnvironmentId");
        cases.forEach((environmentId, expected) -> {
            var refused = https.send("PUT", WS + "/jobs/in-image?api-version=2023-04-01", admin,
                    sdkJob("in-image", computeId, environmentId, "python3 -V"));
            assertThat(refused.statusCode()).as(environmentId + ": " + refused.body()).isEqualTo(400);
            assertThat(code(refused)).as(environmentId).isEqualTo(expected);
            var message = Https.json(refused).at("/error/message").asText();
            switch (expected) {
                case "AzureCuratedEnvironmentUnsupported", "ImagesUnsupported", "EnvironmentNotFound" ->
                        assertThat(message).as(environmentId).contains("azureml:hangar-instance@latest");
                case "InvalidEnvironmentId" -> assertThat(message).as(environmentId)
                        .contains("azureml:<name>:<version>", "azureml:<name>@latest", "ARM id");
                default -> { }
            }
        });
        assertThat(https.send("GET", WS + "/jobs/in-image", admin, null).statusCode()).isEqualTo(404);
        assertThat(https.send("GET", WS + "/jobs?api-version=2023-04-01", admin, null).body())
                .doesNotContain("in-image");
    }

    /**
     * A job is deleted as Azure's SDKs delete it (jobs.beginDelete): 202 with the operation's URLs, polled to
     * Succeeded and 204; the job, its log and its history are gone. A running job is refused until it is canceled;
     * a job that is not there is 204.
     */
    @Test
    void aJobIsDeletedAsAzuresLongRunningOperation() {
        https.createInstance(WS + "/computes/del-ci", admin, QuotasIT.create("Standard_DS1_v2"));
        var computeId = WS + "/computes/del-ci";
        assertThat(https.send("PUT", WS + "/jobs/short", admin, sdkJob("short", computeId,
                "azureml:hangar-instance@latest", "echo done")).statusCode()).isEqualTo(201);
        assertThat(ended(https, admin, WS + "/jobs/short").at("/properties/status").asText()).isEqualTo("Completed");

        var deleted = https.send("DELETE", WS + "/jobs/short?api-version=2023-04-01", admin, null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(202);
        var status = https.waitForOperation(deleted.headers().firstValue("Azure-AsyncOperation").orElseThrow(),
                admin);
        assertThat(status.get("status").asText()).isEqualTo("Succeeded");
        var location = deleted.headers().firstValue("Location").orElseThrow();
        assertThat(location).contains("api-version=2023-04-01");
        assertThat(https.send("GET", location, admin, null).statusCode()).isEqualTo(204);
        assertThat(https.send("GET", WS + "/jobs/short", admin, null).statusCode()).isEqualTo(404);
        assertThat(https.send("GET", WS + "/jobs/short/logs", admin, null).statusCode()).isEqualTo(404);
        assertThat(https.send("GET", WS + "/jobs/short/history", admin, null).statusCode()).isEqualTo(404);
        assertThat(https.send("DELETE", WS + "/jobs/short", admin, null).statusCode()).as("gone").isEqualTo(204);

        assertThat(https.send("PUT", WS + "/jobs/long", admin, sdkJob("long", computeId, "hangar-instance",
                "sleep 120")).statusCode()).isEqualTo(201);
        await().atMost(Duration.ofMinutes(1)).until(() -> Https.json(https.send("GET", WS + "/jobs/long", admin,
                null)).at("/properties/status").asText().equals("Running"));
        var running = https.send("DELETE", WS + "/jobs/long", admin, null);
        assertThat(running.statusCode()).as(running.body()).isEqualTo(409);
        assertThat(code(running)).isEqualTo("JobNotEnded");
        var cancel = https.send("POST", WS + "/jobs/long/cancel", admin, null);
        assertThat(cancel.statusCode()).isEqualTo(202);
        var cancellation = cancel.headers().firstValue("Location").orElseThrow();
        await().atMost(Duration.ofMinutes(1)).until(() -> https.send("GET", cancellation, admin, null).statusCode()
                == 200);
        assertThat(Https.json(https.send("GET", cancellation, admin, null)).at("/properties/status").asText())
                .isEqualTo("Canceled");
        assertThat(https.send("DELETE", WS + "/jobs/long", admin, null).statusCode()).isEqualTo(202);
        assertThat(https.send("GET", WS + "/jobs/long", admin, null).statusCode()).isEqualTo(404);
    }
}
