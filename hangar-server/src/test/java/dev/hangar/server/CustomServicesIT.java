package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.testkit.container.InstanceImage;
import dev.hangar.testkit.container.PodmanEngine;
import dev.hangar.testkit.server.ServerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Azure's {@code customServices} on the container backend, against a real Podman: a small web app (Debian's Python
 * {@code http.server} from the instance image, with a command of its own, built here with no registry) runs beside an
 * instance created with the JSON Azure's clients send, with its variable and the workspace's file share; it is listed
 * in {@code applications}, opens through the gateway for the instance's owner and no one else, comes back after stop
 * and start, and leaves no container once deleted. Backends that cannot run it refuse it and record nothing.
 */
class CustomServicesIT {
    static final String WS = WireFormatIT.WS;
    /** The app: what its variable says, and the share it was given, served from its root on port 8080. */
    static final String SERVE = "mkdir -p /tmp/www && ln -s /srv/share /tmp/www/share"
            + " && printf '%s' \"$GREETING\" > /tmp/www/greeting.txt"
            + " && exec python3 -m http.server 8080 --bind 0.0.0.0 --directory /tmp/www";

    static PodmanEngine engine;
    static String image;

    @TempDir
    Path data;
    ServerProcess server;
    Https https;
    String token;

    @BeforeAll
    static void buildTheApp(@TempDir Path context) throws IOException {
        engine = PodmanEngine.start();
        image = "localhost/hangar-test-web:" + UUID.randomUUID().toString().substring(0, 8);
        Files.writeString(context.resolve("Containerfile"), "FROM " + InstanceImage.reference() + "\n"
                + "ENTRYPOINT []\n"
                + "CMD [\"/bin/sh\", \"-c\", " + Https.JSON.valueToTree(SERVE) + "]\n"
                + "LABEL dev.hangar.test=custom-services\n");
        engine.podman("build", "--pull=never", "-t", image, "-f", context.resolve("Containerfile").toString(),
                context.toString()).requireSuccess();
    }

    @AfterAll
    static void removeTheApp() {
        if (engine != null) {
            engine.podman("rmi", "--force", image);
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

    static String body(String image, String privileged) {
        return """
                {"location":"local","properties":{"computeType":"ComputeInstance","properties":{
                 "vmSize":"STANDARD_DS1_V2","applicationSharingPolicy":"Personal",
                 "customServices":[{"docker":{"privileged":%s},
                    "environmentVariables":{"GREETING":{"type":"local","value":"hello from the service"}},
                    "volumes":[{"type":"bind","readOnly":true,"source":"/home/azureuser/cloudfiles/code",
                                "target":"/srv/share"}],
                    "endpoints":[{"name":"page","target":8080,"published":8080,"protocol":"http"}],
                    "image":{"type":"docker","reference":"%s"},"name":"site"}],
                 "computeInstanceAuthorizationType":"personal"}}}""".formatted(privileged, image);
    }

    @Test
    void aCustomServiceRunsBesideItsInstanceAndOpensForItsOwnerOnly() {
        startServer(Map.of("HANGAR_BACKEND_DEFAULT", "docker", "HANGAR_BACKEND_DOCKER_HOST", engine.dockerHost(),
                "HANGAR_BACKEND_DOCKER_IMAGE", InstanceImage.reference()));
        var bob = https.createUser(token, "bob");
        var upload = https.sendBytes("PUT", WS + "/files/Users/admin/marker.html", token,
                "<p>custom-service-marker</p>\n".getBytes(StandardCharsets.UTF_8), "application/octet-stream");
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);

        https.createInstance(WS + "/computes/web", token, body(image, "false"));
        var compute = Https.json(https.send("GET", WS + "/computes/web", token, null));
        var service = compute.at("/properties/properties/customServices/0");
        assertThat(service.at("/name").asText()).isEqualTo("site");
        assertThat(service.at("/image/reference").asText()).isEqualTo(image);
        assertThat(service.at("/environmentVariables/GREETING/value").asText()).isEqualTo("hello from the service");
        assertThat(service.at("/endpoints/0/target").asInt()).isEqualTo(8080);
        assertThat(service.at("/endpoints/0/published").asInt()).isEqualTo(8080);
        assertThat(service.at("/volumes/0/source").asText()).isEqualTo("/home/azureuser/cloudfiles/code");
        assertThat(service.at("/docker/privileged").asBoolean(true)).isFalse();
        var app = application(compute, "site/page");
        assertThat(app).endsWith("/workspaces/default/computes/web/apps/site.page/");

        // The owner sees the service's page: its variable, and the file share through its volume.
        assertThat(awaitPage(app + "greeting.txt", token)).isEqualTo("hello from the service");
        assertThat(awaitPage(app + "share/Users/admin/marker.html", token)).contains("custom-service-marker");
        // The app's redirect to a path of its own (a folder's missing slash) comes back under the gateway path.
        var redirect = https.send("GET", app + "share", token, null);
        assertThat(redirect.statusCode()).isEqualTo(301);
        assertThat(redirect.headers().firstValue("Location"))
                .hasValue("/workspaces/default/computes/web/apps/site.page/share/");
        // A Contributor who may manage the instance may not open its apps: the same rule as Jupyter's.
        var refused = https.send("GET", app + "greeting.txt", bob, null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(Https.json(refused).at("/error/message").asText()).contains("only for its owner");
        assertThat(serviceContainers("web", true)).hasSize(1);
        // The studio links the endpoint beside Jupyter and Terminal, for those who may open it, in the list and on the
        // instance's page; a browser session opens it as the token does.
        var owners = session(token);
        var link = "href=\"/workspaces/default/computes/web/apps/site.page/\"";
        for (var page : List.of("/w/default/computes", "/w/default/computes/web")) {
            var html = https.send("GET", page, null, null, "Cookie", owners).body();
            assertThat(html).as(page).contains(link, ">site/page</a>", ">Jupyter</a>", ">Terminal</a>");
            assertThat(https.send("GET", page, null, null, "Cookie", session(bob)).body()).as(page)
                    .doesNotContain(link);
        }
        var viaCookie = https.send("GET", app + "greeting.txt", null, null, "Cookie", owners);
        assertThat(viaCookie.statusCode()).isEqualTo(200);
        assertThat(viaCookie.body()).isEqualTo("hello from the service");

        operation("POST", WS + "/computes/web/stop");
        assertThat(serviceContainers("web", false)).as("a stopped instance runs no service").isEmpty();
        operation("POST", WS + "/computes/web/start");
        assertThat(awaitPage(application(Https.json(https.send("GET", WS + "/computes/web", token, null)),
                "site/page") + "greeting.txt", token)).isEqualTo("hello from the service");

        // A refused change records nothing: the services stay as they were.
        var privileged = https.send("POST", WS + "/computes/web/customServices", token,
                "[" + Https.JSON.valueToTree(service).toString().replace("\"privileged\":false",
                        "\"privileged\":true") + "]");
        assertThat(privileged.statusCode()).isEqualTo(400);
        assertThat(Https.json(privileged).at("/error/code").asText()).isEqualTo("PrivilegedCustomServiceNotAllowed");
        var hostPath = https.send("POST", WS + "/computes/web/customServices", token,
                "[" + Https.JSON.valueToTree(service).toString().replace("/home/azureuser/cloudfiles/code", "/etc")
                        + "]");
        assertThat(Https.json(hostPath).at("/error/code").asText()).isEqualTo("CustomServiceVolumeNotAllowed");
        assertThat(Https.json(https.send("GET", WS + "/computes/web", token, null))
                .at("/properties/properties/customServices/0")).isEqualTo(service);
        // An accepted change is kept, and takes effect as the instance restarts: here, no services at all.
        var removed = https.send("POST", WS + "/computes/web/customServices", token, "[]");
        assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
        operation("POST", WS + "/computes/web/restart");
        assertThat(serviceContainers("web", false)).isEmpty();
        var restarted = Https.json(https.send("GET", WS + "/computes/web", token, null));
        assertThat(restarted.at("/properties/properties/customServices").isNull()).isTrue();
        assertThat(restarted.at("/properties/properties/applications").findValuesAsText("displayName"))
                .containsExactly("Jupyter", "Terminal");

        // An image the engine lacks fails the create with a clear error; nothing of the instance is left running.
        var missing = https.send("PUT", WS + "/computes/lacking", token, body("localhost/hangar-no-such-image:1",
                "false"));
        assertThat(missing.statusCode()).as(missing.body()).isEqualTo(201);
        var failed = https.waitForOperation(missing.headers().firstValue("Azure-AsyncOperation").orElseThrow(),
                token);
        assertThat(failed.get("status").asText()).isEqualTo("Failed");
        assertThat(failed.at("/error/code").asText()).isEqualTo("CustomServiceImageNotFound");
        assertThat(failed.at("/error/message").asText()).contains("localhost/hangar-no-such-image:1", "never pulls");

        for (var name : List.of("web", "lacking")) {
            var delete = https.send("DELETE", WS + "/computes/" + name + "?underlyingResourceAction=Delete", token,
                    null);
            var ended = https.waitForOperation(delete.headers().firstValue("Azure-AsyncOperation").orElseThrow(),
                    token);
            assertThat(ended.get("status").asText()).isEqualTo("Succeeded");
        }
        assertThat(engine.podman("ps", "-a", "--filter", "label=dev.hangar.install=" + installId(), "--format",
                "{{.Names}}").requireSuccess().lines()).as("no container left").isEmpty();
    }

    /** The host-process backend cannot run a container beside an instance: it refuses, and nothing is recorded. */
    @Test
    void theHostBackendRefusesCustomServicesAndRecordsNothing() {
        startServer(Map.of());
        var refused = https.send("PUT", WS + "/computes/hosted", token, body(image, "false"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(Https.json(refused).at("/error/code").asText()).isEqualTo("CustomServicesNotSupported");
        assertThat(Https.json(refused).at("/error/message").asText()).contains("'local' backend");
        assertThat(https.send("GET", WS + "/computes/hosted", token, null).statusCode()).isEqualTo(404);
    }

    /**
     * az ml asks for every custom application privileged. Where the operator lets such requests run unprivileged, the
     * request gets past that rule and meets the next one (here: the host backend runs no custom service).
     */
    @Test
    void azMlsPrivilegedRequestPassesWhereTheOperatorLetsItRunUnprivileged() {
        startServer(Map.of("HANGAR_CUSTOM_SERVICES_PRIVILEGED", "unprivileged"));
        var taken = https.send("PUT", WS + "/computes/hosted", token, body(image, "true"));
        assertThat(taken.statusCode()).isEqualTo(400);
        assertThat(Https.json(taken).at("/error/code").asText()).as("not PrivilegedCustomServiceNotAllowed")
                .isEqualTo("CustomServicesNotSupported");
        assertThat(https.send("GET", WS + "/computes/hosted", token, null).statusCode()).isEqualTo(404);
    }

    private void startServer(Map<String, String> settings) {
        server = new ServerProcess(data, settings).start();
        token = server.adminToken();
        https = new Https(server.url(), server.certificate());
    }

    /** A browser session of the token's user: its cookie, as a browser sends it. */
    private String session(String userToken) {
        var signIn = https.send("POST", "/signin", null, "token=" + userToken + "&next=/", "Content-Type",
                "application/x-www-form-urlencoded");
        assertThat(signIn.statusCode()).isEqualTo(303);
        return signIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    private String awaitPage(String url, String caller) {
        var got = new String[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            var page = https.send("GET", url, caller, null);
            got[0] = page.body();
            return page.statusCode() == 200;
        });
        return got[0];
    }

    private static String application(JsonNode compute, String displayName) {
        for (var app : compute.at("/properties/properties/applications")) {
            if (app.path("displayName").asText().equals(displayName)) {
                return app.path("endpointUri").asText();
            }
        }
        throw new AssertionError(compute.at("/properties/properties/applications") + " lists no " + displayName);
    }

    private List<String> serviceContainers(String compute, boolean running) {
        var arguments = new java.util.ArrayList<>(List.of("ps", "--filter", "label=dev.hangar.install=" + installId(),
                "--filter", "label=dev.hangar.compute-name=" + compute, "--filter", "label=dev.hangar.custom-service",
                "--format", "{{.Names}}"));
        if (!running) {
            arguments.add(1, "-a");
        }
        return engine.podman(arguments.toArray(String[]::new)).requireSuccess().lines();
    }

    private void operation(String method, String path) {
        var accepted = https.send(method, path, token, null);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        var status = https.waitForOperation(accepted.headers().firstValue("Azure-AsyncOperation").orElseThrow(), token);
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("Succeeded");
    }

    private String installId() {
        try {
            return Files.readString(data.resolve("install-id")).strip();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
