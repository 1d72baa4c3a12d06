package dev.hangar.client;

import dev.hangar.testkit.arm.TestCertificates;
import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.api.ComputeInstanceProperties.ComputeStartStopSchedule;
import dev.hangar.api.ComputeInstanceProperties.Cron;
import dev.hangar.api.ComputeInstanceProperties.Recurrence;
import dev.hangar.api.ComputeInstanceProperties.RecurrenceSchedule;
import dev.hangar.testkit.arm.ArmServer.Reply;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An instance's start/stop schedules through {@link ComputeClient#createInstance}: sent, sent empty, or not sent. */
class ComputeClientSchedulesTest {
    private static final ComputeStartStopSchedule STOP = new ComputeStartStopSchedule(null, null, "Enabled", "Stop",
            "Cron", null, new Cron("2026-03-01T00:00:00", "Pacific Standard Time", "0 18 * * *"));
    private static final ComputeStartStopSchedule START = new ComputeStartStopSchedule(null, null, "Disabled",
            "Start", "Recurrence", new Recurrence("Week", 1, null, "UTC",
                    new RecurrenceSchedule(List.of(8), List.of(0), null, List.of("Monday", "Friday"))), null);

    private final ArmServer server = ArmServer.start();
    private final HangarClient client = HangarClient.builder().server(server.uri()).token(ArmServer.TOKEN)
            .caCertificate(TestCertificates.get("hangar-test", TestCertificates.LOCALHOST).pem()).build();
    private final ComputeClient computes = client.workspace(ArmServer.WORKSPACE);
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void answerPuts() {
        server.on("PUT", Arm.compute("ci1"), Arm.accepted(Reply.json(201,
                Arm.instance("ci1", "Creating", Arm.ALICE, null)), "op-1", 0));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void createInstanceSendsTheSchedulesInAzureMlsWireFormat() throws Exception {
        computes.createInstance("ci1", InstanceSpec.of("Standard_DS3_v2").withSchedules(List.of(STOP, START)));

        assertThat(sent().at("/properties/properties/schedules")).isEqualTo(json.readTree("""
                {"computeStartStop":[
                  {"status":"Enabled","action":"Stop","triggerType":"Cron",
                   "cron":{"startTime":"2026-03-01T00:00:00","timeZone":"Pacific Standard Time",
                           "expression":"0 18 * * *"}},
                  {"status":"Disabled","action":"Start","triggerType":"Recurrence",
                   "recurrence":{"frequency":"Week","interval":1,"timeZone":"UTC",
                                 "schedule":{"hours":[8],"minutes":[0],"weekDays":["Monday","Friday"]}}}]}"""));
    }

    @Test
    void createInstanceWithNoSchedulesSendsAnEmptyListThatRemovesThem() throws Exception {
        computes.createInstance("ci1", InstanceSpec.of("Standard_DS3_v2").withSchedules(List.of()));

        assertThat(sent().at("/properties/properties/schedules")).isEqualTo(json.readTree("{\"computeStartStop\":[]}"));
    }

    @Test
    void createInstanceWithoutSchedulesSendsNoneSoThatAnInstanceKeepsItsOwn() throws Exception {
        computes.createInstance("ci1", InstanceSpec.of("Standard_DS3_v2").withDescription("notebooks"));

        assertThat(sent().at("/properties/properties").has("schedules")).isFalse();
    }

    @Test
    void aRefusedScheduleThrowsTheServersError() {
        server.on("PUT", Arm.compute("ci1"), Reply.json(400, Arm.error("InvalidCronExpression",
                "'0 18 * *' is not a cron expression of 5 fields.")));
        var fourFields = new ComputeStartStopSchedule(null, null, "Enabled", "Stop", "Cron", null,
                new Cron(null, "UTC", "0 18 * *"));

        assertThatThrownBy(() -> computes.createInstance("ci1", InstanceSpec.of("Standard_DS3_v2")
                .withSchedules(List.of(fourFields))))
                .isInstanceOfSatisfying(HangarException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("InvalidCronExpression");
                });
    }

    private JsonNode sent() throws Exception {
        return json.readTree(server.requests("PUT", Arm.compute("ci1")).get(0).body());
    }
}
