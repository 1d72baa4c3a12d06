package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jwt.PlainJWT;
import dev.hangar.testkit.server.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenID Connect sign-in against a provider served on loopback with keys the test makes
 * ({@link TestIdentityProvider}): bearer JWTs checked for signature, issuer, audience and expiry and mapped to one
 * Hangar user per subject; a key the provider rotates in; and the browser's authorization-code flow with PKCE.
 */
class OidcIT {
    static final String WS = WireFormatIT.WS;

    @TempDir
    static Path data;
    static TestIdentityProvider provider;
    static ServerProcess server;
    static Https https;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        provider = new TestIdentityProvider();
        var secret = data.resolve("client.secret");
        Files.writeString(secret, TestIdentityProvider.CLIENT_SECRET + "\n");
        server = new ServerProcess(data.resolve("hangar"), Map.of("HANGAR_BACKEND_LOCAL_JUPYTER", "/nonexistent/jupyter",
                "HANGAR_OIDC_ISSUER", provider.issuer(), "HANGAR_OIDC_CLIENT_ID", TestIdentityProvider.CLIENT_ID,
                "HANGAR_OIDC_CLIENT_SECRET_FILE", secret.toString())).start();
        https = new Https(server.url(), server.certificate());
        admin = server.adminToken();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (provider != null) {
            provider.close();
        }
    }

    static String jwt(String subject, String name) throws Exception {
        return provider.token(subject, name, TestIdentityProvider.CLIENT_ID, claims -> { });
    }

    static String code(HttpResponse<String> response) {
        return Https.json(response).at("/error/code").asText();
    }

    @Test
    void aProvidersTokenSignsInAsOneUserPerSubject() throws Exception {
        var first = https.send("GET", "/hangar/v1/session", jwt("subject-dora", "dora"), null);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        var dora = Https.json(first).at("/user/id").asText();
        assertThat(Https.json(first).at("/user/name").asText()).isEqualTo("dora");
        assertThat(Https.json(https.send("GET", "/hangar/v1/session", jwt("subject-dora", "dora"), null))
                .at("/user/id").asText()).as("the same user next time").isEqualTo(dora);
        assertThat(https.send("GET", "/hangar/v1/users", admin, null).body()).contains(dora, "dora");
        // A new user has no role: it sees nothing of the workspace until one is given.
        assertThat(https.send("GET", WS + "/computes", jwt("subject-dora", "dora"), null).statusCode())
                .isEqualTo(403);

        var impostor = https.send("GET", "/hangar/v1/session", jwt("subject-other", "dora"), null);
        assertThat(impostor.statusCode()).isEqualTo(401);
        assertThat(code(impostor)).isEqualTo("IdentityNameTaken");
    }

    @Test
    void aUserMadeBeforeTheirFirstSignInIsTheUserTheirTokenNames() throws Exception {
        https.createUser(admin, "bella");
        var session = https.send("GET", "/hangar/v1/session", jwt("subject-bella", "bella"), null);
        assertThat(Https.json(session).at("/user/name").asText()).isEqualTo("bella");
        assertThat(https.send("GET", WS + "/computes", jwt("subject-bella", "bella"), null).statusCode())
                .as("with the Contributor role she was given").isEqualTo(200);
    }

    @Test
    void tokensThatAreNotTheProvidersForThisServerAreRefusedWithTheirReason() throws Exception {
        var audience = TestIdentityProvider.CLIENT_ID;
        var refusals = Map.of(
                provider.token("subject-eve", "eve", audience, c -> c.issuer("http://127.0.0.1:1/elsewhere")),
                "InvalidAuthenticationTokenTenant",
                provider.token("subject-eve", "eve", "another-app", c -> { }),
                "InvalidAuthenticationTokenAudience",
                provider.token("subject-eve", "eve", audience, c -> c.expirationTime(
                        Date.from(Instant.now().minusSeconds(600)))),
                "ExpiredAuthenticationToken",
                TestIdentityProvider.sign(TestIdentityProvider.newKey(), provider.claims("subject-eve", "eve",
                        audience, c -> { })),
                "InvalidAuthenticationToken",
                new PlainJWT(new PlainHeader(), provider.claims("subject-eve", "eve", audience, c -> { }))
                        .serialize(),
                "InvalidAuthenticationToken",
                provider.token("subject-eve", null, audience, c -> { }),
                "InvalidAuthenticationToken");
        for (var refusal : refusals.entrySet()) {
            var response = https.send("GET", "/hangar/v1/session", refusal.getKey(), null);
            assertThat(response.statusCode()).as(refusal.getValue()).isEqualTo(401);
            assertThat(code(response)).isEqualTo(refusal.getValue());
        }
        // A token signed with another key under the kid of the provider's own.
        var forged = provider.token("subject-eve", "eve", audience, c -> { });
        var parts = forged.split("\\.");
        var other = TestIdentityProvider.sign(TestIdentityProvider.newKey(), provider.claims("subject-eve", "eve",
                audience, c -> { })).split("\\.");
        var response = https.send("GET", "/hangar/v1/session", parts[0] + "." + other[1] + "." + other[2], null);
        assertThat(code(response)).isEqualTo("InvalidAuthenticationToken");
        assertThat(https.send("GET", "/hangar/v1/users", admin, null).body()).doesNotContain("\"eve\"");
        assertThat(https.send("GET", "/hangar/v1/session", admin, null).statusCode())
                .as("API tokens work beside the provider's").isEqualTo(200);
    }

    @Test
    void aKeyTheProviderRotatesInIsFetchedWhenATokenNamesIt() throws Exception {
        assertThat(https.send("GET", "/hangar/v1/session", jwt("subject-finn", "finn"), null).statusCode())
                .isEqualTo(200);
        provider.rotateKey();
        // At once, or once the keys may be read again (a few seconds after a forged key id made Hangar look).
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() ->
                https.send("GET", "/hangar/v1/session", jwt("subject-finn", "finn"), null).statusCode() == 200);
    }

    @Test
    void theBrowserSignsInThroughTheProvider() throws Exception {
        assertThat(https.send("GET", "/signin?next=/hangar/v1/session", null, null).body())
                .contains("Sign in with 127.0.0.1", "/signin/oidc?next=%2Fhangar%2Fv1%2Fsession");
        provider.nextSubject = "subject-carol";
        provider.nextName = "carol";

        var toProvider = https.send("GET", "/signin/oidc?next=/hangar/v1/session", null, null);
        assertThat(toProvider.statusCode()).isEqualTo(302);
        var authorize = URI.create(toProvider.headers().firstValue("Location").orElseThrow());
        assertThat(authorize.toString()).startsWith(provider.issuer() + "/authorize?response_type=code")
                .contains("code_challenge_method=S256", "client_id=hangar-studio", "nonce=", "state=");
        var plain = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        var back = plain.send(HttpRequest.newBuilder(authorize).build(), HttpResponse.BodyHandlers.ofString());
        var callback = back.headers().firstValue("Location").orElseThrow();
        assertThat(callback).startsWith(server.url() + "/signin/oidc/callback?code=");

        var signedIn = https.send("GET", callback, null, null);
        assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
        assertThat(signedIn.headers().firstValue("Location")).contains("/hangar/v1/session");
        var cookie = signedIn.headers().allValues("Set-Cookie").stream()
                .filter(value -> value.startsWith("hangar_session=")).findFirst().orElseThrow();
        assertThat(cookie).containsIgnoringCase("HttpOnly").contains("Secure", "SameSite=Lax");
        var session = https.send("GET", "/hangar/v1/session", null, null, "Cookie", cookie.split(";")[0]);
        assertThat(Https.json(session).at("/user/name").asText()).isEqualTo("carol");
        assertThat(https.send("GET", "/hangar/v1/tokens", null, null, "Cookie", cookie.split(";")[0]).body())
                .as("the session is one of carol's tokens, which she may revoke").contains("browser session");

        var replay = https.send("GET", callback, null, null);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(replay.body()).contains("unknown or too old");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() -> {
            var events = https.send("GET", "/hangar/v1/events?workspace=*&action=signin", admin, null).body();
            assertThat(events).contains("\"actor\":\"carol\"", "InvalidSignInState");
        });
    }
}
