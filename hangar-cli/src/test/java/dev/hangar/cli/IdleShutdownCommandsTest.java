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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code hangar compute} on an instance's idle shutdown: create (options and YAML), update, keepalive and show. */
class IdleShutdownCommandsTest {
    private static final String UPDATE = Arm.compute("ci1") + "/updateIdleShutdownSetting";
    private static final String KEEP_ALIVE = Arm.compute("ci1") + "/keepAlive";
    private static final String UNTIL = "2026-11-24T20:00:00Z";

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

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"--idle-time-before-shutdown-minutes, 60, PT60M", "--idle-time-before-shutdown, PT45M, PT45M",
        "--idle-time-before-shutdown, PT2H, PT120M"})
    void createSendsTheIdleTimeOfEitherOptionInMinutes(String option, String value, String sent) {
        var result = cli.run("compute", "create", "-n", "ci1", "-s", "Standard_DS3_v2", option, value, "--no-wait");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(sent("PUT", Arm.compute("ci1"), 0).at("/properties/properties/idleTimeBeforeShutdown").asText())
                .isEqualTo(sent);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"idle_time_before_shutdown: PT30M, PT30M", "idle_time_before_shutdown_minutes: 90, PT90M"})
    void createFromYamlWithAnOptionOverridingItsIdleTime(String key, String sent) throws IOException {
        var file = Files.writeString(home.resolve("instance.yml"), """
                name: ci1
                type: computeinstance
                size: Standard_DS3_v2
                %s
                """.formatted(key));

        var yamlOnly = cli.run("compute", "create", "-f", file.toString(), "--no-wait");
        var overridden = cli.run("compute", "create", "-f", file.toString(), "--idle-time-before-shutdown", "PT1H",
                "--no-wait");

        assertThat(yamlOnly.exitCode()).as(yamlOnly.err()).isZero();
        assertThat(yamlOnly.err()).isEmpty();
        assertThat(overridden.exitCode()).as(overridden.err()).isZero();
        assertThat(sent("PUT", Arm.compute("ci1"), 0).at("/properties/properties/idleTimeBeforeShutdown").asText())
                .isEqualTo(sent);
        assertThat(sent("PUT", Arm.compute("ci1"), 1).at("/properties/properties/idleTimeBeforeShutdown").asText())
                .isEqualTo("PT60M");
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("both idle time options", null, new String[] {"compute", "create", "-n", "ci1", "-s", "S",
                    "--idle-time-before-shutdown-minutes", "60", "--idle-time-before-shutdown", "PT1H"},
                        "ERROR: UsageError: --idle-time-before-shutdown-minutes and --idle-time-before-shutdown"
                                + " exclude each other"),
                Arguments.of("minutes given as a duration", null, new String[] {"compute", "create", "-n", "ci1", "-s",
                    "S", "--idle-time-before-shutdown", "60"},
                        "ERROR: UsageError: Invalid value for option '--idle-time-before-shutdown': '60' is not an"
                                + " ISO-8601 duration: give PT60M, or --idle-time-before-shutdown-minutes 60"),
                Arguments.of("an idle time for a cluster", null, new String[] {"compute", "create", "-n", "cl1",
                    "--type", "amlcompute", "-s", "S", "--idle-time-before-shutdown-minutes", "60"},
                        "ERROR: InvalidComputeOption: --idle-time-before-shutdown[-minutes]"
                                + " (idle_time_before_shutdown[_minutes]) applies to type computeinstance only, not to"
                                + " amlcompute"),
                Arguments.of("both idle time keys", "name: ci1\nsize: S\nidle_time_before_shutdown: PT1H\n"
                        + "idle_time_before_shutdown_minutes: 60\n", new String[] {"compute", "create", "-f", "{yaml}"},
                        "ERROR: InvalidComputeFile: {yaml}: idle_time_before_shutdown and"
                                + " idle_time_before_shutdown_minutes exclude each other"),
                Arguments.of("minutes given as the ISO key", "name: ci1\nsize: S\nidle_time_before_shutdown: 60\n",
                        new String[] {"compute", "create", "-f", "{yaml}"},
                        "ERROR: InvalidComputeFile: {yaml}: idle_time_before_shutdown is an ISO-8601 duration such as"
                                + " PT30M, not '60'; minutes are idle_time_before_shutdown_minutes"),
                Arguments.of("a cluster's and an instance's options", null, new String[] {"compute", "update", "-n",
                    "ci1", "--max-instances", "2", "--idle-time-before-shutdown-minutes", "60"},
                        "ERROR: UsageError: scale settings are a cluster's and idle shutdown an instance's: give the"
                                + " options of one"),
                Arguments.of("an idle time and none", null, new String[] {"compute", "update", "-n", "ci1",
                    "--idle-time-before-shutdown", "PT1H", "--no-idle-shutdown"},
                        "ERROR: UsageError: --no-idle-shutdown and an idle time exclude each other"),
                Arguments.of("an update of nothing", null, new String[] {"compute", "update", "-n", "ci1"},
                        "ERROR: UsageError: nothing to update: give --min-instances, --max-instances or"
                                + " --idle-time-before-scale-down for a cluster, or --idle-time-before-shutdown-minutes,"
                                + " --idle-time-before-shutdown or --no-idle-shutdown for an instance"),
                Arguments.of("a keep-alive without a duration", null, new String[] {"compute", "keepalive", "-n",
                    "ci1"}, "ERROR: UsageError: Missing required option: '--for=DURATION'"),
                Arguments.of("a keep-alive without a unit", null, new String[] {"compute", "keepalive", "-n", "ci1",
                    "--for", "30"}, "ERROR: UsageError: Invalid value for option '--for': '30' is not a duration such"
                        + " as 2h, 90m, 45s, 1h30m or PT2H"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusalsAreUsageErrorsAndSendNothing(String description, String yaml, String[] args, String errorLine)
            throws IOException {
        var file = home.resolve("compute.yml");
        if (yaml != null) {
            Files.writeString(file, yaml);
        }
        var arguments = Arrays.stream(args).map(arg -> arg.replace("{yaml}", file.toString())).toArray(String[]::new);

        var result = cli.run(arguments);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.errLines()).last().asString().startsWith(errorLine.replace("{yaml}", file.toString()));
        assertThat(server.requests()).noneMatch(request -> !request.method().equals("GET"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(nullValues = "null", value = {
        "--idle-time-before-shutdown-minutes, 120, PT120M, PT2H, after 120 minutes",
        "--idle-time-before-shutdown, PT30M, PT30M, PT30M, after 30 minutes",
        "--no-idle-shutdown, null, '', null, off"})
    void updateSendsTheIdleTimeAndPrintsTheServersAnswer(String option, String value, String sent, String answered,
                                                        String line) {
        server.on("POST", UPDATE, Reply.json(200, instance(answered, null)));
        var args = value == null ? new String[] {"compute", "update", "-n", "ci1", option}
                : new String[] {"compute", "update", "-n", "ci1", option, value};

        var result = cli.run(args);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).containsExactly("Compute 'ci1': idle shutdown " + line + ".");
        assertThat(sent("POST", UPDATE, 0)).isEqualTo(parse("{\"idleTimeBeforeShutdown\":\"" + sent + "\"}"));
        assertThat(server.requests()).noneMatch(request -> request.method().equals("PATCH")
                || request.path().equals(Arm.compute("ci1")));
    }

    @Test
    void updateWithJsonOutputPrintsTheServersAnswer() {
        server.on("POST", UPDATE, Reply.json(200, instance("PT2H", null)));

        var result = cli.run("compute", "update", "-n", "ci1", "--idle-time-before-shutdown-minutes", "120", "-o",
                "json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(parse(result.out()).at("/properties/properties/idleTimeBeforeShutdown").asText()).isEqualTo("PT2H");
    }

    @Test
    void anIdleTimeForAClusterIsTheServersUsageError() {
        server.on("POST", Arm.compute("cl1") + "/updateIdleShutdownSetting", Reply.json(400, Arm.error(
                "OperationNotSupported", "Compute 'cl1' is an AmlCompute cluster, which scales down by its own idle"
                        + " time, nodeIdleTimeBeforeScaleDown.")));

        var result = cli.run("compute", "update", "-n", "cl1", "--idle-time-before-shutdown-minutes", "60");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.errLines()).containsExactly("ERROR: OperationNotSupported: Compute 'cl1' is an AmlCompute"
                + " cluster, which scales down by its own idle time, nodeIdleTimeBeforeScaleDown.");
    }

    @ParameterizedTest(name = "--for {0}")
    @CsvSource({"2h, PT2H", "90m, PT1H30M", "45s, PT45S", "1h30m, PT1H30M", "1d, PT24H", "PT2H, PT2H", "pt90m, PT1H30M"})
    void keepAliveSendsTheDurationAndPrintsWhenTheLeaseEnds(String duration, String sent) {
        server.on("POST", KEEP_ALIVE, Reply.json(200, "{\"keepAliveUntil\":\"" + UNTIL + "\"}"));

        var result = cli.run("compute", "keepalive", "-n", "ci1", "--for", duration);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).containsExactly("Compute 'ci1' counts as in use until " + UNTIL + ".");
        assertThat(sent("POST", KEEP_ALIVE, 0)).isEqualTo(parse("{\"duration\":\"" + sent + "\"}"));
    }

    @Test
    void keepAliveForZeroEndsTheLease() {
        server.on("POST", KEEP_ALIVE, Reply.json(200, "{\"keepAliveUntil\":null}"));

        var result = cli.run("compute", "keepalive", "-n", "ci1", "--for", "0");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).containsExactly("Compute 'ci1' no longer has a keep-alive.");
        assertThat(sent("POST", KEEP_ALIVE, 0)).isEqualTo(parse("{\"duration\":\"PT0S\"}"));
    }

    @ParameterizedTest(name = "until {0}")
    @CsvSource(nullValues = "null", value = {"'\"" + UNTIL + "\"'", "null"})
    void keepAliveWithJsonOutputPrintsTheServersAnswer(String until) {
        var answer = "{\"keepAliveUntil\":" + until + "}";
        server.on("POST", KEEP_ALIVE, Reply.json(200, answer));

        var result = cli.run("compute", "keepalive", "-n", "ci1", "--for", "2h", "-o", "json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(parse(result.out())).isEqualTo(parse(answer));
    }

    @Test
    void aKeepAliveTheServerRefusesIsAUsageError() {
        server.on("POST", KEEP_ALIVE, Reply.json(400, Arm.error("InvalidKeepAlive",
                "A keep-alive lasts from 0 (to end one) to 3 days, not PT96H.")));

        var result = cli.run("compute", "keepalive", "-n", "ci1", "--for", "4d");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.errLines()).containsExactly("ERROR: InvalidKeepAlive: A keep-alive lasts from 0 (to end one)"
                + " to 3 days, not PT96H.");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "null", value = {
        "an idle stop, PT30M, IdleShutdown, after 30 minutes, Stop by IdleShutdown",
        "a user's stop, null, User, off, Stop",
        "an idle time of a day, P1D, null, after 1440 minutes, Stop"})
    void showPrintsTheIdleTimeAndTheLastOperationsTriggerUnlessAUser(String description, String idleTime,
                                                                     String trigger, String idleLine, String operation) {
        var lastOperation = """
                {"operationName":"Stop","operationTime":"2026-11-24T19:00:00Z","operationStatus":"Succeeded",
                 "operationTrigger":%s}""".formatted(trigger == null ? "null" : "\"" + trigger + "\"");
        server.on("GET", Arm.compute("ci1"), Reply.json(200, instance(idleTime, lastOperation)));
        server.on("GET", Arm.compute("ci1") + "/history", Reply.json(200, Arm.history("ci1")));

        var result = cli.run("compute", "show", "-n", "ci1");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).contains("Idle shutdown       " + idleLine,
                "Last operation      " + operation + ", Succeeded, 2026-11-24T19:00:00Z");
    }

    /** Instance ci1, running, as the server writes it: {@code idleTime} is a duration or null. */
    private static String instance(String idleTime, String lastOperation) {
        return Arm.instance("ci1", "Running", Arm.ALICE, null)
                .replace("\"idleTimeBeforeShutdown\":null", "\"idleTimeBeforeShutdown\":"
                        + (idleTime == null ? "null" : "\"" + idleTime + "\""))
                .replace("\"lastOperation\":null", "\"lastOperation\":" + lastOperation);
    }

    private JsonNode sent(String method, String path, int index) {
        return parse(server.requests(method, path).get(index).body());
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(text, e);
        }
    }
}
