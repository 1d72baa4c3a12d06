package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hangar.testkit.container.InstanceImage;
import dev.hangar.testkit.container.PodmanEngine;
import dev.hangar.testkit.jupyter.JupyterClient;
import dev.hangar.testkit.server.ServerProcess;
import dev.hangar.store.StoreConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hangar on the container backend, against a real Podman serving the Docker Engine API: an instance's Jupyter
 * answers through the gateway; after kill -9 of the server the restarted one adopts the running container (the same
 * one, no second), and removes the container and volumes of an instance whose record is gone.
 */
class ContainerInstancesIT {
    static final String WS = WireFormatIT.WS;
    static final String CREATE = WireFormatIT.CREATE;

    static PodmanEngine engine;

    @TempDir
    Path data;
    ServerProcess server;
    Https https;
    String token;

    @BeforeAll
    static void startEngine() {
        engine = PodmanEngine.start();
    }

    @AfterAll
    static void stopEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        var installId = data.resolve("install-id");
        if (Files.exists(installId)) {
            engine.removeLabelled("dev.hangar.install", Files.readString(installId).strip());
        }
    }

    @Test
    void aContainerInstanceServesJupyterAndOutlivesACrashOfTheServer() throws Exception {
        server = new ServerProcess(data, Map.of("HANGAR_BACKEND_DEFAULT", "docker",
                "HANGAR_BACKEND_DOCKER_HOST", engine.dockerHost(),
                "HANGAR_BACKEND_DOCKER_IMAGE", InstanceImage.reference())).start();
        token = server.adminToken();
        https = new Https(server.url(), server.certificate());
        awaitCreated("box");
        awaitCreated("gone");
        assertThat(runCell("box", "import os; os.getuid(), os.getcwd()")).isEqualTo("(1000, '/home/azureuser')");
        var box = containerIds("box");
        assertThat(box).hasSize(1);
        assertThat(containerIds("gone")).hasSize(1);

        server.kill();
        forgetCompute("gone");
        server.start();
        https = new Https(server.url(), server.certificate());

        // The running container is adopted as it is: the same one, no second one, Jupyter still answering.
        assertThat(https.send("GET", WS + "/computes/box", token, null).statusCode()).isEqualTo(200);
        assertThat(runCell("box", "1+1")).isEqualTo("2");
        assertThat(containerIds("box")).isEqualTo(box);
        // What belonged to the forgotten record goes: its container and both its volumes.
        await().atMost(Duration.ofSeconds(60)).until(() -> containerIds("gone").isEmpty()
                && volumes("gone").isEmpty());

        var delete = https.send("DELETE", WS + "/computes/box?underlyingResourceAction=Delete", token, null);
        var ended = https.waitForOperation(delete.headers().firstValue("Azure-AsyncOperation").orElseThrow(), token);
        assertThat(ended.get("status").asText()).isEqualTo("Succeeded");
        assertThat(containerIds("box")).isEmpty();
        assertThat(volumes("box")).isEmpty();
    }

    @Test
    void anEngineThatStopsAnsweringShowsInErrorsThenFailsTheCreate() {
        try (var own = PodmanEngine.start()) {
            server = new ServerProcess(data, Map.of("HANGAR_BACKEND_DEFAULT", "docker",
                    "HANGAR_BACKEND_DOCKER_HOST", own.dockerHost(),
                    "HANGAR_BACKEND_DOCKER_IMAGE", InstanceImage.reference(),
                    "HANGAR_RECONCILE_GIVE_UP_AFTER", "PT6S")).start();
            token = server.adminToken();
            https = new Https(server.url(), server.certificate());
            // The engine goes away after Hangar started on it.
            own.close();

            var created = https.send("PUT", WS + "/computes/lost", token, CREATE);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

            // While it retries, the instance says why its create takes long.
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                var errors = Https.json(https.send("GET", WS + "/computes/lost", token, null))
                        .at("/properties/properties/errors");
                return errors.size() == 1 && errors.get(0).at("/error/code").asText().equals("EngineUnreachable")
                        && errors.get(0).at("/error/message").asText().contains("retrying since");
            });
            var status = https.waitForOperation(created.headers().firstValue("Azure-AsyncOperation").orElseThrow(),
                    token);
            assertThat(status.get("status").asText()).isEqualTo("Failed");
            assertThat(status.at("/error/code").asText()).isEqualTo("EngineUnreachable");
            assertThat(status.at("/error/message").asText()).contains(own.dockerHost(), "gave up after retrying");
            var compute = Https.json(https.send("GET", WS + "/computes/lost", token, null));
            assertThat(compute.at("/properties/properties/state").asText()).isEqualTo("CreateFailed");
        }
    }

    private void awaitCreated(String name) {
        var created = https.send("PUT", WS + "/computes/" + name, token, CREATE);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        var status = https.waitForOperation(created.headers().firstValue("Azure-AsyncOperation").orElseThrow(), token);
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("Succeeded");
    }

    private String runCell(String name, String code) {
        var app = Https.json(https.send("GET", WS + "/computes/" + name, token, null))
                .at("/properties/properties/applications/0/endpointUri").asText();
        try (var notebook = JupyterClient.builder(URI.create(app)).header("Authorization", "Bearer " + token)
                .sslContext(Https.trusting(server.certificate())).build()) {
            var execution = notebook.execute(code);
            assertThat(execution.ok()).as(execution.toString()).isTrue();
            return execution.result();
        }
    }

    private static List<String> containerIds(String name) {
        return engine.podman("ps", "-a", "--filter", "label=dev.hangar.compute-name=" + name, "--format", "{{.ID}}")
                .requireSuccess().lines();
    }

    private static List<String> volumes(String name) {
        return engine.podman("volume", "ls", "--filter", "label=dev.hangar.compute-name=" + name, "--format",
                "{{.Name}}").requireSuccess().lines();
    }

    /** Deletes the compute's record behind Hangar's back, as if it had been lost. */
    private void forgetCompute(String name) throws SQLException {
        var embedded = StoreConfig.embedded(data.resolve("db"));
        try (var connection = DriverManager.getConnection(embedded.jdbcUrl(), embedded.username(),
                embedded.password());
             var statement = connection.prepareStatement("DELETE FROM computes WHERE name = ?")) {
            statement.setString(1, name);
            assertThat(statement.executeUpdate()).isEqualTo(1);
        }
    }
}
