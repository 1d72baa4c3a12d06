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

/** {@code hangar compute} on an instance's start/stop schedules: create from az's YAML, and show. */
class ScheduleCommandsTest {
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
    void createSendsAzsCronAndRecurrenceSchedulesInAzureMlsWireFormat() throws IOException {
        var file = Files.writeString(home.resolve("instance.yml"), INSTANCE + """
                schedules:
                  compute_start_stop:
                    - action: stop
                      state: enabled
                      trigger:
                        type: cron
                        start_time: "2021-03-10T21:21:07"
                        time_zone: Pacific Standard Time
                        expression: 0 18 * * *
                    - action: start
                      trigger:
                        type: recurrence
                        frequency: week
                        interval: 1
                        time_zone: UTC
                        schedule:
                          week_days: [monday, friday]
                          hours: [8]
                          minutes: [0]
                """);

        var result = cli.run("compute", "create", "-f", file.toString(), "--no-wait");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(sent().at("/properties/properties/schedules")).isEqualTo(parse("""
                {"computeStartStop":[
                  {"status":"Enabled","action":"Stop","triggerType":"Cron",
                   "cron":{"startTime":"2021-03-10T21:21:07","timeZone":"Pacific Standard Time",
                           "expression":"0 18 * * *"}},
                  {"status":"Enabled","action":"Start","triggerType":"Recurrence",
                   "recurrence":{"frequency":"Week","interval":1,"timeZone":"UTC",
                                 "schedule":{"hours":[8],"minutes":[0],"weekDays":["Monday","Friday"]}}}]}"""));
    }

    @Test
    void createSendsDisabledSchedulesInAnyCaseAndAMonthlyOne() throws IOException {
        var file = Files.writeString(home.resolve("instance.yml"), INSTANCE + """
                schedules:
                  compute_start_stop:
                    - action: Stop
                      state: disabled
                      trigger: {type: cron, expression: "0 18 * * 1-5", time_zone: W. Europe Standard Time}
                    - action: start
                      state: DISABLED
                      trigger:
                        type: Recurrence
                        frequency: month
                        start_time: 2026-03-01T00:00:00
                        schedule: {month_days: [1, 15], hours: [7, 19], minutes: [30]}
                """);

        var result = cli.run("compute", "create", "-f", file.toString(), "--no-wait");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(sent().at("/properties/properties/schedules")).isEqualTo(parse("""
                {"computeStartStop":[
                  {"status":"Disabled","action":"Stop","triggerType":"Cron",
                   "cron":{"timeZone":"W. Europe Standard Time","expression":"0 18 * * 1-5"}},
                  {"status":"Disabled","action":"Start","triggerType":"Recurrence",
                   "recurrence":{"frequency":"Month","startTime":"2026-03-01T00:00:00",
                                 "schedule":{"hours":[7,19],"minutes":[30],"monthDays":[1,15]}}}]}"""));
    }

    @Test
    void createReadsTheExampleOfTheSchedulesDocs() throws IOException {
        var file = Files.writeString(home.resolve("instance.yml"), INSTANCE + """
                schedules:
                  compute_start_stop:
                    - action: stop
                      trigger: {type: cron, expression: "0 18 * * *", time_zone: Pacific Standard Time}
                    - action: start
                      trigger:
                        type: recurrence
                        frequency: week
                        interval: 1
                        time_zone: W. Europe Standard Time
                        schedule: {week_days: [monday, tuesday, wednesday, thursday, friday], hours: [8], minutes: [0]}
                """);

        var result = cli.run("compute", "create", "-f", file.toString(), "--no-wait");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(sent().at("/properties/properties/schedules")).isEqualTo(parse("""
                {"computeStartStop":[
                  {"status":"Enabled","action":"Stop","triggerType":"Cron",
                   "cron":{"timeZone":"Pacific Standard Time","expression":"0 18 * * *"}},
                  {"status":"Enabled","action":"Start","triggerType":"Recurrence",
                   "recurrence":{"frequency":"Week","interval":1,"timeZone":"W. Europe Standard Time",
                                 "schedule":{"hours":[8],"minutes":[0],
                                             "weekDays":["Monday","Tuesday","Wednesday","Thursday","Friday"]}}}]}"""));
    }

    @Test
    void anEmptyListIsSentToRemoveTheSchedulesAndNoKeySendsNone() throws IOException {
        var empty = Files.writeString(home.resolve("empty.yml"), INSTANCE + "schedules:\n  compute_start_stop: []\n");
        var none = Files.writeString(home.resolve("none.yml"), INSTANCE);

        var emptied = cli.run("compute", "create", "-f", empty.toString(), "--no-wait");
        var kept = cli.run("compute", "create", "-f", none.toString(), "--no-wait");

        assertThat(emptied.exitCode()).as(emptied.err()).isZero();
        assertThat(kept.exitCode()).as(kept.err()).isZero();
        var puts = server.requests("PUT", Arm.compute("ci1"));
        assertThat(parse(puts.get(0).body()).at("/properties/properties/schedules"))
                .isEqualTo(parse("{\"computeStartStop\":[]}"));
        assertThat(parse(puts.get(1).body()).at("/properties/properties").has("schedules")).isFalse();
    }

    static Stream<Arguments> refusals() {
        var cron = "    trigger: {type: cron, expression: 0 18 * * *}\n";
        return Stream.of(
                Arguments.of("schedules that are a list", INSTANCE + "schedules:\n  - action: stop\n" + cron,
                        "{yaml}: schedules is a mapping of compute_start_stop, a list of schedules"),
                Arguments.of("compute_start_stop that is a mapping", INSTANCE + "schedules:\n  compute_start_stop:\n"
                        + "    action: stop\n", "{yaml}: schedules.compute_start_stop is a list of schedules"),
                Arguments.of("a key beside compute_start_stop", INSTANCE + "schedules:\n  compute_start_stop: []\n"
                        + "  startStop: []\n", "{yaml}: schedules has compute_start_stop, not 'startStop'"),
                Arguments.of("a schedule without an action", INSTANCE + "schedules:\n  compute_start_stop:\n"
                        + "  - state: enabled\n" + cron,
                        "{yaml}: schedules.compute_start_stop[0] needs an action: start or stop"),
                Arguments.of("a schedule without a trigger", INSTANCE + "schedules:\n  compute_start_stop:\n"
                        + "  - action: stop\n  - action: start\n",
                        "{yaml}: schedules.compute_start_stop[0] needs a trigger"),
                Arguments.of("an unknown key in a schedule", INSTANCE + "schedules:\n  compute_start_stop:\n"
                        + "  - action: stop\n    status: Enabled\n" + cron,
                        "{yaml}: schedules.compute_start_stop[0] has action, state and trigger, not 'status'"),
                Arguments.of("an unknown key in a trigger", INSTANCE + "schedules:\n  compute_start_stop:\n"
                        + "  - action: stop\n    trigger: {type: cron, expression: 0 18 * * *, timeZone: UTC}\n",
                        "{yaml}: schedules.compute_start_stop[0].trigger has type, expression, start_time and"
                                + " time_zone, not 'timeZone'"),
                Arguments.of("an unknown key in a recurrence's times", INSTANCE + "schedules:\n  compute_start_stop:\n"
                        + "  - action: stop\n    trigger: {type: recurrence, frequency: week,"
                        + " schedule: {weekDays: [monday], hours: [8]}}\n",
                        "{yaml}: schedules.compute_start_stop[0].trigger.schedule has hours, minutes, week_days and"
                                + " month_days, not 'weekDays'"),
                Arguments.of("a trigger type az does not have", INSTANCE + "schedules:\n  compute_start_stop:\n"
                        + "  - action: stop\n    trigger: {type: daily, expression: 0 18 * * *}\n",
                        "{yaml}: schedules.compute_start_stop[0].trigger.type is cron or recurrence, not 'daily'"),
                Arguments.of("hours that are not a list", INSTANCE + "schedules:\n  compute_start_stop:\n"
                        + "  - action: stop\n    trigger: {type: recurrence, frequency: day, schedule: {hours: 8}}\n",
                        "{yaml}: schedules.compute_start_stop[0].trigger.schedule.hours is a list, not '8'"),
                Arguments.of("schedules for a cluster", "name: cl1\ntype: amlcompute\nsize: S\nschedules:\n"
                        + "  compute_start_stop:\n  - action: stop\n" + cron,
                        "InvalidComputeOption: schedules applies to type computeinstance only, not to amlcompute"));
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

    @Test
    void showPrintsARowPerSchedule() {
        server.on("GET", Arm.compute("ci1"), Reply.json(200, Arm.instance("ci1", "Running", Arm.ALICE, null)
                .replace("\"schedules\":null", """
                        "schedules":{"computeStartStop":[
                          {"id":"s1","provisioningStatus":"Completed","status":"Enabled","action":"Stop",
                           "triggerType":"Cron","recurrence":null,
                           "cron":{"startTime":null,"timeZone":"Pacific Standard Time","expression":"0 18 * * *"}},
                          {"id":"s2","provisioningStatus":"Completed","status":"Disabled","action":"Start",
                           "triggerType":"Recurrence","cron":null,
                           "recurrence":{"frequency":"Week","interval":1,"startTime":null,"timeZone":"UTC",
                            "schedule":{"hours":[8],"minutes":[0],"monthDays":null,"weekDays":["Monday","Friday"]}}},
                          {"id":"s3","provisioningStatus":"Completed","status":"Enabled","action":"Stop",
                           "triggerType":"Recurrence","cron":null,
                           "recurrence":{"frequency":"Month","interval":2,"startTime":"2026-03-01T00:00:00",
                            "timeZone":"Europe/Berlin",
                            "schedule":{"hours":[19,7],"minutes":[30],"monthDays":[1,15],"weekDays":null}}},
                          {"id":"s4","provisioningStatus":"Completed","status":"Enabled","action":"Start",
                           "triggerType":"Recurrence","cron":null,
                           "recurrence":{"frequency":"Hour","interval":3,"startTime":null,"timeZone":"UTC",
                            "schedule":{"hours":[],"minutes":[15,45],"monthDays":null,"weekDays":null}}}]}""")));
        server.on("GET", Arm.compute("ci1") + "/history", Reply.json(200, Arm.history("ci1")));

        var result = cli.run("compute", "show", "-n", "ci1");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).containsSubsequence(
                "Idle shutdown       off",
                "Schedule            Stop at '0 18 * * *' (Pacific Standard Time), enabled",
                "Schedule            Start every 1 Week on Monday, Friday at 08:00 (UTC), disabled",
                "Schedule            Stop every 2 Month on day 1, 15 at 07:30, 19:30 (Europe/Berlin), from"
                        + " 2026-03-01T00:00:00, enabled",
                "Schedule            Start every 3 Hour at minute 15, 45 (UTC), enabled",
                "Last operation      -");
    }

    @Test
    void showPrintsNoScheduleRowForAnInstanceWithout() {
        server.on("GET", Arm.compute("ci1"), Reply.json(200, Arm.instance("ci1", "Running", Arm.ALICE, null)));
        server.on("GET", Arm.compute("ci1") + "/history", Reply.json(200, Arm.history("ci1")));

        var result = cli.run("compute", "show", "-n", "ci1");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).noneMatch(line -> line.startsWith("Schedule"));
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
