package dev.hangar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import dev.hangar.testkit.arm.ArmServer.Reply;
import dev.hangar.client.EnvironmentClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code hangar job create} and {@code show} with the environment a job runs in: a version, or an image inline. */
class JobEnvironmentCommandsTest {
    private static final String IMAGE = "docker.io/library/python:3.12";
    /** The first 32 hex characters of SHA-256("docker.io/library/python:3.12"). */
    private static final String IMAGE_VERSION = "9f39de2cc07aeb65b0c8d87b811d86ac";
    private static final String ANONYMOUS_ID = "azureml:CliV2AnonymousEnvironment:" + IMAGE_VERSION;

    private final ArmServer server = ArmServer.start();
    private final ObjectMapper json = new ObjectMapper();
    @TempDir
    Path home;
    private Cli cli;

    @BeforeEach
    void logIn() {
        cli = Cli.loggedIn(home, server);
        server.on("PUT", Arm.job("j1"), Reply.json(201, Arm.commandJob("j1", "Queued", null)));
        server.on("PUT", Arm.environmentVersion(EnvironmentClient.ANONYMOUS, IMAGE_VERSION), Reply.json(201,
                Arm.environment(EnvironmentClient.ANONYMOUS, IMAGE_VERSION, IMAGE)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest(name = "--environment {0}")
    @CsvSource({"azureml:py312:1, azureml:py312:1", "azureml:py312@latest, azureml:py312@latest",
        "py312:1, azureml:py312:1", "py312@latest, azureml:py312@latest"})
    void theEnvironmentOptionNamesAVersion(String option, String environmentId) {
        var result = cli.run("job", "create", "-n", "j1", "--compute", "ci1", "--command", "python -V",
                "--environment", option);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(sentJob().at("/properties/environmentId").asText()).isEqualTo(environmentId);
        assertThat(server.requests()).noneMatch(request -> request.path().contains("/environments/"));
    }

    @Test
    void anImageBecomesTheAnonymousVersionTheJobNames() {
        var result = cli.run("job", "create", "-n", "j1", "--compute", "ci1", "--command", "python -V",
                "--image", IMAGE);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.errLines()).containsExactly("Image " + IMAGE + ": environment CliV2AnonymousEnvironment:"
                + IMAGE_VERSION + ".");
        assertThat(parse(server.requests("PUT", Arm.environmentVersion(EnvironmentClient.ANONYMOUS, IMAGE_VERSION))
                .get(0).body())).isEqualTo(parse("{\"properties\":{\"image\":\"" + IMAGE + "\",\"isAnonymous\":true}}"));
        assertThat(sentJob().at("/properties/environmentId").asText()).isEqualTo(ANONYMOUS_ID);
    }

    @Test
    void withoutAnEnvironmentTheJobNamesNone() {
        var result = cli.run("job", "create", "-n", "j1", "--compute", "ci1", "--command", "python -V");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(sentJob().at("/properties").has("environmentId")).isFalse();
    }

    @Test
    void aYamlStringNamesAVersion() throws IOException {
        var file = yaml("environment: azureml:py312@latest\n");

        var result = cli.run("job", "create", "-f", file.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).doesNotContain("Note:");
        assertThat(sentJob().at("/properties/environmentId").asText()).isEqualTo("azureml:py312@latest");
    }

    @Test
    void aYamlMappingWithAnImageIsAnInlineEnvironment() throws IOException {
        var file = yaml("environment:\n  image: " + IMAGE + "\n");

        var result = cli.run("job", "create", "-f", file.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(sentJob().at("/properties/environmentId").asText()).isEqualTo(ANONYMOUS_ID);
    }

    @Test
    void anOptionOverridesTheYamlsEnvironment() throws IOException {
        var file = yaml("environment:\n  image: " + IMAGE + "\n");

        var result = cli.run("job", "create", "-f", file.toString(), "--environment", "azureml:py312:2");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(sentJob().at("/properties/environmentId").asText()).isEqualTo("azureml:py312:2");
        assertThat(server.requests()).noneMatch(request -> request.path().contains("/environments/"));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("--environment with --image", null, new String[] {"job", "create", "-n", "j1",
                    "--compute", "ci1", "--command", "true", "--environment", "azureml:py312:1", "--image", IMAGE},
                        "ERROR: UsageError: --environment and --image exclude each other"),
                Arguments.of("a blank --image", null, new String[] {"job", "create", "-n", "j1", "--compute", "ci1",
                    "--command", "true", "--image", " "},
                        "ERROR: EnvironmentImageRequired: an inline environment needs the container image"),
                Arguments.of("an inline environment to build", "environment:\n  build:\n    path: ./docker\n",
                        new String[] {"job", "create", "-f", "{yaml}"},
                        "ERROR: EnvironmentBuildUnsupported: 'build' in the environment of job.yml asks Hangar to"
                                + " build an image"),
                Arguments.of("an inline conda file", "environment:\n  image: " + IMAGE + "\n  conda_file: conda.yml\n",
                        new String[] {"job", "create", "-f", "{yaml}"},
                        "ERROR: EnvironmentBuildUnsupported: 'conda_file' in the environment of job.yml"),
                Arguments.of("an inline environment without an image", "environment:\n  name: py312\n",
                        new String[] {"job", "create", "-f", "{yaml}"},
                        "ERROR: EnvironmentImageRequired: "),
                Arguments.of("an environment that is a list", "environment: [a, b]\n",
                        new String[] {"job", "create", "-f", "{yaml}"}, "ERROR: InvalidJobFile: "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusalsAreUsageErrorsAndSendNothing(String description, String environment, String[] args,
                                             String errorLine) throws IOException {
        var file = environment == null ? home.resolve("job.yml") : yaml(environment);
        var arguments = Arrays.stream(args).map(arg -> arg.replace("{yaml}", file.toString())).toArray(String[]::new);

        var result = cli.run(arguments);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.errLines()).last().asString().startsWith(errorLine);
        assertThat(server.requests()).noneMatch(request -> request.method().equals("PUT"));
    }

    @Test
    void showPrintsTheEnvironmentOfAJobThatHasOne() {
        server.on("GET", Arm.job("j1"), Reply.json(200, Arm.commandJob("j1", "Running",
                Arm.environmentVersion("py312", "1"))));
        server.on("GET", Arm.job("j2"), Reply.json(200, Arm.commandJob("j2", "Running", null)));

        var with = cli.run("job", "show", "-n", "j1");
        var without = cli.run("job", "show", "-n", "j2");

        assertThat(with.exitCode()).as(with.err()).isZero();
        assertThat(with.outLines()).anySatisfy(line -> assertThat(line).matches("Environment +py312:1"));
        assertThat(without.exitCode()).as(without.err()).isZero();
        assertThat(without.out()).doesNotContain("Environment");
    }

    /** A job YAML submitting {@code j1} on {@code ci1}, with {@code environment} (YAML lines) added. */
    private Path yaml(String environment) throws IOException {
        return Files.writeString(home.resolve("job.yml"), "name: j1\ncommand: python -V\ncompute: azureml:ci1\n"
                + environment);
    }

    private JsonNode sentJob() {
        return parse(server.requests("PUT", Arm.job("j1")).get(0).body());
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(text, e);
        }
    }
}
