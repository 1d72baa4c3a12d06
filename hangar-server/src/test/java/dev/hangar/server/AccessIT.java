package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.testkit.server.LocalInstances;
import dev.hangar.testkit.server.ServerProcess;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only an instance's owner opens its Jupyter or starts and stops it; no credential is 401, or sign-in for browsers. */
class AccessIT {
    static final String WS = WireFormatIT.WS;

    @TempDir
    static Path data;
    static ServerProcess server;
    static Https https;
    static String owner;
    static String other;
    static String app;

    @BeforeAll
    static void start() {
        server = new ServerProcess(data, Map.of()).start();
        https = new Https(server.url(), server.certificate());
        var admin = server.adminToken();
        owner = https.createUser(admin, "alice");
        other = https.createUser(admin, "bob");
        https.createInstance(WS + "/computes/alice-ci", owner, WireFormatIT.CREATE);
        app = Https.json(https.send("GET", WS + "/computes/alice-ci", owner, null))
                .at("/properties/properties/applications/0/endpointUri").asText();
    }

    @AfterAll
    static void stop() {
        if (server == null) {
            return;
        }
        try {
            https.send("DELETE", WS + "/computes/alice-ci?underlyingResourceAction=Delete", owner, null);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> new LocalInstances(data).processes().isEmpty());
        } finally {
            server.close();
            new LocalInstances(data).processes().forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void theOwnerOpensJupyter() {
        assertThat(https.send("GET", app + "api", owner, null).statusCode()).isEqualTo(200);
    }

    @Test
    void anotherUserIsRefusedJupyterAndLifecycleActions() {
        var jupyter = https.send("GET", app + "api", other, null);
        assertThat(jupyter.statusCode()).isEqualTo(403);
        assertThat(Https.json(jupyter).at("/error/code").asText()).isEqualTo("AuthorizationFailed");
        for (var action : new String[] {"stop", "restart"}) {
            var refused = https.send("POST", WS + "/computes/alice-ci/" + action, other, null);
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(Https.json(refused).at("/error/message").asText()).contains("computes/" + action + "/action");
        }
        var delete = https.send("DELETE", WS + "/computes/alice-ci?underlyingResourceAction=Delete", other, null);
        assertThat(delete.statusCode()).isEqualTo(403);
    }

    @Test
    void theAdminManagesButDoesNotOpenAnotherUsersJupyter() {
        assertThat(https.send("GET", app + "api", server.adminToken(), null).statusCode()).isEqualTo(403);
    }

    @Test
    void noCredentialIs401ForApiClientsAndSignInForBrowsers() {
        var api = https.send("GET", app + "api", null, null);
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(Https.json(api).at("/error/code").asText()).isEqualTo("AuthenticationFailed");
        var browser = https.send("GET", app + "tree", null, null, "Accept", "text/html");
        assertThat(browser.statusCode()).isEqualTo(302);
        assertThat(browser.headers().firstValue("Location").orElseThrow()).startsWith("/signin?next=");
    }

    @Test
    void signingInKeepsTheTokenInASecureHttpOnlyCookie() {
        var path = "/workspaces/default/computes/alice-ci/apps/jupyter/api";
        var form = "token=" + owner + "&next=" + java.net.URLEncoder.encode(path, java.nio.charset.StandardCharsets.UTF_8);
        var signIn = https.send("POST", "/signin", null, form, "Content-Type", "application/x-www-form-urlencoded");
        assertThat(signIn.statusCode()).isEqualTo(303);
        assertThat(signIn.headers().firstValue("Location")).hasValue(path);
        var cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("hangar_session=").containsIgnoringCase("Secure").containsIgnoringCase("HttpOnly");
        var viaCookie = https.send("GET", path, null, null, "Cookie", cookie.split(";")[0]);
        assertThat(viaCookie.statusCode()).isEqualTo(200);

        var wrong = https.send("POST", "/signin", null, "token=hgr_wrong&next=/",
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(wrong.statusCode()).isEqualTo(401);
        var offSite = https.send("POST", "/signin", null, "token=" + owner + "&next=//evil.example/",
                "Content-Type", "application/x-www-form-urlencoded");
        assertThat(offSite.headers().firstValue("Location")).hasValue("/");
    }
}
