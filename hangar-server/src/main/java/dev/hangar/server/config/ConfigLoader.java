package dev.hangar.server.config;

import dev.hangar.core.custom.PrivilegedRequests;
import dev.hangar.core.job.local.LocalRunSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads {@link ServerConfig} from, in rising precedence: built-in defaults, a properties file (the {@code --config}
 * argument, else {@code HANGAR_CONFIG_FILE}, else {@code <data directory>/hangar.properties} when present), and
 * environment variables: key {@code server.port} is {@code HANGAR_SERVER_PORT} (upper case, dots and hyphens become
 * underscores). A bad value fails start-up with a message naming the key.
 */
public final class ConfigLoader {
    private final Map<String, String> environment;

    public ConfigLoader(Map<String, String> environment) {
        this.environment = environment;
    }

    /**
     * Where data lives when nothing names it: {@code $XDG_DATA_HOME/hangar}, else {@code $HOME/.local/share/hangar}
     * (the XDG base directories), else under the account's home from the password database, which the JVM's
     * {@code user.home} is: a user who runs Hangar with another HOME gets that HOME's data, as with every other tool.
     */
    static Path defaultDataDirectory(Map<String, String> environment) {
        var xdg = environment.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "hangar");
        }
        var home = environment.get("HOME");
        var base = home != null && !home.isBlank() && Path.of(home).isAbsolute() ? home
                : System.getProperty("user.home");
        return Path.of(base, ".local", "share", "hangar");
    }

    public ServerConfig load(Path explicitFile) {
        var values = new TreeMap<String, String>();
        var dataDir = Path.of(pick(values, "data.directory", defaultDataDirectory(environment).toString()));
        var file = explicitFile != null ? explicitFile
                : environment.containsKey("HANGAR_CONFIG_FILE") ? Path.of(environment.get("HANGAR_CONFIG_FILE"))
                : dataDir.resolve("hangar.properties");
        if (explicitFile != null || Files.exists(file)) {
            values.putAll(readFile(file));
            dataDir = Path.of(pick(values, "data.directory", dataDir.toString()));
        }
        var host = pick(values, "server.host", ServerConfig.DEFAULT_HOST);
        var tls = bool(values, "server.tls", true);
        if (!tls && !isLoopback(host)) {
            throw new IllegalArgumentException("server.tls=false is only allowed on a loopback host (127.0.0.1,"
                    + " ::1, localhost); server.host is '" + host + "'");
        }
        var http = new ServerConfig.Http(host, integer(values, "server.port", ServerConfig.DEFAULT_PORT), tls,
                path(values, "server.tls.certificate"), path(values, "server.tls.private-key"),
                pick(values, "server.public-url", null));
        var database = new ServerConfig.Database(pick(values, "database.url", null),
                pick(values, "database.username", null), pick(values, "database.password", null),
                integer(values, "database.pool-size", 16));
        var workspace = new ServerConfig.DefaultWorkspace(
                pick(values, "workspace.subscription-id", "00000000-0000-0000-0000-000000000000"),
                pick(values, "workspace.resource-group", "hangar"),
                pick(values, "workspace.name", "default"),
                pick(values, "workspace.location", "local"));
        var reconcile = new ServerConfig.Reconcile(duration(values, "reconcile.resync-interval", "PT30S"),
                duration(values, "reconcile.backend-call-timeout", "PT5M"),
                duration(values, "reconcile.give-up-after", "PT5M"),
                duration(values, "reconcile.cluster-scale-interval", "PT1S"),
                duration(values, "reconcile.engine-poll-interval", "PT1S"),
                duration(values, "reconcile.schedule-interval", "PT15S"));
        var ssh = new ServerConfig.Ssh(bool(values, "ssh.enabled", true),
                integer(values, "ssh.port", ServerConfig.Ssh.DEFAULT_PORT));
        var previous = pick(values, "secrets.previous-key-files", "");
        var secrets = new ServerConfig.Secrets(path(values, "secrets.key-file"),
                java.util.Arrays.stream(previous.split(",")).map(String::strip).filter(name -> !name.isEmpty())
                        .map(Path::of).toList());
        return new ServerConfig(dataDir, http, database, workspace, pick(values, "admin.name", "admin"),
                pick(values, "tenant-id", "00000000-0000-0000-0000-000000000000"),
                pick(values, "backend.default", "local"), backendSettings(values), reconcile, ssh, secrets,
                oidc(values), new ServerConfig.Idle(duration(values, "idle.minimum", "PT15M"),
                        duration(values, "idle.check-interval", "PT1M")),
                new ServerConfig.Timeouts(
                        duration(values, "server.idle-timeout", ServerConfig.Timeouts.DEFAULT_IDLE.toString()),
                        duration(values, "server.request-timeout", ServerConfig.Timeouts.DEFAULT_REQUEST.toString())),
                PrivilegedRequests.parse(pick(values, "custom-services.privileged", "refuse")),
                new LocalRunSettings(duration(values, "jobs.local-report-timeout",
                        LocalRunSettings.DEFAULT_REPORT_TIMEOUT.toString()),
                        duration(values, "jobs.local-check-interval",
                                LocalRunSettings.DEFAULT_CHECK_INTERVAL.toString())),
                path(values, "metrics.token-file"));
    }

    private ServerConfig.Oidc oidc(Map<String, String> values) {
        var issuer = pick(values, "oidc.issuer", null);
        if (issuer == null || issuer.isBlank()) {
            return null;
        }
        java.net.URI uri;
        try {
            uri = java.net.URI.create(issuer.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("oidc.issuer must be a URL, not '" + issuer + "'");
        }
        var loopback = uri.getHost() != null && isLoopback(uri.getHost());
        if (!"https".equalsIgnoreCase(uri.getScheme()) && !("http".equalsIgnoreCase(uri.getScheme()) && loopback)) {
            throw new IllegalArgumentException("oidc.issuer must be an https URL (http only on a loopback host), not '"
                    + issuer + "'");
        }
        var clientId = pick(values, "oidc.client-id", null);
        var audience = pick(values, "oidc.audience", clientId);
        if (audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("oidc.audience (or oidc.client-id) is required with oidc.issuer: tokens"
                    + " meant for other applications must not sign in here");
        }
        return new ServerConfig.Oidc(issuer.strip(), audience.strip(), clientId, path(values, "oidc.client-secret-file"),
                pick(values, "oidc.username-claim", "preferred_username"));
    }

    /** The value of {@code key}: environment over file over {@code fallback}. */
    private String pick(Map<String, String> file, String key, String fallback) {
        var fromEnv = environment.get(envName(key));
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        return file.getOrDefault(key, fallback);
    }

    static String envName(String key) {
        return "HANGAR_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** {@code backend.<name>.<setting>} keys, from the file and from {@code HANGAR_BACKEND_<NAME>_<SETTING>}. */
    private Map<String, Map<String, String>> backendSettings(Map<String, String> file) {
        var result = new HashMap<String, Map<String, String>>();
        file.forEach((key, value) -> {
            var parts = key.split("\\.", 3);
            if (parts.length == 3 && parts[0].equals("backend")) {
                result.computeIfAbsent(parts[1], name -> new HashMap<>()).put(parts[2], value);
            }
        });
        environment.forEach((key, value) -> {
            if (key.startsWith("HANGAR_BACKEND_") && !key.equals("HANGAR_BACKEND_DEFAULT")) {
                var rest = key.substring("HANGAR_BACKEND_".length()).toLowerCase(Locale.ROOT);
                var cut = rest.indexOf('_');
                if (cut > 0) {
                    result.computeIfAbsent(rest.substring(0, cut), name -> new HashMap<>())
                            .put(rest.substring(cut + 1).replace('_', '-'), value);
                }
            }
        });
        return result;
    }

    private static Map<String, String> readFile(Path file) {
        var properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the configuration file " + file + ": " + e.getMessage(), e);
        }
        var map = new HashMap<String, String>();
        properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name).strip()));
        return map;
    }

    private int integer(Map<String, String> file, String key, int fallback) {
        var raw = pick(file, key, Integer.toString(fallback));
        try {
            return Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, not '" + raw + "'");
        }
    }

    private boolean bool(Map<String, String> file, String key, boolean fallback) {
        var raw = pick(file, key, Boolean.toString(fallback)).toLowerCase(Locale.ROOT);
        return switch (raw) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, not '" + raw + "'");
        };
    }

    private Duration duration(Map<String, String> file, String key, String fallback) {
        var raw = pick(file, key, fallback);
        try {
            return Duration.parse(raw);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + " must be an ISO-8601 duration such as PT30S, not '" + raw + "'");
        }
    }

    private Path path(Map<String, String> file, String key) {
        var raw = pick(file, key, null);
        return raw == null ? null : Path.of(raw);
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }
}
