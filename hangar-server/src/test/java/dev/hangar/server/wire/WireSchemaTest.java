package dev.hangar.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.core.error.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The wire schemas refuse what the hostile-input run found stored or crashing, and take what Azure's clients send. */
class WireSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {
            """
            {"location":"local","tags":{"team":"vision"},"properties":{"computeType":"ComputeInstance",
             "description":"for the demo","properties":{"vmSize":"STANDARD_DS3_V2","applicationSharingPolicy":"Personal",
             "sshSettings":{"sshPublicAccess":"Enabled","adminPublicKey":"ssh-ed25519 AAAA me@host"},
             "idleTimeBeforeShutdown":"PT30M","personalComputeInstanceSettings":{"assignedUser":{"objectId":"x",
             "tenantId":"y"}},"setupScripts":{"scripts":{"creationScript":{"scriptSource":"inline",
             "scriptData":"ZWNobyBoaQ==","scriptArguments":"'a b' c","timeout":"5m"}}},
             "schedules":{"computeStartStop":[{"action":"Stop","triggerType":"Cron","status":"Enabled",
             "cron":{"expression":"0 18 * * *","timeZone":"Pacific Standard Time","startTime":"2026-01-01T00:00:00"}},
             {"action":"Start","triggerType":"Recurrence","recurrence":{"frequency":"Week","interval":1,
             "schedule":{"hours":[8],"minutes":[0],"weekDays":["Monday"]}}}]}},
             "createdOn":"2026-01-01T00:00:00Z","provisioningState":"Succeeded"}}""",
            """
            {"location":"local","properties":{"computeType":"AmlCompute","properties":{"vmSize":"Standard_DS1_v2",
             "vmPriority":"Dedicated","scaleSettings":{"minNodeCount":0,"maxNodeCount":4,
             "nodeIdleTimeBeforeScaleDown":"PT120S"}}},"tags":null}"""})
    void takesComputesAsAzuresClientsSendThem(String body) throws Exception {
        WireSchemas.COMPUTE.validate(JSON.readTree(body));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"location\":\"l\\u0000\",\"properties\":{}}                          | location",
            "{\"location\":\"" + "x" + "\",\"properties\":{\"description\":{}}}       | properties.description",
            "{\"properties\":{\"properties\":{\"sshSettings\":\"x\"}}}                | properties.properties.sshSettings",
            "{\"properties\":{\"properties\":{\"sshSettings\":0}}}                    | properties.properties.sshSettings",
            "{\"properties\":{\"properties\":{\"idleTimeBeforeShutdown\":{}}}}        | properties.properties.idleTimeBeforeShutdown",
            "{\"properties\":{\"properties\":{\"idleTimeBeforeShutdown\":[]}}}        | properties.properties.idleTimeBeforeShutdown",
            "{\"tags\":{\"a\":1},\"properties\":{}}                                  | tags.a",
            "{\"tags\":{\"a\":null},\"properties\":{}}                               | tags.a",
            "{\"properties\":null}                                                 | properties",
            "{\"properties\":{\"properties\":{\"scaleSettings\":{\"maxNodeCount\":[]}}}} | properties.properties.scaleSettings.maxNodeCount",
            "{\"properties\":{\"properties\":{\"schedules\":{\"computeStartStop\":[null]}}}} | properties.properties.schedules.computeStartStop[0]"})
    void refusesComputesOfTheWrongShapeNamingTheField(String body, String target) throws Exception {
        assertThatThrownBy(() -> WireSchemas.COMPUTE.validate(JSON.readTree(body)))
                .isInstanceOfSatisfying(ApiException.BadRequest.class, e -> {
                    assertThat(e.code()).isEqualTo(WireSchema.INVALID);
                    assertThat(e.target()).isEqualTo(target);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "[]", "\"x\"", "3"})
    void refusesABodyThatIsNoObject(String body) throws Exception {
        assertThatThrownBy(() -> WireSchemas.JOB.validate(JSON.readTree(body))).isInstanceOf(ApiException.class)
                .hasMessageContaining("the body");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"properties\":{\"command\":\"ls\\u0000\"}}                                  | properties.command",
            "{\"properties\":{\"environmentVariables\":{\"A\":null}}}                     | properties.environmentVariables.A",
            "{\"properties\":{\"environmentVariables\":{\"A\\u0000\":\"x\"}}}                   | properties.environmentVariables"})
    void refusesJobsOfTheWrongShape(String body, String target) throws Exception {
        assertThatThrownBy(() -> WireSchemas.JOB.validate(JSON.readTree(body)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.target()).startsWith(target));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"properties\":{\"roleName\":\"evil\\u202egnp\"}}                         | properties.roleName",
            "{\"properties\":{\"roleName\":\"a\\u0000\"}}                               | properties.roleName",
            "{\"properties\":{\"permissions\":[{\"actions\":[null]}]}}                  | properties.permissions[0].actions[0]",
            "{\"properties\":{\"assignableScopes\":[\"../../etc/passwd\"]}}             | properties.assignableScopes[0]",
            "{\"properties\":{\"assignableScopes\":[\"/subscriptions/../..\"]}}         | properties.assignableScopes[0]"})
    void refusesRolesOfTheWrongShape(String body, String target) throws Exception {
        assertThatThrownBy(() -> WireSchemas.ROLE_DEFINITION.validate(JSON.readTree(body)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.target()).isEqualTo(target));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"gpus\":\"\\u0000\"}                 | gpus",
            "{\"supportedComputeTypes\":[null]}     | supportedComputeTypes[0]"})
    void refusesVmSizesOfTheWrongShape(String body, String target) throws Exception {
        assertThatThrownBy(() -> WireSchemas.VM_SIZE.validate(JSON.readTree(body)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.target()).isEqualTo(target));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"expiresOn\":\"\"}", "{\"expiresOn\":5}"})
    void refusesTokensOfTheWrongShape(String body) throws Exception {
        assertThatThrownBy(() -> WireSchemas.TOKEN.validate(JSON.readTree(body)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.target()).isEqualTo("expiresOn"));
    }
}
