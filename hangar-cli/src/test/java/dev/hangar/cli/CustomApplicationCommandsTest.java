package dev.hangar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import dev.hangar.testkit.arm.ArmServer.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code hangar compute create -f} with az's {@code custom_applications}, sent as Azure ML's {@code customServices}. */
class CustomApplicationCommandsTest {
    private static final String INSTANCE = """
            name: ci1
            type: computeinstance
            size: Standard_DS3_v2
            """;

    private final ArmServer server = ArmServer.start();
    private final ObjectMapper json = new ObjectMapper();
    @TempDir
    Path home;
    private Cli cli;

    @BeforeEach
    void logIn() {
        cli = Cli.loggedIn(home, server);
        server.on("PUT", Arm.compute("ci1"), Arm.accepted(Reply.json(201,
                Arm.instance("ci1", "Creating", Arm.ALICE, null)), "op-1", 0));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createSendsAzsCustomApplicationsAsCustomServicesNotPrivileged() throws IOException {
        var file = Files.writeString(home.resolve("instance.yml"), INSTANCE + """
                custom_applications:
                  - name: rstudio
                    type: docker
                    image:
                      reference: localhost/rstudio:4.2
                    endpoints:
                      - target: 8787
                        published: 8787
                      - target: 9000
                        published: 9000
                    environment_variables:
                      DISABLE_AUTH: "true"
                    bind_mounts:
                      - source: /home/azureuser/cloudfiles
                        target: /home/rstudio/cloudfiles
                """);

        var result = cli.run("compute", "create", "-f", file.toString(), "--no-wait");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(sent().at("/properties/properties/customServices")).isEqualTo(parse("""
                [{"name":"rstudio","image":{"type":"docker","reference":"localhost/rstudio:4.2"},
                  "environmentVariables":{"DISABLE_AUTH":{"type":"local","value":"true"}},
                  "docker":{"privileged":false},
                  "endpoints":[{"protocol":"http","name":"connect","target":8787,"published":8787},
                               {"protocol":"http","name":"connect-2","target":9000,"published":9000}],
                  "volumes":[{"type":"bind","readOnly":false,"source":"/home/azureuser/cloudfiles",
                              "target":"/home/rstudio/cloudfiles"}]}]"""));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("custom_applications that is a mapping", INSTANCE + "custom_applications:\n"
                        + "  name: web\n", "{yaml}: custom_applications is a list of applications"),
                Arguments.of("an unknown key", INSTANCE + "custom_applications:\n  - name: web\n    ports: [80]\n",
                        "{yaml}: custom_applications[0] has name, type, image, endpoints, environment_variables and"
                                + " bind_mounts, not 'ports'"),
                Arguments.of("an image type az does not have", INSTANCE + "custom_applications:\n  - name: web\n"
                        + "    type: azureml\n", "{yaml}: custom_applications[0].type is docker, not 'azureml'"),
                Arguments.of("a port that is no number", INSTANCE + "custom_applications:\n  - name: web\n"
                        + "    endpoints: [{target: http}]\n",
                        "{yaml}: custom_applications[0].endpoints[0].target is a port number, not 'http'"),
                Arguments.of("custom applications for a cluster", "name: cl1\ntype: amlcompute\nsize: S\n"
                        + "custom_applications:\n  - name: web\n",
                        "InvalidComputeOption: custom_applications applies to type computeinstance only, not to"
                                + " amlcompute"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusalsAreUsageErrorsAndSendNothing(String description, String yaml, String problem) throws IOException {
        var file = Files.writeString(home.resolve("compute.yml"), yaml);

        var result = cli.run("compute", "create", "-f", file.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        var error = problem.startsWith("{yaml}") ? "ERROR: InvalidComputeFile: " + problem : "ERROR: " + problem;
        assertThat(result.errLines()).last().asString().startsWith(error.replace("{yaml}", file.toString()));
        assertThat(server.requests()).noneMatch(request -> request.method().equals("PUT"));
    }

    private JsonNode sent() {
        return parse(server.requests("PUT", Arm.compute("ci1")).get(0).body());
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(text, e);
        }
    }
}
