package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hangar.testkit.server.LocalInstances;
import dev.hangar.testkit.server.ServerProcess;
import dev.hangar.testkit.terminal.TerminalClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser terminal on the host-process backend, through a real server: listed in {@code applications}, its page
 * and scripts served, a shell over its WebSocket with a TTY that follows resizes, only for the instance's owner and
 * only from pages of the server itself.
 */
class TerminalIT {
    static final String WS = WireFormatIT.WS;

    @TempDir
    static Path data;
    static ServerProcess server;
    static Https https;
    static String owner;
    static String other;
    static URI terminal;

    @BeforeAll
    static void start() {
        // A short idle timeout, which a quiet terminal outlives by the server's pings.
        server = new ServerProcess(data, Map.of("HANGAR_SERVER_IDLE_TIMEOUT", "PT4S")).start();
        https = new Https(server.url(), server.certificate());
        var admin = server.adminToken();
        owner = https.createUser(admin, "alice");
        other = https.createUser(admin, "bob");
        https.createInstance(WS + "/computes/term-ci", owner, WireFormatIT.CREATE);
        var apps = Https.json(https.send("GET", WS + "/computes/term-ci", owner, null))
                .at("/properties/properties/applications");
        for (var app : apps) {
            if (app.path("displayName").asText().equals("Terminal")) {
                terminal = URI.create(app.path("endpointUri").asText());
            }
        }
    }

    @AfterAll
    static void stop() {
        Https.deleteAndStop(server, https, data, WS + "/computes/term-ci", owner);
    }

    @Test
    void theTerminalIsListedAndItsPageAndScriptsAreServed() {
        assertThat(terminal).as("the Terminal application").isNotNull();
        assertThat(terminal.getPath()).isEqualTo("/workspaces/default/computes/term-ci/apps/terminal/");
        var page = https.send("GET", terminal.toString(), owner, null);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("/static/terminal/lib/xterm.js").contains("term-ci");
        for (var asset : new String[] {"/static/terminal/lib/xterm.js", "/static/terminal/css/xterm.css",
                "/static/terminal/addon-fit/lib/addon-fit.js", "/static/terminal/terminal.js"}) {
            var served = https.send("GET", asset, null, null);
            assertThat(served.statusCode()).as(asset).isEqualTo(200);
            assertThat(served.body()).as(asset).isNotBlank();
        }
    }

    @Test
    void theOwnerGetsAShellWithATtyThatFollowsResizes() throws Exception {
        try (var shell = TerminalClient.open(terminal, Https.trusting(server.certificate()), owner, 24, 80)) {
            shell.type("cd && pwd && tty && stty size && echo $((6*7))-done\r");
            shell.awaitShown("42-done");
            assertThat(shell.shown()).contains("/dev/pts/").contains("24 80")
                    .contains(new LocalInstances(data).home(new LocalInstances(data).computeIds().iterator().next())
                            .toString());
            shell.resize(30, 100).type("stty size\r");
            shell.awaitShown("30 100");
            shell.type("printf 'caf\\303\\251\\n'\r");
            shell.awaitShown("café");
            shell.type("exit 7\r");
            assertThat(shell.awaitExit(Duration.ofSeconds(30))).isEqualTo(7);
        }
    }

    @Test
    void aQuietTerminalOutlivesTheServersIdleTimeout() throws Exception {
        try (var shell = TerminalClient.open(terminal, Https.trusting(server.certificate()), owner, 24, 80)) {
            shell.type("echo before-$((6*7))\r");
            shell.awaitShown("before-42");
            org.awaitility.Awaitility.await().pollDelay(Duration.ofSeconds(9)).atMost(Duration.ofSeconds(10))
                    .until(() -> true);
            shell.type("echo after-$((6*7))\r");
            shell.awaitShown("after-42");
        }
    }

    @Test
    void closingTheTerminalEndsItsShell() throws Exception {
        var instances = new LocalInstances(data);
        var id = instances.computeIds().iterator().next();
        var before = instances.processes(id).size();
        var shell = TerminalClient.open(terminal, Https.trusting(server.certificate()), owner, 24, 80);
        shell.type("sleep 600 & echo started-$((6*7))\r");
        shell.awaitShown("started-42");
        assertThat(instances.processes(id).size()).isGreaterThan(before);
        shell.close();
        Awaitility.await("the shell and its sleep end").atMost(Duration.ofSeconds(20))
                .until(() -> instances.processes(id).size() == before);
    }

    @Test
    void anotherUserAndTheAdminAreRefused() {
        for (var token : new String[] {other, server.adminToken()}) {
            assertThatThrownBy(() -> TerminalClient.open(terminal, Https.trusting(server.certificate()), token, 24, 80))
                    .isInstanceOf(CompletionException.class).cause().isInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(failure -> assertThat(
                            ((WebSocketHandshakeException) failure).getResponse().statusCode()).isEqualTo(403));
        }
        assertThat(https.send("GET", terminal.toString(), other, null).statusCode()).isEqualTo(403);
    }

    @Test
    void aWebSocketFromAnotherSitesPageIsRefused() throws Exception {
        var http = HttpClient.newBuilder().sslContext(Https.trusting(server.certificate())).build();
        try {
            var ws = URI.create(terminal.toString().replaceFirst("^http", "ws")).resolve("websocket");
            assertThatThrownBy(() -> http.newWebSocketBuilder().header("Authorization", "Bearer " + owner)
                    .header("Origin", "https://evil.example").buildAsync(ws, new java.net.http.WebSocket.Listener() {
                    }).join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(failure -> assertThat(((WebSocketHandshakeException) failure).getResponse()
                            .statusCode()).isEqualTo(403));
        } finally {
            http.close();
        }
    }

    @Test
    void unknownPathsUnderTheTerminalAreNotFound() {
        assertThat(https.send("GET", terminal + "nothing-here", owner, null).statusCode()).isEqualTo(404);
    }
}
