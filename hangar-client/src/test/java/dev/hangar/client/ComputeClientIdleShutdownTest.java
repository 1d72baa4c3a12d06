package dev.hangar.client;

import dev.hangar.testkit.arm.TestCertificates;
import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.api.ComputeInstanceProperties;
import dev.hangar.testkit.arm.ArmServer.Reply;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An instance's idle shutdown through {@link ComputeClient}: at creation, updated, and kept off by a keep-alive. */
class ComputeClientIdleShutdownTest {
    private final ArmServer server = ArmServer.start();
    private final HangarClient client = HangarClient.builder().server(server.uri()).token(ArmServer.TOKEN)
            .caCertificate(TestCertificates.get("hangar-test", TestCertificates.LOCALHOST).pem()).build();
    private final ComputeClient computes = client.workspace(ArmServer.WORKSPACE);
    private final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({"PT30M, PT30M", "PT2H, PT120M", "P1D, PT1440M", "PT20M30S, PT20M30S"})
    void createInstanceSendsTheIdleTimeInMinutesAsAzDoes(String idleTime, String sent) throws Exception {
        server.on("PUT", Arm.compute("ci1"), Arm.accepted(Reply.json(201,
                Arm.instance("ci1", "Creating", Arm.ALICE, null)), "op-1", 0));

        computes.createInstance("ci1", InstanceSpec.of("Standard_DS3_v2")
                .withIdleTimeBeforeShutdown(Duration.parse(idleTime)));

        assertThat(json.readTree(server.requests("PUT", Arm.compute("ci1")).get(0).body())
                .at("/properties/properties/idleTimeBeforeShutdown").asText()).isEqualTo(sent);
    }

    @Test
    void createInstanceWithoutAnIdleTimeSendsNone() throws Exception {
        server.on("PUT", Arm.compute("ci1"), Arm.accepted(Reply.json(201,
                Arm.instance("ci1", "Creating", Arm.ALICE, null)), "op-1", 0));

        computes.createInstance("ci1", InstanceSpec.of("Standard_DS3_v2"));

        assertThat(json.readTree(server.requests("PUT", Arm.compute("ci1")).get(0).body())
                .at("/properties/properties").has("idleTimeBeforeShutdown")).isFalse();
    }

    @Test
    void updateIdleShutdownPostsTheIdleTimeAndReturnsTheInstanceAsAnswered() throws Exception {
        server.on("POST", Arm.compute("ci1") + "/updateIdleShutdownSetting", Reply.json(200, instance("\"PT2H\"")));

        var operation = computes.updateIdleShutdown("ci1", Duration.ofMinutes(120));

        assertThat(operation.action()).isEqualTo(LongRunningOperation.Action.UPDATE);
        assertThat(operation.isDone()).isTrue();
        assertThat(operation.resource()).hasValueSatisfying(compute -> assertThat(
                ((ComputeInstanceProperties) compute.properties().properties()).idleTimeBeforeShutdown())
                .isEqualTo("PT2H"));
        assertThat(json.readTree(server.requests("POST", Arm.compute("ci1") + "/updateIdleShutdownSetting").get(0)
                .body())).isEqualTo(json.readTree("{\"idleTimeBeforeShutdown\":\"PT120M\"}"));
    }

    @Test
    void updateIdleShutdownToNullSendsAnEmptyIdleTime() throws Exception {
        server.on("POST", Arm.compute("ci1") + "/updateIdleShutdownSetting", Reply.json(200, instance("null")));

        computes.updateIdleShutdown("ci1", null);

        assertThat(json.readTree(server.requests("POST", Arm.compute("ci1") + "/updateIdleShutdownSetting").get(0)
                .body())).isEqualTo(json.readTree("{\"idleTimeBeforeShutdown\":\"\"}"));
    }

    @Test
    void aRefusedIdleTimeThrowsTheServersError() {
        server.on("POST", Arm.compute("ci1") + "/updateIdleShutdownSetting", Reply.json(400, Arm.error(
                "InvalidIdleTime", "The idle time before shutdown is from 15 minutes to 3 days, not PT5M.")));

        assertThatThrownBy(() -> computes.updateIdleShutdown("ci1", Duration.ofMinutes(5)))
                .isInstanceOfSatisfying(HangarException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("InvalidIdleTime");
                });
    }

    @Test
    void keepAlivePostsTheDurationAndReturnsWhenTheLeaseEnds() throws Exception {
        server.on("POST", Arm.compute("ci1") + "/keepAlive",
                Reply.json(200, "{\"keepAliveUntil\":\"2026-11-24T20:00:00Z\"}"));

        var until = computes.keepAlive("ci1", Duration.ofHours(2));

        assertThat(until).contains(Instant.parse("2026-11-24T20:00:00Z"));
        assertThat(json.readTree(server.requests("POST", Arm.compute("ci1") + "/keepAlive").get(0).body()))
                .isEqualTo(json.readTree("{\"duration\":\"PT2H\"}"));
    }

    @Test
    void aKeepAliveOfZeroEndsTheLease() throws Exception {
        server.on("POST", Arm.compute("ci1") + "/keepAlive", Reply.json(200, "{\"keepAliveUntil\":null}"));

        var until = computes.keepAlive("ci1", Duration.ZERO);

        assertThat(until).isEmpty();
        assertThat(json.readTree(server.requests("POST", Arm.compute("ci1") + "/keepAlive").get(0).body()))
                .isEqualTo(json.readTree("{\"duration\":\"PT0S\"}"));
    }

    /** Instance ci1, running, with the idle time the server writes as {@code idleTime} (JSON: a string or null). */
    private static String instance(String idleTime) {
        return Arm.instance("ci1", "Running", Arm.ALICE, null).replace("\"idleTimeBeforeShutdown\":null",
                "\"idleTimeBeforeShutdown\":" + idleTime);
    }
}
