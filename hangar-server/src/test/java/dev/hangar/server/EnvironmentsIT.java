package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.testkit.server.ServerProcess;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Environment versions in Azure's wire format on a server of the host backend: recorded, read, listed newest first,
 * immutable; the refusals of what Hangar does not do (build an image); and a job naming an environment, which the host
 * backend refuses (it runs jobs in the instance's own environment) with nothing recorded. Jobs in their image run on
 * the container backend ({@code ContainerInstancesIT}).
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
        Https.deleteAndStop(server, https, data, WS + "/computes/env-ci", admin);
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
    void aJobInAnImageIsRefusedOnTheHostBackend() {
        https.createInstance(WS + "/computes/env-ci", admin, QuotasIT.create("Standard_DS1_v2"));
        put("7", "{\"properties\":{\"image\":\"localhost/python:3.11\"}}");
        var job = """
                {"properties":{"jobType":"Command","command":"python3 -V","computeId":"env-ci","environmentId":"%s"}}""";
        var hosted = https.send("PUT", WS + "/jobs/in-image", admin, job.formatted("azureml:py:7"));
        assertThat(hosted.statusCode()).as(hosted.body()).isEqualTo(400);
        assertThat(code(hosted)).isEqualTo("ImagesUnsupported");
        var missing = https.send("PUT", WS + "/jobs/in-image", admin, job.formatted("azureml:py:99"));
        assertThat(code(missing)).isEqualTo("EnvironmentNotFound");
        var latestOfNothing = https.send("PUT", WS + "/jobs/in-image", admin, job.formatted("azureml:nope@latest"));
        assertThat(code(latestOfNothing)).isEqualTo("EnvironmentNotFound");
        var garbled = https.send("PUT", WS + "/jobs/in-image", admin, job.formatted("python:3.11"));
        assertThat(code(garbled)).isEqualTo("InvalidEnvironmentId");
        assertThat(https.send("GET", WS + "/jobs/in-image", admin, null).statusCode()).isEqualTo(404);
    }
}
