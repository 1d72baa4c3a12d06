package dev.hangar.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where an instance's Jupyter really listens on the host-process backend, and its own token: what Hangar's gateway
 * forwards to, read from the backend's run record ({@code <data>/backends/local/instances/<id>/run/apps.json}), which
 * the bench, running as the server's user, may read. The baseline of the gateway's figures ({@link GatewayBench}).
 *
 * @param base  Jupyter's base URL straight at its port (plain HTTP on 127.0.0.1), ending in {@code /}
 * @param token Jupyter's token, sent as {@code Authorization: token ...} as the gateway does
 */
record DirectJupyter(URI base, String token) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The Jupyter that Hangar's gateway serves at {@code gatewayBase}, among the instances of data directory. */
    static DirectJupyter behind(Path data, URI gatewayBase) {
        var instances = data.resolve("backends").resolve("local").resolve("instances");
        try (var entries = Files.list(instances)) {
            for (var record : entries.map(dir -> dir.resolve("run").resolve("apps.json")).filter(Files::isRegularFile)
                    .toList()) {
                for (var app : JSON.readTree(record.toFile()).path("apps")) {
                    var process = app.path("process");
                    if (gatewayBase.getRawPath().equals(app.path("basePath").asText()) && !process.isMissingNode()
                            && !process.isNull()) {
                        return of(process, gatewayBase);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the run records in " + instances, e);
        }
        throw new IllegalStateException("No run record under " + instances + " serves " + gatewayBase.getRawPath());
    }

    private static DirectJupyter of(JsonNode process, URI gatewayBase) {
        return new DirectJupyter(URI.create("http://127.0.0.1:" + process.path("port").asInt()
                + gatewayBase.getRawPath()), process.path("token").asText());
    }
}
