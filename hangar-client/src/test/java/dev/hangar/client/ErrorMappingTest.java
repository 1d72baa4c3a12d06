package dev.hangar.client;

import dev.hangar.testkit.arm.TestCertificates;
import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hangar.testkit.arm.ArmServer.Reply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorMappingTest {
    private final ArmServer server = ArmServer.start();
    private final TestCertificates.ServerCertificate certificate =
            TestCertificates.get("hangar-test", TestCertificates.LOCALHOST);

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "404 | {\"error\":{\"code\":\"ResourceNotFound\",\"message\":\"compute ci1 not found\"}} | ResourceNotFound | compute ci1 not found",
            "409 | {\"error\":{\"code\":\"Conflict\",\"message\":\"There is already an active operation submitted\",\"target\":\"ci1\",\"details\":[]}} | Conflict | There is already an active operation submitted",
            "403 | {\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"alice may not start ci1\"}} | AuthorizationFailed | alice may not start ci1",
            "400 | {\"error\":{\"code\":\"StartComputeInstanceOnlyAllowedInStoppedState\",\"message\":\"not stopped\"}} | StartComputeInstanceOnlyAllowedInStoppedState | not stopped",
            "500 | <html>oops</html> | Http500 | HTTP 500: <html>oops</html>",
            "502 | {\"message\":\"no ARM error here\"} | Http502 | HTTP 502: {\"message\":\"no ARM error here\"}",
            "503 | | Http503 | HTTP 503"})
    void anErrorAnswerCarriesStatusArmErrorAndRequest(int status, String body, String code, String message) {
        server.on("GET", Arm.compute("ci1"), new Reply(status, java.util.Map.of(), body));

        try (var client = client(ArmServer.TOKEN)) {
            assertThatThrownBy(() -> client.workspace(ArmServer.WORKSPACE).get("ci1"))
                    .isInstanceOfSatisfying(HangarException.class, e -> {
                        assertThat(e.kind()).isEqualTo(HangarException.Kind.HTTP);
                        assertThat(e.status()).isEqualTo(status);
                        assertThat(e.code()).isEqualTo(code);
                        assertThat(e.errorMessage()).isEqualTo(message);
                        assertThat(e.method()).isEqualTo("GET");
                        assertThat(e.uri().getPath()).isEqualTo(Arm.compute("ci1"));
                        assertThat(e.getMessage()).contains(code, "GET https://127.0.0.1:", " -> " + status);
                    });
        }
    }

    @Test
    void aWrongTokenIsUnauthorized() {
        try (var client = client("not-the-token")) {
            assertThatThrownBy(client::session).isInstanceOfSatisfying(HangarException.class, e -> {
                assertThat(e.status()).isEqualTo(401);
                assertThat(e.code()).isEqualTo("AuthenticationFailed");
            });
        }
    }

    @Test
    void anUnreadableBodyIsAnInvalidResponse() {
        server.on("GET", Arm.compute("ci1"), Reply.json(200, "{\"id\": [not json"));

        try (var client = client(ArmServer.TOKEN)) {
            assertThatThrownBy(() -> client.workspace(ArmServer.WORKSPACE).get("ci1"))
                    .isInstanceOfSatisfying(HangarException.class, e -> {
                        assertThat(e.status()).isEqualTo(200);
                        assertThat(e.code()).isEqualTo("InvalidResponse");
                    });
        }
    }

    @Test
    void anUnreachableServerIsAConnectionFailureWithStatusZero() throws IOException {
        int port;
        try (var socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        try (var client = HangarClient.builder().server(URI.create("https://127.0.0.1:" + port)).token("t")
                .caCertificate(certificate.pem()).build()) {
            assertThatThrownBy(client::session).isInstanceOfSatisfying(HangarException.class, e -> {
                assertThat(e.kind()).isEqualTo(HangarException.Kind.CONNECTION);
                assertThat(e.status()).isZero();
                assertThat(e.code()).isEqualTo("ConnectionFailed");
                assertThat(e.errorMessage()).startsWith("cannot reach https://127.0.0.1:" + port);
                assertThat(e.getCause()).isInstanceOf(IOException.class);
            });
        }
    }

    private HangarClient client(String token) {
        return HangarClient.builder().server(server.uri()).token(token).caCertificate(certificate.pem()).build();
    }
}
