package dev.hangar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import dev.hangar.testkit.arm.ArmServer.Reply;
import dev.hangar.testkit.arm.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LoginCommandTest {
    private static final String CA = TestCertificates.get("hangar-test", TestCertificates.LOCALHOST).pem().toString();

    private final ArmServer server = ArmServer.start();
    @TempDir
    Path home;
    private Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(home);
        server.on("GET", "/hangar/v1/session", Reply.json(200, Arm.session(Arm.ALICE, "alice", true)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void savesTheSettingsForTheOwnerOnlyAndSaysWhoYouAre() throws IOException {
        var result = cli.run("login", "--server", server.uri().toString(), "--token", ArmServer.TOKEN, "--ca-cert", CA);

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).containsExactly(
                "Logged in to " + server.uri() + " as alice (" + Arm.ALICE + "), admin.",
                "Workspace: ws1 in local (" + ArmServer.WORKSPACE + ")",
                "Saved to " + cli.configFile());
        assertThat(result.err()).isEmpty();
        var saved = new ObjectMapper().readTree(cli.configFile().toFile());
        assertThat(saved.get("server").asText()).isEqualTo(server.uri().toString());
        assertThat(saved.get("token").asText()).isEqualTo(ArmServer.TOKEN);
        assertThat(saved.get("caCert").asText()).isEqualTo(CA);
        assertThat(saved.get("insecure").asBoolean()).isFalse();
        assertThat(saved.get("workspace").get("id").asText()).isEqualTo(ArmServer.WORKSPACE);
        assertThat(saved.get("workspace").get("location").asText()).isEqualTo(Arm.LOCATION);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.configFile()))).isEqualTo("rw-------");
    }

    @Test
    void takesItsOptionsFromTheEnvironmentAndPrintsJson() throws IOException {
        cli.env("HANGAR_SERVER", server.uri().toString()).env("HANGAR_TOKEN", ArmServer.TOKEN)
                .env("HANGAR_CA_CERT", CA).env("HANGAR_OUTPUT", "json");

        var result = cli.run("login");

        assertThat(result.exitCode()).isZero();
        var session = new ObjectMapper().readTree(result.out());
        assertThat(session.get("user").get("name").asText()).isEqualTo("alice");
        assertThat(session.get("defaultWorkspace").get("name").asText()).isEqualTo("ws1");
        assertThat(cli.configFile()).exists();
    }

    @Test
    void insecureIsSavedAndSaidOutLoud() throws IOException {
        server.on("GET", Arm.computes(), Reply.json(200, Arm.page(null)));
        var result = cli.run("login", "--server", server.uri().toString(), "--token", ArmServer.TOKEN, "--insecure");

        assertThat(result.exitCode()).isZero();
        assertThat(result.errLines()).containsExactly("WARNING: --insecure: the server's certificate is not checked");
        assertThat(new ObjectMapper().readTree(cli.configFile().toFile()).get("insecure").asBoolean()).isTrue();
        assertThat(cli.run("compute", "list").exitCode()).isZero();
    }

    static Stream<Arguments> failures() throws IOException {
        int closedPort;
        try (var socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        return Stream.of(
                Arguments.of("a wrong token", new String[] {"--server", "{server}", "--token", "wrong", "--ca-cert", CA}, 3,
                        "ERROR: AuthenticationFailed: the bearer token is missing or unknown (log in again with 'hangar login')"),
                Arguments.of("an untrusted certificate", new String[] {"--server", "{server}", "--token", ArmServer.TOKEN}, 6,
                        "ERROR: TlsHandshakeFailed: TLS with {server} failed: "),
                Arguments.of("an unreachable server", new String[] {"--server", "https://127.0.0.1:" + closedPort,
                        "--token", ArmServer.TOKEN, "--ca-cert", CA}, 6,
                        "ERROR: ConnectionFailed: cannot reach https://127.0.0.1:" + closedPort + ": connection refused"),
                Arguments.of("both --ca-cert and --insecure", new String[] {"--server", "{server}", "--token", "t", "--ca-cert", CA, "--insecure"}, 2,
                        "ERROR: UsageError: --ca-cert and --insecure exclude each other (see 'hangar login --help')"),
                Arguments.of("no token", new String[] {"--server", "{server}"}, 2,
                        "ERROR: UsageError: Missing required option: '--token=TOKEN' (or HANGAR_TOKEN) (see 'hangar login --help')"),
                Arguments.of("a plain http server", new String[] {"--server", "http://127.0.0.1:1", "--token", "t"}, 2,
                        "ERROR: InvalidSettings: the server must be an https:// URL"),
                Arguments.of("a missing CA file", new String[] {"--server", "{server}", "--token", "t", "--ca-cert", "/nonexistent.pem"}, 2,
                        "ERROR: UsageError: cannot read the --ca-cert file /nonexistent.pem"));
    }

    @ParameterizedTest(name = "{0}: exit {2}")
    @MethodSource("failures")
    void aFailedLoginPrintsOneErrorLineAndSavesNothing(String description, String[] options, int exitCode,
                                                       String errorLine) {
        var args = Stream.concat(Stream.of("login"), Stream.of(options))
                .map(arg -> arg.replace("{server}", server.uri().toString())).toArray(String[]::new);

        var result = cli.run(args);

        assertThat(result.exitCode()).isEqualTo(exitCode);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).singleElement().asString()
                .startsWith(errorLine.replace("{server}", server.uri().toString()));
        assertThat(cli.configFile()).doesNotExist();
    }
}
