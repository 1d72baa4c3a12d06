package dev.hangar.client;

import dev.hangar.testkit.arm.TestCertificates;
import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hangar.testkit.arm.ArmServer.Reply;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TlsTest {
    private static final TestCertificates.ServerCertificate LOCAL =
            TestCertificates.get("hangar-test", TestCertificates.LOCALHOST);
    private static final TestCertificates.ServerCertificate UNRELATED =
            TestCertificates.get("unrelated", TestCertificates.LOCALHOST);
    private static final TestCertificates.ServerCertificate OTHER_HOST =
            TestCertificates.get("other-host", TestCertificates.OTHER_HOST);

    static Stream<Arguments> trustChoices() {
        return Stream.of(
                Arguments.of("the server's own certificate", LOCAL, trust(LOCAL.pem()), true),
                Arguments.of("an unrelated certificate", LOCAL, trust(UNRELATED.pem()), false),
                Arguments.of("the JDK's CAs (default)", LOCAL, UnaryOperator.<HangarClientBuilder>identity(), false),
                Arguments.of("anything (insecure)", LOCAL, (UnaryOperator<HangarClientBuilder>) HangarClientBuilder::insecure, true),
                Arguments.of("a certificate for another host", OTHER_HOST, trust(OTHER_HOST.pem()), false),
                Arguments.of("anything, for another host", OTHER_HOST, (UnaryOperator<HangarClientBuilder>) HangarClientBuilder::insecure, true));
    }

    @ParameterizedTest(name = "trusting {0}: connects = {3}")
    @MethodSource("trustChoices")
    void trustsExactlyWhatItWasTold(String description, TestCertificates.ServerCertificate serverCertificate,
                                    UnaryOperator<HangarClientBuilder> trust, boolean connects) {
        try (var server = new ArmServer(serverCertificate);
             var client = trust.apply(HangarClient.builder().server(server.uri()).token(ArmServer.TOKEN)).build()) {
            server.on("GET", "/hangar/v1/session", Reply.json(200, Arm.session(Arm.ALICE, "alice", false)));
            if (connects) {
                assertThat(client.session().user().name()).isEqualTo("alice");
            } else {
                assertThatThrownBy(client::session).isInstanceOfSatisfying(HangarException.class, e -> {
                    assertThat(e.kind()).isEqualTo(HangarException.Kind.CONNECTION);
                    assertThat(e.status()).isZero();
                    assertThat(e.code()).isEqualTo("TlsHandshakeFailed");
                });
                assertThat(server.requests()).isEmpty();
            }
        }
    }

    static Stream<Arguments> unsafeConfigurations() {
        return Stream.of(
                Arguments.of("plain http", (UnaryOperator<HangarClientBuilder>) b -> b.server(URI.create("http://127.0.0.1:1")).token("t")),
                Arguments.of("no token", (UnaryOperator<HangarClientBuilder>) b -> b.server(URI.create("https://127.0.0.1:1"))),
                Arguments.of("CA and insecure", (UnaryOperator<HangarClientBuilder>) b -> b.server(URI.create("https://127.0.0.1:1"))
                        .token("t").caCertificate(LOCAL.pem()).insecure()));
    }

    @ParameterizedTest(name = "{0} is refused")
    @MethodSource("unsafeConfigurations")
    void theBuilderRefusesUnsafeConfigurations(String description, UnaryOperator<HangarClientBuilder> configuration) {
        assertThatThrownBy(() -> configuration.apply(HangarClient.builder()).build())
                .isInstanceOf(IllegalStateException.class);
    }

    @org.junit.jupiter.api.Test
    void anUnreadableCaFileIsRefused() {
        assertThatThrownBy(() -> HangarClient.builder().server(URI.create("https://127.0.0.1:1")).token("t")
                .caCertificate(Path.of("/nonexistent/ca.pem")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/nonexistent/ca.pem");
    }

    private static UnaryOperator<HangarClientBuilder> trust(Path pem) {
        return builder -> builder.caCertificate(pem);
    }
}
