package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.testkit.server.LocalInstances;
import dev.hangar.testkit.server.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start/stop schedules through the API of a real server, looked at every second: a schedule is shown as it was given
 * (with its id, its Windows time zone kept), fires on the clock as a Stop whose trigger is Schedule, and a schedule
 * that cannot fire is refused with nothing recorded. (The wall-clock arithmetic across daylight-saving changes is
 * {@code SchedulesTest}'s and {@code ScheduleTimesTest}'s, with a test clock.)
 */
class SchedulesIT {
    static final String WS = WireFormatIT.WS;

    @TempDir
    static Path data;
    static ServerProcess server;
    static Https https;
    static String token;

    @BeforeAll
    static void start() {
        server = new ServerProcess(data, Map.of("HANGAR_RECONCILE_SCHEDULE_INTERVAL", "PT1S")).start();
        https = new Https(server.url(), server.certificate());
        token = server.adminToken();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        new LocalInstances(data).processes().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void aScheduleIsShownAsGivenAndStopsTheInstanceOnTheClock() {
        var created = https.send("PUT", WS + "/computes/timed", token, body("""
                {"action":"Stop","status":"Enabled","triggerType":"Cron",
                 "cron":{"expression":"* * * * *","timeZone":"Pacific Standard Time","startTime":"2026-01-01T00:00:00"}},
                {"action":"Start","status":"Disabled","triggerType":"Recurrence",
                 "recurrence":{"frequency":"Week","interval":1,"timeZone":"W. Europe Standard Time",
                               "schedule":{"hours":[8],"minutes":[30],"weekDays":["Monday","friday"]}}}"""));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        var schedules = get("timed").at("/properties/properties/schedules/computeStartStop");
        assertThat(schedules).hasSize(2);
        var stop = schedules.get(0);
        assertThat(stop.get("id").asText()).isNotBlank();
        assertThat(stop.get("provisioningStatus").asText()).isEqualTo("Completed");
        assertThat(stop.at("/cron/timeZone").asText()).isEqualTo("Pacific Standard Time");
        assertThat(stop.at("/cron/startTime").asText()).isEqualTo("2026-01-01T00:00:00");
        var start = schedules.get(1);
        assertThat(start.get("status").asText()).isEqualTo("Disabled");
        assertThat(start.at("/recurrence/schedule/weekDays").toString()).isEqualTo("[\"Monday\",\"Friday\"]");

        // It was created (Running) and then, at the turn of a minute, stopped by its schedule.
        await("the schedule stops it").atMost(Duration.ofSeconds(100)).pollInterval(Duration.ofMillis(500))
                .until(() -> get("timed").at("/properties/properties/state").asText().equals("Stopped"));
        var last = get("timed").at("/properties/properties/lastOperation");
        assertThat(last.get("operationName").asText()).isEqualTo("Stop");
        assertThat(last.get("operationTrigger").asText()).isEqualTo("Schedule");
        var history = https.send("GET", WS + "/computes/timed/history", token, null).body();
        assertThat(history).contains("fired at");

        // A PUT that sends the schedules back changes nothing; one without schedules keeps them.
        var again = https.send("PUT", WS + "/computes/timed", token, WireFormatIT.CREATE);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(get("timed").at("/properties/properties/schedules/computeStartStop")).hasSize(2);
        var delete = https.send("DELETE", WS + "/computes/timed?underlyingResourceAction=Delete", token, null);
        https.waitForOperation(delete.headers().firstValue("Azure-AsyncOperation").orElseThrow(), token);
    }

    @Test
    void aScheduleThatCannotFireIsRefusedWithNothingRecorded() {
        refused("{\"action\":\"Stop\",\"triggerType\":\"Cron\",\"cron\":{\"expression\":\"0 25 * * *\"}}",
                "InvalidCronExpression", "cron.expression");
        refused("{\"action\":\"Stop\",\"triggerType\":\"Cron\",\"cron\":{\"expression\":\"0 18 * * *\","
                + "\"timeZone\":\"Gondor Standard Time\"}}", "InvalidTimeZone", "cron.timeZone");
        refused("{\"action\":\"Pause\",\"triggerType\":\"Cron\",\"cron\":{\"expression\":\"0 18 * * *\"}}",
                "InvalidSchedule", "action");
        refused("{\"action\":\"Stop\",\"triggerType\":\"Recurrence\",\"recurrence\":{\"frequency\":\"Week\","
                + "\"interval\":1,\"schedule\":{\"hours\":[18],\"minutes\":[0]}}}", "InvalidSchedule",
                "recurrence.schedule.weekDays");
        refused("{\"action\":\"Stop\",\"triggerType\":\"Recurrence\",\"recurrence\":{\"frequency\":\"Day\","
                + "\"interval\":1,\"schedule\":{\"hours\":[18],\"minutes\":[0],\"weekDays\":[\"Caturday\"]}}}",
                "InvalidSchedule", "recurrence.schedule.weekDays");
        refused("{\"action\":\"Stop\",\"triggerType\":\"Cron\",\"cron\":{\"expression\":\"0 18 * * *\","
                + "\"startTime\":\"tomorrow\"}}", "InvalidSchedule", "cron.startTime");
    }

    private static void refused(String schedule, String code, String target) {
        var refused = https.send("PUT", WS + "/computes/refused", token, body(schedule));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        var error = Https.json(refused).get("error");
        assertThat(error.get("code").asText()).as(refused.body()).isEqualTo(code);
        assertThat(error.get("target").asText()).isEqualTo(
                "properties.properties.schedules.computeStartStop[0]." + target);
        assertThat(https.send("GET", WS + "/computes/refused", token, null).statusCode()).isEqualTo(404);
    }

    private static String body(String schedules) {
        return """
                {"location":"local","properties":{"computeType":"ComputeInstance","properties":{
                "vmSize":"STANDARD_DS1_V2","schedules":{"computeStartStop":[%s]}}}}""".formatted(schedules);
    }

    private static JsonNode get(String name) {
        return Https.json(https.send("GET", WS + "/computes/" + name, token, null));
    }
}
