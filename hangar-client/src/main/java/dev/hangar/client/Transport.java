package dev.hangar.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.api.ErrorResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLException;

/** One authenticated JSON exchange with the server; maps every failure to a {@link HangarException}. */
final class Transport implements AutoCloseable {
    static final String API_VERSION_PARAMETER = "api-version";
    private static final String USER_AGENT = "hangar-client/" + version();

    private final URI server;
    private final String token;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final ObjectMapper json = HangarJson.newMapper();
    private final ObjectMapper requestJson = HangarJson.newRequestMapper();

    Transport(URI server, String token, HttpClient http, Duration requestTimeout) {
        this.server = server;
        this.token = token;
        this.http = http;
        this.requestTimeout = requestTimeout;
    }

    URI server() {
        return server;
    }

    /** {@code path} (already encoded) under the server, with {@code api-version} and then {@code extraQuery}. */
    URI uri(String path, String extraQuery) {
        var base = server.toString().replaceAll("/+$", "");
        var query = API_VERSION_PARAMETER + "=" + HangarClient.API_VERSION + (extraQuery == null ? "" : "&" + extraQuery);
        return URI.create(base + path + "?" + query);
    }

    /** A URL the server handed out (nextLink, Azure-AsyncOperation): resolved against the server, api-version added. */
    URI followed(String link) {
        var uri = server.resolve(link);
        var query = uri.getRawQuery();
        if (query != null && (query.startsWith(API_VERSION_PARAMETER + "=") || query.contains("&" + API_VERSION_PARAMETER + "="))) {
            return uri;
        }
        var parameter = API_VERSION_PARAMETER + "=" + HangarClient.API_VERSION;
        var text = uri.toString();
        int fragment = text.indexOf('#');
        var head = fragment < 0 ? text : text.substring(0, fragment);
        return URI.create(head + (query == null ? "?" : "&") + parameter);
    }

    Reply send(String method, URI uri, Object body) {
        return send(method, uri, body, Map.of());
    }

    /** {@link #send(String, URI, Object)} with more request headers. */
    Reply send(String method, URI uri, Object body, Map<String, String> headers) {
        var request = request(uri, requestTimeout);
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(write(body), StandardCharsets.UTF_8));
        }
        return exchange(method, uri, request, requestTimeout);
    }

    /** Sends bytes of {@code contentType} as the body. */
    Reply sendBytes(String method, URI uri, byte[] body, String contentType) {
        var request = request(uri, requestTimeout).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        return exchange(method, uri, request, requestTimeout);
    }

    /** Sends a file as the body, of {@code contentType}; a large file may take longer than one request's timeout. */
    Reply sendFile(String method, URI uri, Path file, String contentType, Duration timeout) {
        var request = request(uri, timeout).header("Content-Type", contentType);
        try {
            request.method(method, HttpRequest.BodyPublishers.ofFile(file));
        } catch (java.io.FileNotFoundException e) {
            throw new java.io.UncheckedIOException("Cannot read " + file, e);
        }
        return exchange(method, uri, request, timeout);
    }

    /** GETs a body of bytes into {@code target}, written whole or not at all. */
    void download(URI uri, Path target, Duration timeout) {
        var response = call(request(uri, timeout).GET(), HttpResponse.BodyHandlers.ofInputStream(), "GET", uri,
                timeout);
        try (var body = response.body()) {
            if (response.statusCode() >= 400) {
                var text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                var reply = new Reply("GET", uri, response.statusCode(), response.headers(), text);
                throw HangarException.http(reply.status(), errorOf(reply), "GET", uri);
            }
            var partial = target.resolveSibling(target.getFileName() + ".partial");
            Files.copy(body, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw unreachable("GET", uri, e);
        }
    }

    /** GETs a body of bytes, whole, into memory. */
    byte[] fetch(URI uri, Duration timeout) {
        var response = call(request(uri, timeout).GET(), HttpResponse.BodyHandlers.ofByteArray(), "GET", uri, timeout);
        if (response.statusCode() >= 400) {
            var reply = new Reply("GET", uri, response.statusCode(), response.headers(),
                    new String(response.body(), StandardCharsets.UTF_8));
            throw HangarException.http(reply.status(), errorOf(reply), "GET", uri);
        }
        return response.body();
    }

    private HttpRequest.Builder request(URI uri, Duration timeout) {
        return HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT)
                .header("x-ms-client-request-id", UUID.randomUUID().toString());
    }

    private Reply exchange(String method, URI uri, HttpRequest.Builder request, Duration timeout) {
        var response = call(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8), method, uri, timeout);
        var reply = new Reply(method, uri, response.statusCode(), response.headers(), response.body());
        if (reply.status() >= 400) {
            throw HangarException.http(reply.status(), errorOf(reply), method, uri);
        }
        return reply;
    }

    /** Sends the request; every way of getting no answer is a {@link HangarException}. */
    private <T> HttpResponse<T> call(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body, String method,
                                     URI uri, Duration timeout) {
        try {
            return http.send(request.build(), body);
        } catch (HttpTimeoutException e) {
            throw HangarException.of(HangarException.Kind.CONNECTION, "RequestTimedOut",
                    "no answer from " + origin(uri) + " within " + timeout.toMillis() + " ms", method, uri, e);
        } catch (IOException e) {
            throw unreachable(method, uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw HangarException.of(HangarException.Kind.INTERRUPTED, "Interrupted", "interrupted while waiting for "
                    + origin(uri), method, uri, e);
        }
    }

    <T> T read(Reply reply, Class<T> type) {
        return read(reply, json.getTypeFactory().constructType(type));
    }

    <T> T read(Reply reply, TypeReference<T> type) {
        return read(reply, json.getTypeFactory().constructType(type));
    }

    private <T> T read(Reply reply, com.fasterxml.jackson.databind.JavaType type) {
        try {
            return json.readValue(reply.body(), type);
        } catch (JsonProcessingException e) {
            throw new HangarException(HangarException.Kind.HTTP, reply.status(), HangarException.detail(
                    "InvalidResponse", "the server's answer is not a valid " + type.getRawClass().getSimpleName()
                            + ": " + e.getOriginalMessage()), reply.method(), reply.uri(), e);
        }
    }

    private String write(Object body) {
        try {
            return requestJson.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request body", e);
        }
    }

    private ErrorResponse.ErrorDetail errorOf(Reply reply) {
        try {
            var parsed = json.readValue(reply.body(), ErrorResponse.class);
            if (parsed != null && parsed.error() != null && parsed.error().code() != null) {
                return parsed.error();
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // not an ARM error body: described below from the status alone
        }
        var text = reply.body() == null ? "" : reply.body().strip();
        var message = text.isEmpty() ? "HTTP " + reply.status() : "HTTP " + reply.status() + ": "
                + (text.length() > 200 ? text.substring(0, 200) + "..." : text);
        return HangarException.detail("Http" + reply.status(), message);
    }

    private static HangarException unreachable(String method, URI uri, IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException tls) {
                return HangarException.of(HangarException.Kind.CONNECTION, "TlsHandshakeFailed",
                        "TLS with " + origin(uri) + " failed: " + innermostMessage(tls), method, uri, e);
            }
        }
        return HangarException.of(HangarException.Kind.CONNECTION, "ConnectionFailed",
                "cannot reach " + origin(uri) + ": " + reason(e), method, uri, e);
    }

    private static String reason(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.ConnectException && cause.getMessage() == null) {
                return "connection refused";
            }
            if (cause instanceof java.net.UnknownHostException) {
                return "unknown host " + cause.getMessage();
            }
        }
        return innermostMessage(e);
    }

    private static String innermostMessage(Throwable e) {
        String message = null;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                message = cause.getMessage();
            } else if (message == null) {
                message = cause.getClass().getSimpleName();
            }
        }
        return message;
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static String version() {
        var version = Transport.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    @Override
    public void close() {
        http.close();
    }

    /** How long one exchange may take before it fails with {@code RequestTimedOut}. */
    Duration requestTimeout() {
        return requestTimeout;
    }

    /** A successful answer. */
    record Reply(String method, URI uri, int status, HttpHeaders headers, String body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }
}
