package dev.hangar.backend.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.core.spi.engine.EngineException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The calls a Spark standalone master answers: its REST submission server ({@code /v1/submissions/create},
 * {@code status/<id>}, {@code kill/<id>}), its web UI's {@code /json/}, and a worker's {@code /log/} of a driver's
 * stdout or stderr. Thread-safe. A master that does not answer is a retryable {@link EngineException}.
 */
final class SparkRest implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final SparkSettings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    SparkRest(SparkSettings settings) {
        this.settings = settings;
    }

    /** {@code POST /v1/submissions/create}; its answer (check {@code success}). */
    JsonNode create(JsonNode request) {
        return rest(HttpRequest.newBuilder(settings.restUrl().resolve("/v1/submissions/create"))
                .header("Content-Type", "application/json;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString())));
    }

    /** {@code GET /v1/submissions/status/<id>}: {@code driverState}, {@code workerId}, {@code message}... */
    JsonNode status(String submissionId) {
        return rest(HttpRequest.newBuilder(settings.restUrl().resolve("/v1/submissions/status/" + path(submissionId)))
                .GET());
    }

    /** {@code POST /v1/submissions/kill/<id>}. */
    JsonNode kill(String submissionId) {
        return rest(HttpRequest.newBuilder(settings.restUrl().resolve("/v1/submissions/kill/" + path(submissionId)))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** The master web UI's {@code /json/}: its state, workers and drivers. */
    JsonNode master() {
        try {
            var response = http.send(HttpRequest.newBuilder(settings.webUiUrl().resolve("/json/")).timeout(TIMEOUT)
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw EngineException.transientFailure("SparkMasterUnreachable", "The master's web UI at "
                        + settings.webUiUrl() + " answered " + response.statusCode() + " to /json/.", null);
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw EngineException.transientFailure("SparkMasterUnreachable", "The master's web UI does not answer"
                    + " at " + settings.webUiUrl() + " (" + e + ").", e);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /**
     * At most {@code length} bytes of a driver's {@code stdout} or {@code stderr} from {@code offset}, from the web UI
     * of the worker that runs it ({@code /log/}, which heads its text with the byte range it holds).
     */
    DriverLog log(URI workerUi, String driverId, String type, long offset, int length) {
        var uri = workerUi.resolve("/log/?driverId=" + URLEncoder.encode(driverId, StandardCharsets.UTF_8)
                + "&logType=" + type + "&offset=" + offset + "&byteLength=" + length);
        try {
            var response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw EngineException.transientFailure("SparkWorkerUnreachable", "The worker's web UI at " + workerUi
                        + " answered " + response.statusCode() + " for the log of " + driverId + ".", null);
            }
            return DriverLog.parse(response.body());
        } catch (IOException e) {
            throw EngineException.transientFailure("SparkWorkerUnreachable", "The worker's web UI does not answer at "
                    + workerUi + " (" + e + ").", e);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    private JsonNode rest(HttpRequest.Builder request) {
        try {
            var response = http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            var body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
            if (response.statusCode() >= 500 && !body.has("action")) {
                throw EngineException.transientFailure("SparkRestFailed", "The REST submission server at "
                        + settings.restUrl() + " answered " + response.statusCode() + ".", null);
            }
            return body;
        } catch (IOException e) {
            throw EngineException.transientFailure("SparkRestUnreachable", "No REST submission server answers at "
                    + settings.restUrl() + " (" + e + ").", e);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    private static String path(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    private static EngineException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return EngineException.transientFailure("SparkInterrupted", "Interrupted while calling Spark.", e);
    }

    @Override
    public void close() {
        http.close();
    }

    /**
     * A piece of a driver's log, as a worker's {@code /log/} answers: {@code ==== Bytes 0-33 of 33 of <path> ====}
     * then the text; {@code end} is where the next piece starts.
     */
    record DriverLog(long start, long end, long length, String text) {
        private static final java.util.regex.Pattern HEAD =
                java.util.regex.Pattern.compile("==== Bytes (\\d+)-(\\d+) of (\\d+) of .*? ====\n");

        static DriverLog parse(String body) {
            var matcher = HEAD.matcher(body);
            if (!matcher.lookingAt()) {
                // "Error: invalid log directory": the driver has not started on that worker yet.
                return new DriverLog(0, 0, 0, "");
            }
            var start = Long.parseLong(matcher.group(1));
            var end = Long.parseLong(matcher.group(2));
            return new DriverLog(start, end, Long.parseLong(matcher.group(3)),
                    end == start ? "" : body.substring(matcher.end()));
        }
    }
}
