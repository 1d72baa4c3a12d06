package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hangar.testkit.jupyter.JupyterClient;
import dev.hangar.testkit.server.LocalInstances;
import dev.hangar.testkit.server.ServerProcess;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance's whole life against a real server process and a real Jupyter, reached only through Hangar's HTTPS
 * gateway: create, use Jupyter, stop (no process left), start (files kept), restart, delete (nothing left, the name
 * free again).
 */
class InstanceLifecycleIT {
    static final String WS = WireFormatIT.WS;
    static final String CREATE = WireFormatIT.CREATE;

    @TempDir
    Path data;
    ServerProcess server;
    Https https;
    String token;

    @BeforeEach
    void start() {
        server = new ServerProcess(data, Map.of()).start();
        https = new Https(server.url(), server.certificate());
        token = server.adminToken();
    }

    @AfterEach
    void stop() {
        server.close();
        new LocalInstances(data).processes().forEach(ProcessHandle::destroyForcibly);
    }

    private void awaitOperation(java.net.http.HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        var status1 = https.waitForOperation(response.headers().firstValue("Azure-AsyncOperation").orElseThrow(),
                token);
        assertThat(status1.get("status").asText()).as(status1.toString()).isEqualTo("Succeeded");
    }

    private String state() {
        return Https.json(https.send("GET", WS + "/computes/life", token, null)).at("/properties/properties/state")
                .asText();
    }

    @Test
    void createUseStopStartRestartDelete() {
        awaitOperation(https.send("PUT", WS + "/computes/life", token, CREATE), 201);
        var compute = Https.json(https.send("GET", WS + "/computes/life", token, null));
        assertThat(compute.at("/properties/properties/state").asText()).isEqualTo("Running");
        var jupyter = compute.at("/properties/properties/applications/0");
        assertThat(jupyter.get("displayName").asText()).isEqualTo("Jupyter");
        var app = jupyter.get("endpointUri").asText();
        assertThat(app).isEqualTo(server.url() + "/workspaces/default/computes/life/apps/jupyter/");

        var version = https.send("GET", app + "api", token, null);
        assertThat(version.statusCode()).as(version.body()).isEqualTo(200);
        assertThat(Https.json(version).get("version").asText()).isNotBlank();
        try (var notebook = JupyterClient.builder(URI.create(app)).header("Authorization", "Bearer " + token)
                .sslContext(Https.trusting(server.certificate())).build()) {
            var execution = notebook.execute("1+1");
            assertThat(execution.ok()).as(execution.toString()).isTrue();
            assertThat(execution.result()).isEqualTo("2");
        }

        var written = https.send("PUT", app + "api/contents/hello.txt", token,
                "{\"type\":\"file\",\"format\":\"text\",\"content\":\"kept across stop\"}");
        assertThat(written.statusCode()).as(written.body()).isIn(200, 201);

        awaitOperation(https.send("POST", WS + "/computes/life/stop", token, null), 202);
        assertThat(state()).isEqualTo("Stopped");
        assertThat(new LocalInstances(data).processes()).as("no process of the instance is left after stop").isEmpty();
        assertThat(https.send("GET", app + "api", token, null).statusCode()).isEqualTo(409);

        awaitOperation(https.send("POST", WS + "/computes/life/start", token, null), 202);
        assertThat(state()).isEqualTo("Running");
        var read = https.send("GET", app + "api/contents/hello.txt", token, null);
        assertThat(Https.json(read).get("content").asText()).isEqualTo("kept across stop");

        awaitOperation(https.send("POST", WS + "/computes/life/restart", token, null), 202);
        assertThat(state()).isEqualTo("Running");
        assertThat(https.send("GET", app + "api", token, null).statusCode()).isEqualTo(200);

        var history = Https.json(https.send("GET", WS + "/computes/life/history", token, null)).get("value");
        assertThat(history.findValuesAsText("to")).containsSubsequence("Creating", "Running", "Stopping",
                "Stopped", "Starting", "Running", "Restarting", "Running");

        awaitOperation(https.send("DELETE", WS + "/computes/life?underlyingResourceAction=Delete", token, null), 202);
        assertThat(https.send("GET", WS + "/computes/life", token, null).statusCode()).isEqualTo(404);
        assertThat(new LocalInstances(data).processes()).isEmpty();
        assertThat(new LocalInstances(data).directories()).as("the home is removed").isEmpty();

        awaitOperation(https.send("PUT", WS + "/computes/life", token, CREATE), 201);
        awaitOperation(https.send("DELETE", WS + "/computes/life?underlyingResourceAction=Delete", token, null), 202);
        await().atMost(Duration.ofSeconds(10)).until(() -> new LocalInstances(data).processes().isEmpty());
    }
}
