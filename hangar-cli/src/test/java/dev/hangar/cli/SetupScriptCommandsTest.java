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
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code hangar compute} on an instance's setup scripts: create (options and YAML), show, and logs. */
class SetupScriptCommandsTest {
    private static final String START = "#!/bin/bash\necho started\n";
    private static final String SCRIPTS = """
            {"scripts":{
              "creationScript":{"scriptSource":"workspaceStorage","scriptData":"Users/alice/setup.sh",
               "scriptArguments":"--name 'a b'","timeout":"30m"},
              "startupScript":{"scriptSource":"inline","scriptData":"%s","scriptArguments":null,"timeout":"15m"}}}"""
            .formatted(base64(START));

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
    void createSendsTheScriptsOfTheOptionsAsAzureDoes() throws IOException {
        var start = Files.writeString(home.resolve("start.sh"), START);

        var result = cli.run("compute", "create", "-n", "ci1", "-s", "Standard_DS3_v2",
                "--setup-script", "Users/alice/setup.sh", "--setup-script-args", "--name 'a b'",
                "--setup-script-timeout", "10", "--startup-script-inline", start.toString(), "--no-wait");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(sent().at("/properties/properties/setupScripts")).isEqualTo(parse("""
                {"scripts":{
                  "creationScript":{"scriptSource":"workspaceStorage","scriptData":"Users/alice/setup.sh",
                   "scriptArguments":"--name 'a b'","timeout":"10m"},
                  "startupScript":{"scriptSource":"inline","scriptData":"%s"}}}""".formatted(base64(START))));
    }

    @Test
    void createFromYamlWithOptionsOverridingItsScriptsKeys() throws IOException {
        var file = Files.writeString(home.resolve("instance.yml"), """
                name: ci1
                type: computeinstance
                size: Standard_DS3_v2
                setup_scripts:
                  creation_script:
                    path: Users/alice/setup.sh
                    command: "--name 'a b'"
                    timeout_minutes: 10
                  startup_script:
                    path: Users/alice/start.sh
                """);
        var start = Files.writeString(home.resolve("start.sh"), START);

        var yamlOnly = cli.run("compute", "create", "-f", file.toString(), "--no-wait");
        var overridden = cli.run("compute", "create", "-f", file.toString(), "--setup-script-timeout", "5",
                "--startup-script-inline", start.toString(), "--startup-script-args", "--verbose", "--no-wait");

        assertThat(yamlOnly.exitCode()).as(yamlOnly.err()).isZero();
        assertThat(yamlOnly.err()).isEmpty();
        assertThat(overridden.exitCode()).as(overridden.err()).isZero();
        var puts = server.requests("PUT", Arm.compute("ci1"));
        assertThat(parse(puts.get(0).body()).at("/properties/properties/setupScripts")).isEqualTo(parse("""
                {"scripts":{
                  "creationScript":{"scriptSource":"workspaceStorage","scriptData":"Users/alice/setup.sh",
                   "scriptArguments":"--name 'a b'","timeout":"10m"},
                  "startupScript":{"scriptSource":"workspaceStorage","scriptData":"Users/alice/start.sh"}}}"""));
        assertThat(parse(puts.get(1).body()).at("/properties/properties/setupScripts")).isEqualTo(parse("""
                {"scripts":{
                  "creationScript":{"scriptSource":"workspaceStorage","scriptData":"Users/alice/setup.sh",
                   "scriptArguments":"--name 'a b'","timeout":"5m"},
                  "startupScript":{"scriptSource":"inline","scriptData":"%s","scriptArguments":"--verbose"}}}"""
                .formatted(base64(START))));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("a script both in the share and inline", null, new String[] {"compute", "create", "-n",
                    "ci1", "-s", "S", "--setup-script", "Users/alice/setup.sh", "--setup-script-inline", "{start}"},
                        "ERROR: UsageError: --setup-script and --setup-script-inline exclude each other"),
                Arguments.of("an inline script that cannot be read", null, new String[] {"compute", "create", "-n",
                    "ci1", "-s", "S", "--startup-script-inline", "{start}.missing"},
                        "ERROR: UsageError: cannot read the --startup-script-inline file "),
                Arguments.of("a script for a cluster", null, new String[] {"compute", "create", "-n", "cl1", "--type",
                    "amlcompute", "-s", "S", "--startup-script", "Users/alice/start.sh"},
                        "ERROR: InvalidComputeOption: --startup-script (setup_scripts.startup_script) applies to type"
                                + " computeinstance only, not to amlcompute"),
                Arguments.of("a timeout that is not a number", "name: ci1\nsize: S\nsetup_scripts:\n  creation_script:\n"
                        + "    path: Users/alice/setup.sh\n    timeout_minutes: soon\n",
                        new String[] {"compute", "create", "-f", "{yaml}"}, "ERROR: InvalidComputeFile: "),
                Arguments.of("a key az does not have", "name: ci1\nsize: S\nsetup_scripts:\n  startup_script:\n"
                        + "    script: Users/alice/start.sh\n", new String[] {"compute", "create", "-f", "{yaml}"},
                        "ERROR: InvalidComputeFile: "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusalsAreUsageErrorsAndSendNothing(String description, String yaml, String[] args, String errorLine)
            throws IOException {
        var start = Files.writeString(home.resolve("start.sh"), START);
        var file = home.resolve("compute.yml");
        if (yaml != null) {
            Files.writeString(file, yaml);
        }
        var arguments = Arrays.stream(args).map(arg -> arg.replace("{yaml}", file.toString())
                .replace("{start}", start.toString())).toArray(String[]::new);

        var result = cli.run(arguments);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.errLines()).last().asString().startsWith(errorLine);
        assertThat(server.requests()).noneMatch(request -> request.method().equals("PUT"));
    }

    @Test
    void showPrintsTheScripts() {
        showing("Running", SCRIPTS);
        server.on("GET", Arm.compute("ci1") + "/history", Reply.json(200, Arm.history("ci1")));

        var result = cli.run("compute", "show", "-n", "ci1");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).contains(
                "Creation script     Users/alice/setup.sh (workspaceStorage), arguments --name 'a b', timeout 30m",
                "Startup script      (inline), timeout 15m");
    }

    @ParameterizedTest(name = "{1} log {0}")
    @CsvSource({"'', creation", "--setup, creation", "--startup, startup"})
    void logsPrintsTheScriptsLog(String option, String log) {
        server.on("GET", ArmServer.WORKSPACE + "/files/Logs/ci1/" + log + ".log",
                Reply.json(200, "== Hangar: the " + log + " script\nhello ✓\n"));
        var args = option.isEmpty() ? new String[] {"compute", "logs", "-n", "ci1"}
                : new String[] {"compute", "logs", "-n", "ci1", option};

        var result = cli.run(args);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("== Hangar: the " + log + " script\nhello ✓\n");
        assertThat(server.requests("GET", Arm.compute("ci1"))).isEmpty();
    }

    @ParameterizedTest(name = "ending {0}")
    @CsvSource({"Running, 0", "SetupFailed, 1"})
    void followPrintsWhatIsAddedWhileSettingUp(String end, int exitCode) {
        server.on("GET", Arm.compute("ci1"),
                Reply.json(200, instance("SettingUp", SCRIPTS)), Reply.json(200, instance("SettingUp", SCRIPTS)),
                Reply.json(200, instance(end, SCRIPTS)));
        server.on("GET", ArmServer.WORKSPACE + "/files/Logs/ci1/creation.log",
                Reply.json(404, Arm.error("FileNotFound", "Nothing is at 'Logs/ci1/creation.log' in the file share.")),
                Reply.json(200, "step 1\n"), Reply.json(200, "step 1\nstep 2\ndone\n"));

        var result = cli.run("compute", "logs", "-n", "ci1", "--setup", "--follow");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(exitCode);
        assertThat(result.out()).isEqualTo("step 1\nstep 2\ndone\n");
        assertThat(result.errLines()).containsExactly("Compute 'ci1' is " + end + ".");
        assertThat(server.requests("GET", ArmServer.WORKSPACE + "/files/Logs/ci1/creation.log")).hasSize(3);
    }

    /** A restart's startup log, followed from before the script runs: the earlier start's log is not printed. */
    @Test
    void followWaitsForTheScriptsOfAStartToBegin() {
        server.on("GET", Arm.compute("ci1"), Reply.json(200, instance("Restarting", SCRIPTS)),
                Reply.json(200, instance("Restarting", SCRIPTS)), Reply.json(200, instance("SettingUp", SCRIPTS)),
                Reply.json(200, instance("Running", SCRIPTS)));
        server.on("GET", ArmServer.WORKSPACE + "/files/Logs/ci1/startup.log", Reply.json(200, "this start\n"),
                Reply.json(200, "this start\ndone\n"));

        var result = cli.run("compute", "logs", "-n", "ci1", "--startup", "--follow");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("this start\ndone\n");
        assertThat(result.errLines()).containsExactly("Compute 'ci1' is Running.");
        assertThat(server.requests("GET", ArmServer.WORKSPACE + "/files/Logs/ci1/startup.log")).hasSize(2);
    }

    @ParameterizedTest(name = "--{0}")
    @ValueSource(strings = {"setup", "startup"})
    void aMissingLogSaysWhy(String option) {
        var log = option.equals("setup") ? "creation.log" : "startup.log";
        server.on("GET", ArmServer.WORKSPACE + "/files/Logs/ci1/" + log, Reply.json(404, Arm.error("FileNotFound",
                "Nothing is at 'Logs/ci1/" + log + "' in the file share.")));
        showing("Creating", """
                {"scripts":{"creationScript":{"scriptSource":"workspaceStorage","scriptData":"Users/alice/setup.sh",
                 "scriptArguments":null,"timeout":"30m"},"startupScript":null}}""");

        var result = cli.run("compute", "logs", "-n", "ci1", "--" + option);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(result.errLines()).containsExactly(option.equals("setup")
                ? "ERROR: LogNotFound: the creation script of 'ci1' has not run yet: there is no Logs/ci1/creation.log"
                        + " yet"
                : "ERROR: LogNotFound: compute 'ci1' has no startup script, so there is no Logs/ci1/startup.log");
    }

    @Test
    void logsOfBothScriptsIsAUsageError() {
        var result = cli.run("compute", "logs", "-n", "ci1", "--setup", "--startup");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.errLines()).singleElement().asString()
                .startsWith("ERROR: UsageError: --setup and --startup exclude each other");
        assertThat(server.requests()).noneMatch(request -> request.path().contains("/files/"));
    }

    private void showing(String state, String setupScripts) {
        server.on("GET", Arm.compute("ci1"), Reply.json(200, instance(state, setupScripts)));
    }

    private static String instance(String state, String setupScripts) {
        return Arm.instance("ci1", state, Arm.ALICE, null).replace("\"setupScripts\":null",
                "\"setupScripts\":" + setupScripts);
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

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
