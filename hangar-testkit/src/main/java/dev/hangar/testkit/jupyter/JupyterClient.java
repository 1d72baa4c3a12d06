package dev.hangar.testkit.jupyter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * A small client for a Jupyter server's REST API and kernel channels, for tests: straight at the server with its
 * token, or through Hangar's gateway with the gateway's credentials and TLS. Not thread-safe; close it when done.
 *
 * <pre>{@code
 * try (var jupyter = JupyterClient.builder(URI.create("http://127.0.0.1:8888/base/"))
 *         .header("Authorization", "token " + token).build()) {
 *     assertThat(jupyter.execute("1+1").result()).isEqualTo("2");
 * }
 * }</pre>
 */
public final class JupyterClient implements AutoCloseable {
    private final URI base;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final HttpClient http;

    private JupyterClient(Builder builder) {
        this.base = builder.base;
        this.headers = Map.copyOf(builder.headers);
        this.timeout = builder.timeout;
        var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).proxy(HttpClient.Builder.NO_PROXY);
        if (builder.sslContext != null) {
            http.sslContext(builder.sslContext);
        }
        this.http = http.build();
    }

    /** {@code base} is where Jupyter's base URL is served, ending in {@code /}, e.g. {@code .../apps/jupyter/}. */
    public static Builder builder(URI base) {
        return new Builder(base);
    }

    /** GETs {@code path}, relative to the base (e.g. {@code api}); any status. */
    public HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    /** POSTs no body to {@code path}, relative to the base (e.g. {@code api/kernels/<id>/interrupt}); any status. */
    public HttpResponse<String> post(String path) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** Starts a kernel of the default kernel spec and returns its id. */
    public String startKernel() {
        return startKernel(null);
    }

    /** Starts a kernel of the named kernel spec (the default when null) and returns its id. */
    public String startKernel(String kernelName) {
        var body = kernelName == null ? "{}" : "{\"name\":\"" + kernelName + "\"}";
        var response = send(request("api/kernels").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        expect(response, 201);
        return (String) ((Map<?, ?>) Json.parse(response.body())).get("id");
    }

    public void shutdownKernel(String kernelId) {
        expect(send(request("api/kernels/" + kernelId).DELETE()), 204);
    }

    /** Opens the kernel's channels WebSocket ({@code ws:} or {@code wss:} after the base's scheme). */
    public KernelSession connect(String kernelId) {
        var scheme = base.getScheme().equals("https") ? "wss" : "ws";
        var channels = URI.create(scheme + base.toString().substring(base.getScheme().length())
                + "api/kernels/" + kernelId + "/channels");
        return KernelSession.open(http, channels, headers, timeout);
    }

    /** Runs {@code code} in a fresh kernel, which it shuts down afterwards. */
    public Execution execute(String code) {
        var kernel = startKernel();
        try (var session = connect(kernel)) {
            return session.execute(code);
        } finally {
            shutdownKernel(kernel);
        }
    }

    @Override
    public void close() {
        http.close();
    }

    private HttpRequest.Builder request(String path) {
        var request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
        headers.forEach(request::header);
        return request;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.uri() + " answered "
                    + response.statusCode() + " (expected " + status + "): " + response.body());
        }
    }

    /** Safe defaults: no extra headers, the JVM's default TLS trust, 60 s per request. */
    public static final class Builder {
        private final URI base;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private SSLContext sslContext;
        private Duration timeout = Duration.ofSeconds(60);

        private Builder(URI base) {
            Objects.requireNonNull(base, "base");
            if (!base.getPath().endsWith("/")) {
                throw new IllegalArgumentException("The base URI must end with '/': " + base);
            }
            this.base = base;
        }

        /** A header sent with every request and the WebSocket handshake, e.g. Authorization or Cookie. */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Builder headers(Map<String, String> more) {
            headers.putAll(more);
            return this;
        }

        /** The TLS context for an {@code https} base, e.g. one trusting Hangar's self-signed certificate. */
        public Builder sslContext(SSLContext context) {
            this.sslContext = context;
            return this;
        }

        public Builder timeout(Duration value) {
            this.timeout = value;
            return this;
        }

        public JupyterClient build() {
            return new JupyterClient(this);
        }
    }
}
