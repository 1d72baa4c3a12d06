package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.testkit.server.ServerProcess;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roles decide what a user may do in a workspace (Contributors manage any instance, Readers only read, users without a
 * role nothing); an instance's apps open only for its owner; no credential is 401, or sign-in for browsers.
 */
class AccessIT {
    static final String WS = WireFormatIT.WS;

    @TempDir
    static Path data;
    static ServerProcess server;
    static Https https;
    static String owner;
    static String other;
    static String reader;
    static String outsider;
    static String app;

    @BeforeAll
    static void start() {
        server = new ServerProcess(data, Map.of()).start();
        https = new Https(server.url(), server.certificate());
        var admin = server.adminToken();
        owner = https.createUser(admin, "alice");
        other = https.createUser(admin, "bob");
        reader = https.createUser(admin, "rita", "Reader");
        outsider = https.createUser(admin, "oscar", null);
        https.createInstance(WS + "/computes/alice-ci", owner, WireFormatIT.CREATE);
        app = Https.json(https.send("GET", WS + "/computes/alice-ci", owner, null))
                .at("/properties/properties/applications/0/endpointUri").asText();
    }

    @AfterAll
    static void stop() {
        Https.deleteAndStop(server, https, data, WS + "/computes/alice-ci", owner);
    }

    @Test
    void theOwnerOpensJupyter() {
        assertThat(https.send("GET", app + "api", owner, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aReaderReadsButIsRefusedJupyterAndLifecycleActions() {
        assertThat(https.send("GET", WS + "/computes/alice-ci", reader, null).statusCode()).isEqualTo(200);
        var jupyter = https.send("GET", app + "api", reader, null);
        assertThat(jupyter.statusCode()).isEqualTo(403);
        assertThat(Https.json(jupyter).at("/error/code").asText()).isEqualTo("AuthorizationFailed");
        for (var action : new String[] {"stop", "restart", "start"}) {
            var refused = https.send("POST", WS + "/computes/alice-ci/" + action, reader, null);
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(Https.json(refused).at("/error/message").asText()).contains("computes/" + action + "/action");
        }
        var delete = https.send("DELETE", WS + "/computes/alice-ci?underlyingResourceAction=Delete", reader, null);
        assertThat(delete.statusCode()).isEqualTo(403);
        assertThat(Https.json(delete).at("/error/message").asText()).contains("computes/delete");
        var create = https.send("PUT", WS + "/computes/rita-ci", reader, WireFormatIT.CREATE);
        assertThat(create.statusCode()).isEqualTo(403);
        assertThat(Https.json(create).at("/error/message").asText()).contains("computes/write");
        assertThat(https.send("GET", WS + "/computes/rita-ci", owner, null).statusCode())
                .as("a refused create records nothing").isEqualTo(404);
    }

    @Test
    void aUserWithoutARoleInTheWorkspaceSeesNothingOfIt() {
        for (var path : new String[] {WS + "/computes/alice-ci", WS + "/computes", WS + "/computes/alice-ci/history"}) {
            var refused = https.send("GET", path, outsider, null);
            assertThat(refused.statusCode()).as(path).isEqualTo(403);
            assertThat(Https.json(refused).at("/error/message").asText())
                    .contains("Microsoft.MachineLearningServices/workspaces/computes/read");
        }
        var nameCheck = https.send("POST", WS + "/checkComputeNameAvailability", outsider,
                "{\"name\":\"alice-ci\",\"type\":\"Microsoft.MachineLearningServices/workspaces/computes\"}");
        assertThat(nameCheck.statusCode()).isEqualTo(403);
    }

    @Test
    void anotherContributorManagesTheInstanceButDoesNotOpenIt() {
        var jupyter = https.send("GET", app + "api", other, null);
        assertThat(jupyter.statusCode()).isEqualTo(403);
        assertThat(Https.json(jupyter).at("/error/message").asText()).contains("only for its owner ('alice')");
        var history = https.send("GET", WS + "/computes/alice-ci/history", other, null);
        assertThat(history.statusCode()).isEqualTo(200);
    }

    /**
     * The case: the admin creates an instance on behalf of Alice; Alice opens its Jupyter and stops it; the
     * admin who created it is refused its Jupyter; Bob, a Contributor, may stop it but not open it.
     */
    @Test
    void anInstanceCreatedForAliceOpensForHerAlone() {
        var admin = server.adminToken();
        var alice = Https.json(https.send("GET", "/hangar/v1/session", owner, null)).at("/user/id").asText();
        var body = """
                {"location":"local","properties":{"computeType":"ComputeInstance","properties":{
                 "vmSize":"STANDARD_DS1_V2",
                 "personalComputeInstanceSettings":{"assignedUser":{"objectId":"%s","tenantId":"t"}}}}}"""
                .formatted(alice);
        https.createInstance(WS + "/computes/for-alice", admin, body);
        var compute = Https.json(https.send("GET", WS + "/computes/for-alice", owner, null));
        assertThat(compute.at("/properties/properties/applicationSharingPolicy").asText()).isEqualTo("Personal");
        assertThat(compute.at("/properties/properties/personalComputeInstanceSettings/assignedUser/objectId")
                .asText()).isEqualTo(alice);
        var jupyter = compute.at("/properties/properties/applications/0/endpointUri").asText() + "api";

        assertThat(names(WS + "/computes?user=me", owner)).containsExactly("alice-ci", "for-alice");
        assertThat(names(WS + "/computes?assignedTo=" + alice, admin)).containsExactly("for-alice");
        assertThat(names(WS + "/computes?createdBy=me", admin)).contains("for-alice").doesNotContain("alice-ci");
        assertThat(names(WS + "/computes?user=me", other)).doesNotContain("alice-ci", "for-alice");
        var badFilter = https.send("GET", WS + "/computes?createdBy=alice", owner, null);
        assertThat(badFilter.statusCode()).isEqualTo(400);
        assertThat(Https.json(badFilter).at("/error/code").asText()).isEqualTo("BadArgument");

        assertThat(https.send("GET", jupyter, owner, null).statusCode()).isEqualTo(200);
        assertThat(https.send("GET", jupyter, admin, null).statusCode()).isEqualTo(403);
        assertThat(https.send("GET", jupyter, other, null).statusCode()).isEqualTo(403);
        operation("POST", WS + "/computes/for-alice/stop", owner);
        operation("POST", WS + "/computes/for-alice/start", owner);
        operation("POST", WS + "/computes/for-alice/stop", other);
        operation("DELETE", WS + "/computes/for-alice?underlyingResourceAction=Delete", admin);
    }

    private static java.util.List<String> names(String path, String token) {
        var listed = https.send("GET", path, token, null);
        assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
        var names = new java.util.ArrayList<String>();
        Https.json(listed).get("value").forEach(compute -> names.add(compute.get("name").asText()));
        return names;
    }

    @Test
    void anInstanceHasNoKeysToListAndAReaderMayNotAsk() {
        var instance = https.send("POST", WS + "/computes/alice-ci/listKeys", owner, null);
        assertThat(instance.statusCode()).isEqualTo(400);
        assertThat(Https.json(instance).at("/error/code").asText()).isEqualTo("ComputeHasNoSecrets");
        var refused = https.send("POST", WS + "/computes/alice-ci/listKeys", reader, null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(Https.json(refused).at("/error/message").asText())
                .contains("Microsoft.MachineLearningServices/workspaces/computes/listKeys/action");
        assertThat(https.send("POST", WS + "/computes/nothing/listKeys", owner, null).statusCode()).isEqualTo(404);
    }

    private static void operation(String method, String path, String token) {
        var accepted = https.send(method, path, token, null);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        var status = https.waitForOperation(accepted.headers().firstValue("Azure-AsyncOperation").orElseThrow(),
                token);
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("Succeeded");
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
