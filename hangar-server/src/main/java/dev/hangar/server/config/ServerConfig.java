package dev.hangar.server.config;

import dev.hangar.core.custom.PrivilegedRequests;
import dev.hangar.core.job.local.LocalRunSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the server is configured with, typed and validated. Built by {@link ConfigLoader} from defaults, an
 * optional properties file and {@code HANGAR_*} environment variables; every key is listed in docs/configuration.md.
 */
public record ServerConfig(
        Path dataDirectory,
        Http http,
        Database database,
        DefaultWorkspace workspace,
        String adminName,
        String tenantId,
        String defaultBackend,
        Map<String, Map<String, String>> backendSettings,
        Reconcile reconcile,
        Ssh ssh,
        Secrets secrets,
        Oidc oidc,
        Idle idle,
        Timeouts timeouts,
        PrivilegedRequests privilegedCustomServices,
        LocalRunSettings localRuns,
        Path metricsTokenFile) {

    public static final int DEFAULT_PORT = 8443;
    public static final String DEFAULT_HOST = "127.0.0.1";

    /**
     * @param tls serve HTTPS (the default); plain HTTP is only allowed on a loopback host
     * @param certificate a PEM certificate chain to serve, or null to use (and on first start generate) a
     *                    self-signed one in the data directory
     */
    public record Http(String host, int port, boolean tls, Path certificate, Path privateKey, String publicUrl) {
    }

    /** @param url a JDBC URL; null means the embedded H2 database in the data directory */
    public record Database(String url, String username, String password, int maximumPoolSize) {
    }

    /** The workspace created on first start. */
    public record DefaultWorkspace(String subscriptionId, String resourceGroup, String name, String location) {
    }

    /**
     * How often the reconciler looks at every compute, and how long a backend call may take.
     *
     * @param clusterScaleInterval how often every cluster's nodes are scaled (it also scales at once on a change)
     * @param enginePollInterval how often the engines of attached computes (Slurm) are asked about their jobs
     * @param scheduleInterval how often instances' start/stop schedules are looked at
     */
    public record Reconcile(Duration resyncInterval, Duration backendCallTimeout, Duration giveUpAfter,
                            Duration clusterScaleInterval, Duration enginePollInterval, Duration scheduleInterval) {
    }

    /**
     * How long the HTTPS server waits on a client, so that a slow or silent one cannot hold a connection forever.
     *
     * @param idle    a connection on which nothing is sent either way for this long is closed (a long poll waits at
     *                most 30 s; Jupyter pings its WebSockets every 30 s, Hangar its terminal's)
     * @param request how long a request may take to arrive: a new connection's first request line and headers, and
     *                the body of a call that takes a JSON or form body (streamed uploads and app traffic are bounded
     *                by {@code idle} alone); then 408
     */
    public record Timeouts(Duration idle, Duration request) {
        public static final Duration DEFAULT_IDLE = Duration.ofMinutes(5);
        public static final Duration DEFAULT_REQUEST = Duration.ofMinutes(1);

        public Timeouts {
            if (idle.isNegative() || idle.isZero() || request.isNegative() || request.isZero()) {
                throw new IllegalArgumentException("server.idle-timeout and server.request-timeout must be positive,"
                        + " not " + idle + " and " + request);
            }
        }
    }

    /**
     * Idle shutdown of compute instances.
     *
     * @param minimum the shortest {@code idleTimeBeforeShutdown} taken (15 minutes, as Azure ML; tests lower it)
     * @param checkInterval how often every instance with idle shutdown on is looked at
     */
    public record Idle(Duration minimum, Duration checkInterval) {
    }

    /**
     * The key that seals the secrets the database holds.
     *
     * @param keyFile the operator's key file (never made by Hangar), or null for {@code <data>/secrets/store.key},
     *                made on first start
     * @param previousKeyFiles keys being replaced: what they sealed still opens, and is sealed again with the key
     *                         at start
     */
    public record Secrets(Path keyFile, java.util.List<Path> previousKeyFiles) {
        public Secrets {
            previousKeyFiles = java.util.List.copyOf(previousKeyFiles);
        }
    }

    /**
     * Sign-in with an OpenID Connect provider; null when none is configured.
     *
     * @param issuer the provider's issuer URL, as its tokens' {@code iss} says it; its discovery document is at
     *               {@code <issuer>/.well-known/openid-configuration}
     * @param audience what bearer tokens' {@code aud} must hold (by default the client id)
     * @param clientId the browser sign-in's client id at the provider; null: no browser sign-in
     * @param clientSecretFile a file holding the client secret; null for a public client (PKCE alone)
     * @param usernameClaim the claim that names the Hangar user ({@code preferred_username} by default)
     */
    public record Oidc(String issuer, String audience, String clientId, Path clientSecretFile, String usernameClaim) {
    }

    /**
     * The SSH gateway, listening on {@link Http#host()}.
     *
     * @param port the port to listen on; 0 picks a free one
     */
    public record Ssh(boolean enabled, int port) {
        public static final int DEFAULT_PORT = 2222;

        public Ssh {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("ssh.port must be within 0-65535, not " + port);
            }
        }
    }
}
