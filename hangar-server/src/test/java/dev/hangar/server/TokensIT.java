package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.testkit.server.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * API tokens through {@code /hangar/v1/tokens}: made (the secret shown once), listed without secrets, revoked (it stops
 * working at once), expired (it stops working at its time), and the refusals for what is malformed or not the
 * caller's.
 */
class TokensIT {
    @TempDir
    static Path data;
    static ServerProcess server;
    static Https https;
    static String admin;
    static String alice;

    @BeforeAll
    static void start() {
        server = new ServerProcess(data, Map.of()).start();
        https = new Https(server.url(), server.certificate());
        admin = server.adminToken();
        alice = https.createUser(admin, "alice");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aTokenWorksUntilItIsRevokedAndThenAtOnceNoMore() {
        var made = https.send("POST", "/hangar/v1/tokens", alice, "{\"name\":\"laptop\"}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        var body = Https.json(made);
        var secret = body.get("secret").asText();
        var id = body.at("/token/id").asText();
        assertThat(secret).startsWith("hgr_");
        var expires = Instant.parse(body.at("/token/expiresOn").asText());
        assertThat(expires).as("90 days by default").isBetween(Instant.now().plus(Duration.ofDays(89)),
                Instant.now().plus(Duration.ofDays(91)));
        assertThat(https.send("GET", "/hangar/v1/session", secret, null).statusCode()).isEqualTo(200);

        var listed = https.send("GET", "/hangar/v1/tokens", alice, null);
        assertThat(listed.body()).contains("laptop", "initial", "Active").doesNotContain(secret)
                .doesNotContain("secretHash");

        var revoked = https.send("DELETE", "/hangar/v1/tokens/" + id, alice, null);
        assertThat(revoked.statusCode()).isEqualTo(200);
        assertThat(Https.json(revoked).get("state").asText()).isEqualTo("Revoked");
        var refused = https.send("GET", "/hangar/v1/session", secret, null);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(Https.json(refused).at("/error/code").asText()).isEqualTo("TokenRevoked");
        assertThat(https.send("GET", "/hangar/v1/session", alice, null).statusCode())
                .as("her other tokens still work").isEqualTo(200);
    }

    @Test
    void aTokenStopsWorkingWhenItExpires() throws InterruptedException {
        var expiresOn = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
        var made = https.send("POST", "/hangar/v1/tokens", alice,
                "{\"name\":\"short\",\"expiresOn\":\"" + expiresOn + "\"}");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        var secret = Https.json(made).get("secret").asText();
        assertThat(https.send("GET", "/hangar/v1/session", secret, null).statusCode()).isEqualTo(200);

        Thread.sleep(Duration.between(Instant.now(), expiresOn).plusMillis(500));

        var refused = https.send("GET", "/hangar/v1/session", secret, null);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(Https.json(refused).at("/error/code").asText()).isEqualTo("TokenExpired");
    }

    @Test
    void anAdministratorMakesTokensForOthersAndNobodyElseDoes() {
        var forAlice = https.send("POST", "/hangar/v1/tokens", admin, "{\"name\":\"ci\",\"user\":\"alice\"}");
        assertThat(forAlice.statusCode()).as(forAlice.body()).isEqualTo(201);
        var secret = Https.json(forAlice).get("secret").asText();
        assertThat(Https.json(https.send("GET", "/hangar/v1/session", secret, null)).at("/user/name").asText())
                .isEqualTo("alice");
        assertThat(https.send("GET", "/hangar/v1/tokens?user=alice", admin, null).body()).contains("\"ci\"");

        var bob = https.createUser(admin, "bob");
        assertThat(https.send("GET", "/hangar/v1/tokens?user=alice", bob, null).statusCode()).isEqualTo(403);
        assertThat(https.send("POST", "/hangar/v1/tokens", bob, "{\"name\":\"x\",\"user\":\"alice\"}").statusCode())
                .isEqualTo(403);
        var aliceToken = Https.json(forAlice).at("/token/id").asText();
        var notBobs = https.send("DELETE", "/hangar/v1/tokens/" + aliceToken, bob, null);
        assertThat(notBobs.statusCode()).isEqualTo(404);
        assertThat(https.send("GET", "/hangar/v1/session", secret, null).statusCode()).isEqualTo(200);
    }

    @Test
    void malformedRequestsAreRefusedAndNoTokenIsMade() {
        var before = https.send("GET", "/hangar/v1/tokens", alice, null).body();
        for (var request : new String[] {"{\"name\":\"\"}", "{}", "{\"name\":\"" + "x".repeat(65) + "\"}"}) {
            var refused = https.send("POST", "/hangar/v1/tokens", alice, request);
            assertThat(refused.statusCode()).as(request).isEqualTo(400);
            assertThat(Https.json(refused).at("/error/code").asText()).isEqualTo("InvalidTokenName");
        }
        for (var expiry : new String[] {Instant.now().minusSeconds(60).toString(),
                Instant.now().plus(Duration.ofDays(4 * 365)).toString()}) {
            var refused = https.send("POST", "/hangar/v1/tokens", alice,
                    "{\"name\":\"bad\",\"expiresOn\":\"" + expiry + "\"}");
            assertThat(refused.statusCode()).as(expiry).isEqualTo(400);
            assertThat(Https.json(refused).at("/error/code").asText()).isEqualTo("InvalidTokenExpiry");
        }
        var notADate = https.send("POST", "/hangar/v1/tokens", alice, "{\"name\":\"bad\",\"expiresOn\":\"soon\"}");
        assertThat(notADate.statusCode()).isEqualTo(400);
        assertThat(Https.json(notADate).at("/error/code").asText()).isEqualTo("InvalidRequestBody");
        assertThat(https.send("GET", "/hangar/v1/tokens", alice, null).body()).isEqualTo(before);
        assertThat(https.send("DELETE", "/hangar/v1/tokens/not-an-id", alice, null).statusCode()).isEqualTo(404);
    }
}
