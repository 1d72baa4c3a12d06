package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.testkit.server.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit events: every call that changes something, done, refused or failed, with who, what, the outcome and the
 * request id; every state an instance reached, with the trigger of the operation behind it; read with filters by
 * those who may, per workspace, and everything only by administrators.
 */
class AuditIT {
    static final String WS = WireFormatIT.WS;

    @TempDir
    static Path data;
    static ServerProcess server;
    static Https https;
    static String admin;
    static String alice;
    static String bob;
    static String outsider;
    static Instant began;

    @BeforeAll
    static void start() {
        server = new ServerProcess(data, Map.of("HANGAR_BACKEND_LOCAL_JUPYTER", "/nonexistent/jupyter")).start();
        https = new Https(server.url(), server.certificate());
        admin = server.adminToken();
        began = Instant.now();
        alice = https.createUser(admin, "alice");
        bob = https.createUser(admin, "bob", "Reader");
        outsider = https.createUser(admin, "oscar", null);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void callsAndTransitionsAreRecordedWithWhoWhatAndHowItEnded() {
        var created = https.send("PUT", WS + "/computes/audited", alice, WireFormatIT.CREATE,
                "x-ms-client-request-id", "create-audited");
        assertThat(created.statusCode()).isEqualTo(201);
        https.waitForOperation(created.headers().firstValue("Azure-AsyncOperation").orElseThrow(), alice);
        var stop = https.send("POST", WS + "/computes/audited/stop", alice, null);
        https.waitForOperation(stop.headers().firstValue("Azure-AsyncOperation").orElseThrow(), alice);
        assertThat(https.send("POST", WS + "/computes/audited/start", bob, null).statusCode()).isEqualTo(403);
        assertThat(https.send("POST", WS + "/computes/audited/start", null, null).statusCode()).isEqualTo(401);
        assertThat(https.send("GET", WS + "/computes/audited", alice, null).statusCode()).isEqualTo(200);

        var events = await().atMost(Duration.ofSeconds(10)).until(() -> events("", alice),
                found -> found.size() >= 6);
        var create = one(events, "actor", "alice", "action", "Microsoft.MachineLearningServices/workspaces/computes/write");
        assertThat(create.get("result").asText()).isEqualTo("Succeeded");
        assertThat(create.get("status").asInt()).isEqualTo(201);
        assertThat(create.get("requestId").asText()).isEqualTo("create-audited");
        assertThat(create.get("target").asText()).endsWith("/computes/audited");
        assertThat(create.get("workspace").asText()).isEqualTo("default");
        assertThat(create.get("trigger").asText()).isEqualTo("User");
        var stopped = one(events, "actor", "alice", "action",
                "Microsoft.MachineLearningServices/workspaces/computes/stop/action");
        assertThat(stopped.get("result").asText()).isEqualTo("Accepted");
        var refused = one(events, "actor", "bob", "action",
                "Microsoft.MachineLearningServices/workspaces/computes/start/action");
        assertThat(refused.get("result").asText()).isEqualTo("Failed");
        assertThat(refused.get("status").asInt()).isEqualTo(403);
        assertThat(refused.get("errorCode").asText()).isEqualTo("AuthorizationFailed");
        var anonymous = one(events, "actor", "anonymous", "action",
                "Microsoft.MachineLearningServices/workspaces/computes/start/action");
        assertThat(anonymous.get("errorCode").asText()).isEqualTo("AuthenticationFailed");
        assertThat(events).as("reads are not recorded").noneMatch(event -> event.get("action").asText()
                .endsWith("/computes/read"));

        var transitions = events("?action=stateTransition", alice);
        assertThat(transitions).extracting(event -> event.get("detail").asText())
                .anyMatch(detail -> detail.startsWith("Creating -> Running"))
                .anyMatch(detail -> detail.startsWith("Stopping -> Stopped"));
        assertThat(transitions).allMatch(event -> event.get("actor").asText().equals("hangar")
                && event.get("trigger").asText().equals("User") && event.get("target").asText().equals("audited"));
    }

    @Test
    void filtersNarrowAndAccessDecidesWhoReadsWhat() {
        assertThat(https.send("POST", WS + "/computes/filtered/stop", bob, null).statusCode()).isEqualTo(403);
        await().atMost(Duration.ofSeconds(10)).until(() -> events("?actor=bob", bob), found -> !found.isEmpty());

        assertThat(events("?actor=BOB&result=failed&since=" + began, bob))
                .allMatch(event -> event.get("actor").asText().equals("bob")
                        && event.get("result").asText().equals("Failed"));
        assertThat(events("?until=" + began.minusSeconds(3600), bob)).isEmpty();
        assertThat(events("?top=1", bob)).hasSize(1);

        var users = await().atMost(Duration.ofSeconds(10)).until(() -> events("?workspace=*&action=users", admin),
                found -> found.size() >= 3);
        assertThat(users).allMatch(event -> event.get("workspace").isNull());
        assertThat(https.send("GET", "/hangar/v1/events?workspace=*", alice, null).statusCode())
                .as("everything is for administrators").isEqualTo(403);
        var noRole = https.send("GET", "/hangar/v1/events", outsider, null);
        assertThat(noRole.statusCode()).isEqualTo(403);
        assertThat(noRole.body()).contains("Microsoft.Insights/eventtypes/values/read");
        for (var bad : List.of("?top=0", "?top=5000", "?since=yesterday", "?since=2026-02-01T00:00:00Z&until="
                + "2026-01-01T00:00:00Z")) {
            assertThat(https.send("GET", "/hangar/v1/events" + bad, admin, null).statusCode()).as(bad).isEqualTo(400);
        }
        assertThat(https.send("GET", "/hangar/v1/events?workspace=nowhere", admin, null).statusCode()).isEqualTo(404);
    }

    /**
     * A call's event is written in the transaction of the change it makes: killed right after the answer, before
     * anything else could be written, the server still has it at the next start.
     */
    @Test
    void aChangeAndItsEventSurviveAKillRightAfterTheAnswer(@TempDir Path own) {
        var crashing = new ServerProcess(own, Map.of("HANGAR_BACKEND_LOCAL_JUPYTER", "/nonexistent/jupyter")).start();
        try {
            var client = new Https(crashing.url(), crashing.certificate());
            var token = crashing.adminToken();
            var made = client.send("POST", "/hangar/v1/users", token, "{\"name\":\"kept\"}");
            assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
            var created = client.send("PUT", WS + "/computes/kept", token, WireFormatIT.CREATE);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            crashing.kill();

            crashing.start();
            var again = new Https(crashing.url(), crashing.certificate());
            var events = Https.json(again.send("GET", "/hangar/v1/events?workspace=*&top=100", token, null))
                    .get("value");
            var targets = new ArrayList<String>();
            events.forEach(event -> targets.add(event.get("action").asText() + " " + event.get("target").asText()
                    + " " + event.get("result").asText()));
            assertThat(targets).anySatisfy(event -> assertThat(event).startsWith("Hangar/users/write /hangar/v1/users"))
                    .anySatisfy(event -> assertThat(event)
                            .startsWith("Microsoft.MachineLearningServices/workspaces/computes/write " + WS
                                    + "/computes/kept"));
        } finally {
            crashing.close();
            new dev.hangar.testkit.server.LocalInstances(own).processes().forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static List<JsonNode> events(String query, String token) {
        var response = https.send("GET", "/hangar/v1/events" + query, token, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        var all = new ArrayList<JsonNode>();
        Https.json(response).get("value").forEach(all::add);
        return all;
    }

    private static JsonNode one(List<JsonNode> events, String key, String value, String otherKey, String other) {
        var found = events.stream().filter(event -> event.path(key).asText().equals(value)
                && event.path(otherKey).asText().equals(other)).toList();
        assertThat(found).as("%s=%s, %s=%s among %s", key, value, otherKey, other, events).hasSize(1);
        return found.getFirst();
    }
}
