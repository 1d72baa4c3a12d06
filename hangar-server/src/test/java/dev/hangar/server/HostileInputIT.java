package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hangar.testkit.server.ServerProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a hostile client sends, over real sockets to a real server: each is answered (never left hanging), with its
 * own 4xx and the ARM error body, logged at most at INFO on one line and without its secrets; and what a browser's
 * session cookie may be made to do from another site's page. The server runs with short idle (6 s) and request (3 s)
 * timeouts, and one instance with a real Jupyter.
 */
class HostileInputIT {
    static final String WS = WireFormatIT.WS;
    static final String INSTANCE = WS + "/computes/hostile";
    /** How long a test waits for an answer: far beyond the server's timeouts, far below "forever". */
    static final int ANSWER_WITHIN_MS = 15_000;

    @TempDir
    static Path data;
    static ServerProcess server;
    static Https https;
    static String token;

    @BeforeAll
    static void start() {
        server = new ServerProcess(data, Map.of("HANGAR_SERVER_IDLE_TIMEOUT", "PT6S",
                "HANGAR_SERVER_REQUEST_TIMEOUT", "PT3S")).start();
        https = new Https(server.url(), server.certificate());
        token = server.adminToken();
        https.createInstance(INSTANCE, token, """
                {"location":"local","properties":{"computeType":"ComputeInstance","properties":{
                 "vmSize":"STANDARD_DS1_V2"}}}""");
    }

    @AfterAll
    static void stop() {
        Https.deleteAndStop(server, https, data, INSTANCE, token);
    }

    /** Writes {@code request} as it is on a new TLS connection; returns all the server sent until it closed. */
    static String raw(String request) throws IOException {
        return raw(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    static String raw(byte[] request) throws IOException {
        var url = server.url();
        try (var socket = (SSLSocket) server.trustingContext().getSocketFactory().createSocket(url.getHost(),
                url.getPort())) {
            socket.setSoTimeout(ANSWER_WITHIN_MS);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            var answer = new ByteArrayOutputStream();
            var buffer = new byte[8192];
            try {
                for (int read; (read = socket.getInputStream().read(buffer)) >= 0; ) {
                    answer.write(buffer, 0, read);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("No answer and no close within " + ANSWER_WITHIN_MS + " ms; got so far: "
                        + answer.toString(StandardCharsets.ISO_8859_1), e);
            } catch (javax.net.ssl.SSLException closedUncleanly) {
                // The server may close without TLS's close_notify; what arrived stands.
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    static String host() {
        return server.url().getHost() + ":" + server.url().getPort();
    }

    static int status(String answer) {
        assertThat(answer).as("an HTTP answer").matches("(?s)HTTP/1\\.[01] .*");
        return Integer.parseInt(answer.substring(9, 12));
    }

    static String body(String answer) {
        return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }

    /** A request with a JSON body, closing the connection after the answer. */
    static String request(String method, String path, String body, String... headers) {
        var request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host()
                + "\r\nAuthorization: Bearer " + token + "\r\nConnection: close\r\n");
        for (var header : headers) {
            request.append(header).append("\r\n");
        }
        var bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            request.append("Content-Type: application/json\r\nContent-Length: ").append(bytes.length).append("\r\n");
        }
        return request.append("\r\n").append(body == null ? "" : body).toString();
    }

    @Test
    void aValueEchoedIntoAHeaderThatHoldsANulIsRefusedBeforeAnythingIsDone() throws IOException {
        var answer = raw(request("PUT", INSTANCE.replace("hostile", "nul-version") + "?api-version=x%00",
                "{\"properties\":{\"computeType\":\"ComputeInstance\",\"properties\":{"
                        + "\"vmSize\":\"STANDARD_DS1_V2\"}}}"));
        assertThat(status(answer)).as(answer).isEqualTo(400);
        assertThat(body(answer)).contains("\"code\":\"InvalidRequestUri\"");
        assertThat(https.send("GET", INSTANCE.replace("hostile", "nul-version"), token, null).statusCode())
                .as("nothing was created").isEqualTo(404);
    }

    @Test
    void aWorkspaceLocationWithALineBreakIsRefused() {
        var response = https.send("PUT", WS.replace("/default", "/crlf-place"), token,
                "{\"location\":\"east\\r\\nSet-Cookie: x=y\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        // The workspace's wire schema refuses the control characters before the service reads the location.
        assertThat(Https.json(response).at("/error/code").asText()).isEqualTo("InvalidRequestBody");
        assertThat(Https.json(response).at("/error/target").asText()).isEqualTo("location");
        var spaced = https.send("PUT", WS.replace("/default", "/odd-place"), token, "{\"location\":\"east us\"}");
        assertThat(Https.json(spaced).at("/error/code").asText()).isEqualTo("InvalidLocation");
    }

    @Test
    void aBodyShorterThanItsContentLengthIsAnswered408AndClosed() throws IOException {
        var answer = raw("PUT " + WS + "/jobs/slow HTTP/1.1\r\nHost: " + host() + "\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"pro");
        assertThat(status(answer)).as(answer).isEqualTo(408);
        assertThat(body(answer)).contains("\"code\":\"RequestTimeout\"");
    }

    @Test
    void aConnectionThatSendsOnlyBlankLinesIsClosed() throws IOException {
        assertThat(raw("\r\n\r\n\r\n")).as("closed without an answer").isEmpty();
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws IOException {
        assertThat(raw(new byte[0])).isEmpty();
    }

    @Test
    void twoAuthorizationHeadersAreRefused() throws IOException {
        var answer = raw(request("GET", "/hangar/v1/session", null, "Authorization: Bearer hgr_someone-else"));
        assertThat(status(answer)).as(answer).isEqualTo(400);
        assertThat(body(answer)).contains("\"code\":\"InvalidAuthorization\"");
    }

    static Stream<Arguments> clientMistakes() {
        var longName = "a".repeat(300);
        var vmSize = "{\"name\":\"Hostile_Size\",\"family\":\"standardDSv2Family\",\"vCPUs\":1,\"memoryGB\":1,"
                + "\"supportedComputeTypes\":[null]}";
        return Stream.of(
                Arguments.of("Expect other than 100-continue", request("PUT", WS + "/jobs/expect", "{}",
                        "Expect: the-unexpected"), 417),
                Arguments.of("a JSON null for a job", request("PUT", WS + "/jobs/null-body", "null"), 400),
                Arguments.of("a null environment variable", request("PUT", WS + "/jobs/null-env", "{\"properties\":{"
                        + "\"command\":\"true\",\"computeId\":\"hostile\",\"environmentVariables\":{\"A\":null}}}"),
                        400),
                Arguments.of("a null compute type of a VM size", request("PUT", "/hangar/v1/vmSizes/Hostile_Size",
                        vmSize), 400),
                Arguments.of("a null permission", request("PUT", "/subscriptions/00000000-0000-0000-0000-000000000000"
                        + "/providers/Microsoft.Authorization/roleDefinitions/6a0f4b8e-5d1c-4a37-9c1e-2f4f1d2a0b11",
                        "{\"properties\":{\"roleName\":\"Hostile\",\"permissions\":[null]}}"), 400),
                Arguments.of("a null assignable scope", request("PUT", "/subscriptions/00000000-0000-0000-0000-"
                        + "000000000000/providers/Microsoft.Authorization/roleDefinitions/6a0f4b8e-5d1c-4a37-9c1e-"
                        + "2f4f1d2a0b12", "{\"properties\":{\"roleName\":\"Hostile2\",\"permissions\":[{\"actions\":"
                        + "[\"*/read\"]}],\"assignableScopes\":[null]}}"), 400),
                Arguments.of("a 300-character location", request("GET", "/subscriptions/00000000-0000-0000-0000-"
                        + "000000000000/providers/Microsoft.MachineLearningServices/locations/" + longName
                        + "/usages", null), 404),
                Arguments.of("a 300-character resource group", request("PUT", WS.replace("/resourceGroups/hangar/",
                        "/resourceGroups/" + longName + "/").replace("/default", "/long-group"),
                        "{\"location\":\"local\"}"), 404),
                Arguments.of("a 300-character subscription", request("PUT", WS.replace(
                        "00000000-0000-0000-0000-000000000000", longName).replace("/default", "/long-sub"),
                        "{\"location\":\"local\"}"), 404),
                Arguments.of("a 300-character location of a new workspace", request("PUT",
                        WS.replace("/default", "/long-place"), "{\"location\":\"" + longName + "\"}"), 400),
                Arguments.of("no Host", "GET /hangar/v1/health HTTP/1.1\r\nConnection: close\r\n\r\n", 400),
                Arguments.of("HTTP/1.0 without Host", "GET /hangar/v1/health HTTP/1.0\r\n\r\n", 400),
                Arguments.of("a Host that names no host", "GET " + WS + "/computes HTTP/1.1\r\nHost: a b\r\n"
                        + "Authorization: Bearer " + token + "\r\nConnection: close\r\n\r\n", 400),
                Arguments.of("a header that does not parse", "GET /hangar/v1/health HTTP/1.1\r\nHost: a\u0001b\r\n"
                        + "Connection: close\r\n\r\n", 400),
                Arguments.of("a request line of 64 KB", "GET /" + "a".repeat(64 << 10) + " HTTP/1.1\r\nHost: "
                        + host() + "\r\nConnection: close\r\n\r\n", 414),
                Arguments.of("CONNECT", "CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n"
                        + "Connection: close\r\n\r\n", 405),
                Arguments.of("OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: " + host() + "\r\nConnection: close\r\n\r\n",
                        400),
                Arguments.of("a climb out of /static", request("GET", "/static/..%2f..%2f", null), 404),
                Arguments.of("a bad % escape in the path", request("GET", "/hangar/v1/us%zzers?token=hgr_x", null),
                        400),
                Arguments.of("a bad % escape in the query", request("GET", "/hangar/v1/users?x=%zz", null), 400),
                Arguments.of("a sign-in form with a bad % escape", form("token=%zz&next=/"), 400),
                Arguments.of("a sign-in form of 1 MB", form("token=" + "a".repeat(1 << 20) + "&next=/"), 413),
                Arguments.of("a sign-in next of 100 KB", form("token=x&next=/" + "a".repeat(100 << 10)), 413));
    }

    static String form(String body) {
        return "POST /signin HTTP/1.1\r\nHost: " + host() + "\r\nConnection: close\r\nContent-Type: "
                + "application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientMistakes")
    void aClientMistakeGetsItsOwn4xxInTheArmErrorFormat(String title, String request, int expected)
            throws IOException {
        var answer = raw(request);
        assertThat(status(answer)).as(answer).isEqualTo(expected);
        assertThat(answer.toLowerCase(Locale.ROOT)).as("a request id to report").contains("x-ms-request-id: ");
        var error = Https.JSON.readTree(body(answer)).get("error");
        assertThat(error).as(answer).isNotNull();
        assertThat(error.get("code").asText()).isNotBlank();
        assertThat(error.get("message").asText()).isNotBlank();
    }

    /** Each client mistake above, and the bad sign-in form holding a real token, leave no ERROR and no secret. */
    @Test
    void clientMistakesAreLoggedAtMostAtInfoWithoutTheirSecrets() throws IOException {
        var secret = token;
        var before = server.log().length();
        raw(form("token=" + secret + "%zz&next=/"));
        raw(request("GET", "/hangar/v1/session?token=" + secret + "&x=%zz", null));
        for (var mistake : clientMistakes().toList()) {
            raw((String) mistake.get()[1]);
        }
        var log = server.log().substring(before);
        assertThat(log).doesNotContain(secret);
        assertThat(log.lines().filter(line -> line.contains(" ERROR ") || line.contains(" WARN ")).toList())
                .as("client mistakes logged above INFO").isEmpty();
        assertThat(log.lines().filter(line -> line.startsWith("\tat ")).toList()).as("stack traces").isEmpty();
    }

    @Test
    void signingInNeverReturnsToAnotherSite() {
        for (var next : new String[] {"/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/ /evil.example",
                "/\\evil.example", "//evil.example", "https://evil.example"}) {
            var response = https.send("POST", "/signin", null, "token=" + URLEncoder.encode(token,
                    StandardCharsets.UTF_8) + "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8),
                    "Content-Type", "application/x-www-form-urlencoded");
            assertThat(response.statusCode()).isEqualTo(303);
            assertThat(response.headers().firstValue("Location")).as("after next=%s", next).contains("/");
        }
    }

    @Test
    void theSessionCookieAloneChangesNothingFromAnotherSite() {
        var cookie = "hangar_session=" + token;
        var tokens = "/hangar/v1/tokens";
        var text = https.send("POST", tokens, null, "{\"name\":\"csrf-text\"}", "Cookie", cookie, "Content-Type",
                "text/plain", "Origin", server.url().toString().replaceAll("/$", ""));
        assertThat(text.statusCode()).as(text.body()).isEqualTo(403);
        assertThat(Https.json(text).at("/error/code").asText()).isEqualTo("CrossOriginRefused");
        var foreign = https.send("POST", tokens, null, "{\"name\":\"csrf-foreign\"}", "Cookie", cookie, "Origin",
                "https://evil.example");
        assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(403);
        var noOrigin = https.send("POST", tokens, null, "{\"name\":\"csrf-none\"}", "Cookie", cookie);
        assertThat(noOrigin.statusCode()).as(noOrigin.body()).isEqualTo(403);
        var ownPage = https.send("POST", tokens, null, "{\"name\":\"csrf-own\"}", "Cookie", cookie, "Origin",
                "https://" + host());
        assertThat(ownPage.statusCode()).as("from a page of this server").isEqualTo(201);
        var bearer = https.send("POST", tokens, token, "{\"name\":\"csrf-bearer\"}", "Origin", "https://evil.example");
        assertThat(bearer.statusCode()).as("a bearer token is no browser's ambient credential").isEqualTo(201);
        var read = https.send("GET", tokens, null, null, "Cookie", cookie, "Origin", "https://evil.example");
        assertThat(read.statusCode()).as("a read changes nothing").isEqualTo(200);
    }

    @Test
    void jupytersWebSocketRefusesAnotherSitesPage() throws Exception {
        var app = server.url() + "/workspaces/default/computes/hostile/apps/jupyter/";
        var kernel = https.send("POST", app + "api/kernels", token, "{}");
        assertThat(kernel.statusCode()).as(kernel.body()).isEqualTo(201);
        var channels = URI.create(app.replace("https://", "wss://") + "api/kernels/"
                + Https.json(kernel).get("id").asText() + "/channels");
        var http = HttpClient.newBuilder().sslContext(server.trustingContext()).build();
        assertThatThrownBy(() -> http.newWebSocketBuilder().header("Cookie", "hangar_session=" + token)
                .header("Origin", "https://evil.example").buildAsync(channels, new java.net.http.WebSocket.Listener() {
                }).join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(failure -> assertThat(((WebSocketHandshakeException) failure).getResponse().statusCode())
                        .isEqualTo(403));
        var own = http.newWebSocketBuilder().header("Cookie", "hangar_session=" + token)
                .header("Origin", "https://" + host()).connectTimeout(Duration.ofSeconds(10))
                .buildAsync(channels, new java.net.http.WebSocket.Listener() {
                }).join();
        own.abort();
    }
}
