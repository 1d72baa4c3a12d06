package dev.hangar.backend.slurm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.hangar.core.spi.engine.EngineException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Requests to slurmrestd over HTTP, each as one account: {@code X-SLURM-USER-NAME} names it and
 * {@code X-SLURM-USER-TOKEN} carries the token, which slurmrestd hands on to slurmctld (a token of root or of Slurm's
 * own user lets slurmctld act for any account). The token is never written into a message.
 *
 * <p>Thread-safe.
 */
final class RestClient implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    static final String AUTHENTICATION_FAILED = "SlurmAuthenticationFailed";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int QUOTED_BODY = 300;

    private final RestSettings settings;
    private final HttpClient http;

    RestClient(RestSettings settings) {
        this.settings = settings;
        // HTTP/1.1 only: slurmrestd does not speak HTTP/2 and need not see an upgrade offer.
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** What slurmrestd answered: the HTTP status, the JSON body (missing when it was not JSON) and its text. */
    record Answer(int status, JsonNode body, String text) {
        boolean succeeded() {
            return status / 100 == 2;
        }

        /** Slurm's errors in the body, which may come with any status. */
        List<RestResponses.Error> errors() {
            return RestResponses.errors(body);
        }

        /** The body for a message: its errors, else the start of its text. */
        String describe() {
            var errors = errors();
            if (!errors.isEmpty()) {
                return String.join("; ", errors.stream().map(RestResponses.Error::text).toList());
            }
            var quoted = text.strip();
            return quoted.length() > QUOTED_BODY ? quoted.substring(0, QUOTED_BODY) + "..." : quoted;
        }
    }

    /**
     * Sends one request as {@code user} and returns whatever slurmrestd answered, but for what no answer can mend.
     *
     * @param user the account to act as: {@code restUser}, or another that its token may act for
     * @param body JSON to send, or null
     * @throws EngineException {@code SlurmInvalidAccount} for a user name that is no account's;
     *     {@code SlurmControllerUnreachable} (retryable) when slurmrestd cannot be reached or does
     *     not answer in time; {@value #AUTHENTICATION_FAILED} when it refuses the request as unauthenticated (401, 403)
     */
    Answer send(String method, String path, String user, JsonNode body) {
        var request = HttpRequest.newBuilder(URI.create(settings.url() + path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .header("X-SLURM-USER-NAME", SlurmHost.requireAccountName(user))
                .header("X-SLURM-USER-TOKEN", settings.token().value());
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method,
                    HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw EngineException.transientFailure(SlurmFailures.UNREACHABLE, "slurmrestd at " + settings.url()
                    + " did not answer " + method + " " + path + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw EngineException.transientFailure(SlurmFailures.UNREACHABLE, "Interrupted while waiting for "
                    + "slurmrestd to answer " + method + " " + path, e);
        }
        var text = new String(response.body(), StandardCharsets.UTF_8);
        var answer = new Answer(response.statusCode(), json(text), text);
        if (answer.status() == 401 || answer.status() == 403) {
            throw EngineException.fatal(AUTHENTICATION_FAILED, "slurmrestd at " + settings.url() + " refused "
                    + method + " " + path + " as " + user + " (HTTP " + answer.status() + ": " + answer.describe()
                    + "). " + renewal());
        }
        return answer;
    }

    /** How to mend a token slurmctld does not take; said whenever authentication fails. */
    String renewal() {
        var expires = settings.token().expires();
        return "The token (" + SlurmSettings.REST_TOKEN + ") may have expired" + (expires == null ? ""
                : " (it says it expires at " + expires + ")") + ", or be for another user or another cluster: make a"
                + " new one with 'scontrol token username=" + settings.user() + " lifespan=<seconds>'.";
    }

    @Override
    public void close() {
        http.close();
    }

    private static byte[] bytes(JsonNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree always serialises", e);
        }
    }

    private static JsonNode json(String text) {
        var trimmed = text.strip();
        if (!trimmed.startsWith("{")) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(trimmed);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    private static String describe(IOException e) {
        var message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : " (" + message + ")");
    }
}
