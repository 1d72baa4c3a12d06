package dev.hangar.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Configures a {@link HangarClient}. Only {@link #server} and {@link #token} are required; everything else has a safe
 * default: the JDK's trusted CAs with host-name verification, {@link #DEFAULT_REQUEST_TIMEOUT} per request, no redirects
 * (a bearer token is never forwarded to another host by a redirect).
 *
 * <p>A builder is not thread-safe; the client it builds is.
 */
public final class HangarClientBuilder {
    /** How long one HTTP exchange may take, unless {@link #requestTimeout} says otherwise. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** How long opening a connection may take (at most the request timeout). */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private URI server;
    private String token;
    private Path caCertificate;
    private boolean insecure;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;

    HangarClientBuilder() {
    }

    /** The server's base URL, e.g. {@code https://127.0.0.1:8443}. Only {@code https} is accepted. */
    public HangarClientBuilder server(URI server) {
        this.server = Objects.requireNonNull(server, "server");
        return this;
    }

    /** The API token, sent as {@code Authorization: Bearer <token>}. */
    public HangarClientBuilder token(String token) {
        this.token = Objects.requireNonNull(token, "token");
        return this;
    }

    /**
     * Trusts exactly the certificates in this PEM file (the server's self-signed certificate, or the CA that signed it)
     * instead of the JDK's CAs. The host name must still match the certificate.
     */
    public HangarClientBuilder caCertificate(Path pemFile) {
        this.caCertificate = Objects.requireNonNull(pemFile, "pemFile");
        return this;
    }

    /**
     * Trusts any server certificate for any host name. Anyone on the path can then read the token: use it only to try
     * things out. Cannot be combined with {@link #caCertificate}.
     */
    public HangarClientBuilder insecure() {
        this.insecure = true;
        return this;
    }

    /** How long one HTTP exchange may take before it fails with {@code RequestTimedOut}. */
    public HangarClientBuilder requestTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the request timeout must be positive, not " + timeout);
        }
        this.requestTimeout = timeout;
        return this;
    }

    /**
     * Builds the client.
     *
     * @throws IllegalStateException when the server or token is missing, the server is not {@code https}, or both
     *                               {@code caCertificate} and {@code insecure} were chosen
     * @throws IllegalArgumentException when the CA certificate file cannot be read
     */
    public HangarClient build() {
        if (server == null || token == null || token.isBlank()) {
            throw new IllegalStateException("a server and a token are required");
        }
        if (!"https".equalsIgnoreCase(server.getScheme()) || server.getHost() == null) {
            throw new IllegalStateException("the server must be an https:// URL (a bearer token is never sent in clear): "
                    + server);
        }
        if (insecure && caCertificate != null) {
            throw new IllegalStateException("choose either a CA certificate or insecure, not both");
        }
        var http = HttpClient.newBuilder()
                .sslContext(sslContext())
                .connectTimeout(requestTimeout.compareTo(CONNECT_TIMEOUT) < 0 ? requestTimeout : CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        return new HangarClient(new Transport(server, token, http, requestTimeout));
    }

    private SSLContext sslContext() {
        if (insecure) {
            return TlsContexts.trustingAnything();
        }
        return caCertificate == null ? TlsContexts.systemDefault() : TlsContexts.trusting(caCertificate);
    }
}
