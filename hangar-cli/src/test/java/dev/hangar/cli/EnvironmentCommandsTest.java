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
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code hangar environment}: create (options and az's YAML), show and list. */
class EnvironmentCommandsTest {
    private static final String IMAGE = "docker.io/library/python:3.12";
    private static final String ENVIRONMENT_YAML = """
            $schema: https://azuremlschemas.azureedge.net/latest/environment.schema.json
            name: py312
            version: 1
            image: docker.io/library/python:3.12
            description: training
            os_type: linux
            tags:
              team: ml
            """;

    private final ArmServer server = ArmServer.start();
    private final ObjectMapper json = new ObjectMapper();
    @TempDir
    Path home;
    private Cli cli;

    @BeforeEach
    void logIn() {
        cli = Cli.loggedIn(home, server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createFromOptionsPutsTheVersion() {
        server.on("PUT", Arm.environmentVersion("py312", "1"), Reply.json(201, Arm.environment("py312", "1", IMAGE)));

        var result = cli.run("environment", "create", "--name", "py312", "--version", "1", "--image", IMAGE,
                "--description", "training");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).containsExactly("Environment 'py312:1' runs image " + IMAGE + ".");
        assertThat(sent(Arm.environmentVersion("py312", "1"))).isEqualTo(parse(
                "{\"properties\":{\"image\":\"" + IMAGE + "\",\"description\":\"training\"}}"));
    }

    @Test
    void createFromYamlWithOptionsOverridingItsKeys() throws IOException {
        var file = Files.writeString(home.resolve("env.yml"), ENVIRONMENT_YAML);
        server.on("PUT", Arm.environmentVersion("py312", "2"), Reply.json(201, Arm.environment("py312", "2", IMAGE)));

        var result = cli.run("environment", "create", "-f", file.toString(), "--version", "2", "--tag", "owner=alice",
                "-o", "json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.errLines()).containsExactly("Note: 'os_type' in env.yml is not used by Hangar.");
        assertThat(parse(result.out()).get("id").asText()).isEqualTo(Arm.environmentVersion("py312", "2"));
        assertThat(sent(Arm.environmentVersion("py312", "2"))).isEqualTo(parse("""
                {"properties":{"image":"docker.io/library/python:3.12","description":"training",
                 "tags":{"team":"ml","owner":"alice"}}}"""));
    }

    @Test
    void anotherImageForARecordedVersionIsAConflict() {
        server.on("PUT", Arm.environmentVersion("py312", "1"), Reply.json(409, Arm.error("EnvironmentVersionExists",
                "Environment 'py312' version 1 exists with image python:3.11")));

        var result = cli.run("environment", "create", "-n", "py312", "--version", "1", "--image", IMAGE);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(result.errLines()).containsExactly("ERROR: EnvironmentVersionExists: Environment 'py312' version 1"
                + " exists with image python:3.11");
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("a build context", "name: py\nversion: 1\nbuild:\n  path: ./docker\n",
                        new String[] {"environment", "create", "-f", "{yaml}"},
                        "ERROR: EnvironmentBuildUnsupported: 'build' in env.yml asks Hangar to build an image, and"
                                + " Hangar runs container images but builds none"),
                Arguments.of("a conda file beside an image", "name: py\nversion: 1\nimage: python:3.12\n"
                        + "conda_file: conda.yml\n", new String[] {"environment", "create", "-f", "{yaml}"},
                        "ERROR: EnvironmentBuildUnsupported: 'conda_file' in env.yml asks Hangar to build an image"),
                Arguments.of("no image", null, new String[] {"environment", "create", "-n", "py", "--version", "1"},
                        "ERROR: MissingEnvironmentField: an environment version needs a name, a version and an image"),
                Arguments.of("no version", "name: py\nimage: python:3.12\n",
                        new String[] {"environment", "create", "-f", "{yaml}"},
                        "ERROR: MissingEnvironmentField: an environment version needs a name, a version and an image"),
                Arguments.of("a file that is not a mapping", "- just\n- a list\n",
                        new String[] {"environment", "create", "-f", "{yaml}"}, "ERROR: InvalidEnvironmentFile: "),
                Arguments.of("tags that are not a mapping", "name: py\nversion: 1\nimage: i\ntags: [a]\n",
                        new String[] {"environment", "create", "-f", "{yaml}"},
                        "ERROR: InvalidEnvironmentFile: "),
                Arguments.of("show without a version", null, new String[] {"environment", "show", "-n", "py"},
                        "ERROR: UsageError: Missing required option: '--version=VERSION'"),
                Arguments.of("no subcommand", null, new String[] {"environment"},
                        "ERROR: UsageError: an environment command is required"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusalsAreUsageErrorsAndSendNothing(String description, String yaml, String[] args, String errorLine)
            throws IOException {
        var file = home.resolve("env.yml");
        if (yaml != null) {
            Files.writeString(file, yaml);
        }
        var arguments = Arrays.stream(args).map(arg -> arg.replace("{yaml}", file.toString())).toArray(String[]::new);

        var result = cli.run(arguments);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.errLines()).last().asString().startsWith(errorLine);
        assertThat(server.requests()).noneMatch(request -> request.method().equals("PUT"));
    }

    @Test
    void showPrintsTheVersion() {
        server.on("GET", Arm.environmentVersion("py312", "1"), Reply.json(200, Arm.environment("py312", "1", IMAGE)));

        var result = cli.run("environment", "show", "--name", "py312", "--version", "1");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("""
                Name         py312
                Version      1
                Id           %s
                Image        docker.io/library/python:3.12
                Description  training
                OS type      Linux
                Anonymous    no
                Created      2025-01-02T03:04:05Z
                Created by   alice
                Tags         team=ml
                """.formatted(Arm.environmentVersion("py312", "1")));
    }

    @Test
    void aVersionThatIsNotThereIsNotFound() {
        server.on("GET", Arm.environmentVersion("py312", "9"), Reply.json(404, Arm.error("ResourceNotFound",
                "Environment 'py312' version 9 was not found in workspace 'ws1'.")));

        var result = cli.run("environment", "show", "-n", "py312", "--version", "9");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(result.errLines()).containsExactly("ERROR: ResourceNotFound: Environment 'py312' version 9 was not"
                + " found in workspace 'ws1'.");
    }

    @Test
    void listPrintsEveryPageNewestFirst() {
        server.on("GET", Arm.environmentVersions("py312"), Reply.json(200, Arm.page("{base}"
                + Arm.environmentVersions("py312") + "?$skipToken=2", Arm.environment("py312", "3", IMAGE),
                Arm.environment("py312", "2", "python:3.11"))));
        server.on("GET", Arm.environmentVersions("py312") + "?$skipToken=2", Reply.json(200,
                Arm.page(null, Arm.environment("py312", "1", "python:3.10"))));

        var table = cli.run("environment", "list", "--name", "py312");
        var asJson = cli.run("environment", "list", "--name", "py312", "-o", "json");

        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.outLines()).containsExactly(
                "VERSION  IMAGE                          CREATED",
                "3        docker.io/library/python:3.12  2025-01-02T03:04:05Z",
                "2        python:3.11                    2025-01-02T03:04:05Z",
                "1        python:3.10                    2025-01-02T03:04:05Z");
        assertThat(parse(asJson.out()).get("value")).hasSize(3);
    }

    @Test
    void listWithoutANameShowsEveryEnvironmentWithItsLatestVersionAndType() {
        var environments = ArmServer.WORKSPACE + "/environments";
        server.on("GET", environments, Reply.json(200, Arm.page(null, """
                {"id":"%1$s/hangar-instance","name":"hangar-instance",
                 "type":"Microsoft.MachineLearningServices/workspaces/environments",
                 "properties":{"latestVersion":"1","environmentType":"Curated"}}""".formatted(environments), """
                {"id":"%1$s/py312","name":"py312","type":"Microsoft.MachineLearningServices/workspaces/environments",
                 "properties":{"latestVersion":"3","nextVersion":"4","environmentType":"UserCreated"}}"""
                .formatted(environments))));

        var table = cli.run("environment", "list");

        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.outLines()).containsExactly(
                "NAME             LATEST  TYPE",
                "hangar-instance  1       Curated",
                "py312            3       UserCreated");
    }

    private JsonNode sent(String path) {
        return parse(server.requests("PUT", path).get(0).body());
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(text, e);
        }
    }
}
