package dev.hangar.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.hangar.backend.slurm.SlurmClient.Submission;
import dev.hangar.core.spi.engine.EngineException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST client against a stand-in for slurmrestd on 127.0.0.1 that replays recorded answers ({@link Recordings}). */
class SlurmRestTest {
    private static final String API = "/slurm/v0.0.38";
    private static final String TOKEN = Tokens.forged("root", Instant.now().plusSeconds(3600));

    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private HttpServer server;

    private record Reply(int status, String body) {
    }

    /** A request as the stand-in got it. */
    private record Seen(String user, String token, String contentType, String body) {
    }

    @BeforeEach
    void startStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            var key = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
            var headers = exchange.getRequestHeaders();
            seen.put(key, new Seen(headers.getFirst("X-SLURM-USER-NAME"), headers.getFirst("X-SLURM-USER-TOKEN"),
                    headers.getFirst("Content-Type"),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            var reply = replies.getOrDefault(key, new Reply(404,
                    "Unable find requested URL. Please view /openapi/v3 for API reference."));
            var bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (var out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stopStandIn() {
        server.stop(0);
    }

    @Test
    void aServerWithoutPluginV0038IsUnsupportedAndNamesWhatItServes() {
        replies.put("GET /openapi", new Reply(200, Recordings.text("openapi-v0.0.37.json")));

        var failure = catchThrowableOfType(EngineException.class, () -> rest(TOKEN, false).cluster());

        assertThat(failure.code()).isEqualTo("SlurmRestVersionUnsupported");
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains("[slurm/v0.0.37]", "-s openapi/v0.0.38");
    }

    @Test
    void anUnauthorizedAnswerFailsAuthenticationWithoutShowingTheToken() {
        replies.put("GET " + API + "/ping", new Reply(401, "Authentication failure"));

        var failure = catchThrowableOfType(EngineException.class, () -> rest(TOKEN, false).cluster());

        assertThat(failure.code()).isEqualTo("SlurmAuthenticationFailed");
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains("HTTP 401", "Authentication failure", "may have expired",
                "scontrol token username=root").doesNotContain(TOKEN);
    }

    @Test
    void anUnspecifiedErrorIsRetryableUnlessTheTokenExpired() {
        replies.put("GET " + API + "/ping", new Reply(500, Recordings.text("ping-refused.json")));

        var silent = catchThrowableOfType(EngineException.class, () -> rest(TOKEN, false).cluster());
        assertThat(silent.code()).isEqualTo("SlurmControllerUnreachable");
        assertThat(silent.retryable()).isTrue();
        assertThat(silent.getMessage()).contains("HTTP 500", "slurmctld config is unable to load",
                "did not answer slurmrestd, or it refused the token");

        var expired = Tokens.forged("root", Instant.now().minusSeconds(60));
        var refused = catchThrowableOfType(EngineException.class, () -> rest(expired, false).cluster());
        assertThat(refused.code()).isEqualTo("SlurmAuthenticationFailed");
        assertThat(refused.retryable()).isFalse();
        assertThat(refused.getMessage()).contains("expired at");
    }

    @Test
    void aJobIsSubmittedAsItsAccountWithTheScriptAndSbatchsOptions() throws Exception {
        replies.put("POST " + API + "/job/submit", new Reply(200, Recordings.text("submit.json")));

        var id = rest(TOKEN, false).submit(new Submission("hangar-tag", "alice", "/shared/jobs/x", "debug", 2, 3,
                "#!/bin/bash\necho hi\n"));

        assertThat(id).isEqualTo("6");
        var request = seen.get("POST " + API + "/job/submit");
        assertThat(request.user()).isEqualTo("alice");
        assertThat(request.token()).isEqualTo(TOKEN);
        assertThat(request.contentType()).isEqualTo("application/json");
        JsonNode body = new ObjectMapper().readTree(request.body());
        assertThat(body.path("script").asText()).isEqualTo("#!/bin/bash\necho hi\n");
        assertThat(new ObjectMapper().convertValue(body.path("job"), new TypeReference<Map<String, Object>>() {
        })).isEqualTo(Map.of(
                "name", "hangar-tag", "comment", "hangar-tag", "partition", "debug", "nodes", 2,
                "tasks_per_node", 1, "cpus_per_task", 3, "current_working_directory", "/shared/jobs/x/code",
                "standard_output", "/shared/jobs/x/std_log.txt", "open_mode", "append",
                "environment", Map.of("PATH", "/usr/local/bin:/usr/bin:/bin")));
    }

    @Test
    void aRefusedSubmissionFailsWithSlurmsErrorsButAQueuedOneIsKept() {
        replies.put("POST " + API + "/job/submit", new Reply(500, Recordings.text("submit-bad-partition.json")));
        var job = new Submission("hangar-tag", "root", "/shared/jobs/x", "nope", 1, 1, "#!/bin/bash\n");

        var failure = catchThrowableOfType(EngineException.class, () -> rest(TOKEN, false).submit(job));

        assertThat(failure.code()).isEqualTo("SlurmSubmitFailed");
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains("HTTP 500", "Invalid partition name specified [2000]");

        replies.put("POST " + API + "/job/submit", new Reply(200, Recordings.text("submit-with-errors.json")));
        assertThat(rest(TOKEN, false).submit(job)).isEqualTo("7");
    }

    @Test
    void cancelingAJobSlurmForgotIsNoErrorAndIsAskedAsTheJobsAccount() {
        replies.put("DELETE " + API + "/job/999999", new Reply(500, Recordings.text("cancel-unknown.json")));
        replies.put("DELETE " + API + "/job/6", new Reply(200, Recordings.text("cancel.json")));

        var rest = rest(TOKEN, false);
        rest.cancel("999999", "root");
        rest.cancel("6", "alice");

        assertThat(seen.get("DELETE " + API + "/job/6").user()).isEqualTo("alice");
        assertThat(catchThrowableOfType(EngineException.class, () -> rest.cancel("6/../../x", "root")).code())
                .isEqualTo("SlurmCommandFailed");
    }

    @Test
    void jobsAreFoundByTagAndUserAndTheirStatesByIdFromOneListing() {
        replies.put("GET " + API + "/jobs", new Reply(200, Recordings.text("jobs-ended.json")));
        var rest = rest(TOKEN, false);

        assertThat(rest.find("hangar-t9", null)).contains(new SlurmClient.Submitted("8", "/tmp/rx/jobs/j9/code"));
        assertThat(rest.find("hangar-t9", "root")).isPresent();
        assertThat(rest.find("hangar-t9", "alice")).isEmpty();
        assertThat(rest.states(List.of("8", "9", "999"))).containsOnlyKeys("8", "9");
        assertThat(rest.states(List.of("8")).get("8").state()).isEqualTo("FAILED");
    }

    @Test
    void aGatewayErrorIsRetryable() {
        replies.put("GET " + API + "/jobs", new Reply(502, "<html>Bad Gateway</html>"));

        var failure = catchThrowableOfType(EngineException.class, () -> rest(TOKEN, false).states(List.of("1")));

        assertThat(failure.code()).isEqualTo("SlurmControllerUnreachable");
        assertThat(failure.getMessage()).contains("HTTP 502", "Bad Gateway");
    }

    private SlurmRest rest(String token, boolean slurmConfGiven) {
        var settings = new RestSettings("http://127.0.0.1:" + server.getAddress().getPort(), "root",
                RestToken.parse(token));
        return new SlurmRest(settings, new SlurmHost(new LocalShell(), null), slurmConfGiven);
    }
}
