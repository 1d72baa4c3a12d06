package dev.hangar.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.testkit.server.LocalInstances;
import dev.hangar.testkit.server.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** Raw HTTPS calls for wire-format tests: exactly the bytes and headers a foreign client would see. */
final class Https {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final URI base;

    Https(URI base, Path certificate) {
        this.base = base;
        this.client = HttpClient.newBuilder().sslContext(trusting(certificate)).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    static final String EVENT_STREAM = "(an event stream)";

    /**
     * Sends the request and reads its body as text, but for an event stream (a page's live updates), which never
     * ends: it is closed once its headers arrived, and its body reads {@value #EVENT_STREAM}.
     */
    static HttpResponse<String> textOrStream(HttpClient client, HttpRequest request)
            throws IOException, InterruptedException {
        var response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        String text;
        try (var in = response.body()) {
            text = response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")
                    ? EVENT_STREAM : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        return new Text(response, text);
    }

    /** A response with its body read as text. */
    private record Text(HttpResponse<java.io.InputStream> response, String body) implements HttpResponse<String> {
        @Override
        public int statusCode() {
            return response.statusCode();
        }

        @Override
        public HttpRequest request() {
            return response.request();
        }

        @Override
        public java.util.Optional<HttpResponse<String>> previousResponse() {
            return java.util.Optional.empty();
        }

        @Override
        public java.net.http.HttpHeaders headers() {
            return response.headers();
        }

        @Override
        public java.util.Optional<javax.net.ssl.SSLSession> sslSession() {
            return response.sslSession();
        }

        @Override
        public URI uri() {
            return response.uri();
        }

        @Override
        public HttpClient.Version version() {
            return response.version();
        }
    }

    static SSLContext trusting(Path certificate) {
        return ServerProcess.trusting(certificate);
    }

    /** GETs a body of bytes into {@code file}. */
    HttpResponse<Path> download(String path, String token, Path file) {
        var request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET()
                .header("Authorization", "Bearer " + token);
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofFile(file));
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends bytes of {@code contentType}, as an upload does. */
    HttpResponse<String> sendBytes(String method, String path, String token, byte[] body, String contentType) {
        var request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", contentType).header("Authorization", "Bearer " + token);
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> send(String method, String path, String token, String body, String... headers) {
        var uri = path.startsWith("http") ? URI.create(path) : base.resolve(path);
        var request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        var typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body != null && !typed) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return textOrStream(client, request.build());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Deletes the instance at {@code computePath} through the API, waits until its processes are gone, then stops the
     * server; whatever is still running of the server's instances is ended anyway.
     */
    static void deleteAndStop(ServerProcess server, Https https, Path data, String computePath, String token) {
        if (server == null) {
            return;
        }
        try {
            https.send("DELETE", computePath + "?underlyingResourceAction=Delete", token, null);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> new LocalInstances(data).processes().isEmpty());
        } finally {
            server.close();
            new LocalInstances(data).processes().forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** Makes a Contributor of the default workspace, as the admin whose token is given; returns their token. */
    String createUser(String adminToken, String name) {
        return createUser(adminToken, name, "Contributor");
    }

    /** A new user with {@code role} (null: none) in the default workspace; returns their token. */
    String createUser(String adminToken, String name, String role) {
        var created = send("POST", "/hangar/v1/users", adminToken, "{\"name\":\"" + name + "\""
                + (role == null ? "" : ",\"role\":\"" + role + "\"") + "}");
        if (created.statusCode() != 201 && created.statusCode() != 200) {
            throw new IllegalStateException("Cannot make user " + name + ": " + created.body());
        }
        return json(created).get("token").asText();
    }

    /** PUTs a compute instance ({@code body}) and waits until its create succeeded. */
    void createInstance(String computePath, String token, String body) {
        var created = send("PUT", computePath, token, body);
        if (created.statusCode() != 201) {
            throw new IllegalStateException("Cannot create " + computePath + ": " + created.body());
        }
        var status = waitForOperation(created.headers().firstValue("Azure-AsyncOperation").orElseThrow(), token);
        if (!status.path("status").asText().equals("Succeeded")) {
            throw new IllegalStateException("Creating " + computePath + " ended " + status);
        }
    }

    /** Detaches (deletes) every compute of these workspaces, as the attach tests do after each test. */
    void detachAll(String token, String... workspaces) {
        for (var workspace : workspaces) {
            for (var compute : json(send("GET", workspace + "/computes", token, null)).get("value")) {
                var detached = send("DELETE", workspace + "/computes/" + compute.get("name").asText()
                        + "?underlyingResourceAction=Detach", token, null);
                org.assertj.core.api.Assertions.assertThat(detached.statusCode()).as(detached.body())
                        .isIn(200, 202, 204);
            }
        }
    }

    /** Polls an Azure-AsyncOperation URL until the operation ends; returns its last status body. */
    JsonNode waitForOperation(String statusUrl, String token) {
        var status = new JsonNode[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    status[0] = json(send("GET", statusUrl, token, null));
                    return !status[0].get("status").asText().equals("InProgress");
                });
        return status[0];
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }
}
