package dev.hangar.backend.spark;

import dev.hangar.core.spi.engine.EngineException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * How an attached Spark standalone cluster is reached, from the attachment's settings.
 *
 * @param masterUrl     {@code spark://host:port}: where drivers and executors reach the master ({@value #MASTER_PORT}
 *                      when no port is given)
 * @param restUrl       the master's REST submission server ({@code restUrl}; default {@code http://host:6066})
 * @param webUiUrl      the master's web UI, whose {@code /json/} lists its workers and drivers ({@code webUiUrl};
 *                      default {@code http://host:8080})
 * @param workDirectory a folder Hangar's host and every worker see at the same path (e.g. an NFS mount): each job's
 *                      code is unpacked in a folder of its own there, which its driver reads its jars and files from
 */
record SparkSettings(URI masterUrl, URI restUrl, URI webUiUrl, Path workDirectory) {
    static final int MASTER_PORT = 7077;
    static final int REST_PORT = 6066;
    static final int WEB_UI_PORT = 8080;

    static SparkSettings of(Map<String, String> settings) {
        var master = uri(settings, "masterUrl", null);
        if (master == null) {
            throw invalid("masterUrl is required: the master's URL, spark://host:7077.");
        }
        if (!"spark".equalsIgnoreCase(master.getScheme()) || master.getHost() == null) {
            throw invalid("masterUrl must be spark://host:port, not '" + settings.get("masterUrl") + "'.");
        }
        var host = master.getHost().toLowerCase(Locale.ROOT);
        var port = master.getPort() < 0 ? MASTER_PORT : master.getPort();
        var normalized = URI.create("spark://" + host + ":" + port);
        var rest = uri(settings, "restUrl", "http://" + host + ":" + REST_PORT);
        var ui = uri(settings, "webUiUrl", "http://" + host + ":" + WEB_UI_PORT);
        for (var http : new URI[] {rest, ui}) {
            if (!"http".equalsIgnoreCase(http.getScheme()) && !"https".equalsIgnoreCase(http.getScheme())
                    || http.getHost() == null) {
                throw invalid("restUrl and webUiUrl must be http(s)://host:port, not '" + http + "'.");
            }
        }
        var folder = settings.get("workDirectory");
        if (folder == null || folder.isBlank() || !Path.of(folder.strip()).isAbsolute()) {
            throw invalid("workDirectory is required: an absolute path that Hangar's host and every Spark worker see"
                    + " alike (a shared filesystem), where each job's code is unpacked for its driver.");
        }
        return new SparkSettings(normalized, trimmed(rest), trimmed(ui), Path.of(folder.strip()).normalize());
    }

    /** The resource an attachment reaches: its master, as {@code spark://host:port}. */
    String resource() {
        return masterUrl.toString();
    }

    private static URI uri(Map<String, String> settings, String key, String fallback) {
        var given = settings.get(key);
        var text = given == null || given.isBlank() ? fallback : given.strip();
        if (text == null) {
            return null;
        }
        try {
            return URI.create(text);
        } catch (IllegalArgumentException e) {
            throw invalid(key + " '" + given + "' is not a URL.");
        }
    }

    private static URI trimmed(URI uri) {
        var text = uri.toString();
        return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    private static EngineException invalid(String message) {
        return EngineException.fatal("InvalidSparkSetting", message);
    }
}
