package dev.hangar.server.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hangar.core.custom.CustomService;
import dev.hangar.core.custom.CustomServiceRules;
import dev.hangar.core.custom.PrivilegedRequests;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** How Azure's {@code customServices} are read from a PUT body and from {@code POST .../customServices}. */
class CustomServiceRequestsTest {
    /** Azure's {@code updateCustomServices.json} example, as its clients send it. */
    static final String AZURES_EXAMPLE = """
            [{"name":"rstudio-workbench","docker":{"privileged":%s},
              "endpoints":[{"name":"connect","hostIp":null,"published":4444,"target":8787,"protocol":"http"}],
              "environmentVariables":{"RSP_LICENSE":{"type":"local","value":"XXXX-1"}},
              "image":{"type":"docker","reference":"ghcr.io/azure/rstudio-workbench:latest"},
              "volumes":[{"type":"bind","readOnly":true,"source":"/home/azureuser/cloudfiles","target":"/home/testuser/"}]}]""";

    @Test
    void azuresExampleIsReadWhole() {
        var services = ComputeRequests.customServicesUpdate(AZURES_EXAMPLE.formatted("false"));
        assertThat(services).containsExactly(new CustomService("rstudio-workbench",
                "ghcr.io/azure/rstudio-workbench:latest",
                List.of(new CustomService.Endpoint("connect", CustomService.Protocol.http, 8787, 4444, null)),
                Map.of("RSP_LICENSE", "XXXX-1"),
                List.of(new CustomService.Volume("/home/azureuser/cloudfiles", "/home/testuser/", true))));
    }

    @Test
    void aPrivilegedServiceIsRefused() {
        var refused = catchThrowableOfType(ApiException.class,
                () -> ComputeRequests.customServicesUpdate(AZURES_EXAMPLE.formatted("true")));
        assertThat(refused.code()).isEqualTo(CustomServiceRules.PRIVILEGED_REFUSED);
        assertThat(refused.target()).isEqualTo("customServices[0].docker.privileged");
    }

    /** Where the operator lets az ml's requests through, the service is taken as Azure's example sends it, unprivileged. */
    @Test
    void aPrivilegedServiceIsTakenUnprivilegedWhereTheOperatorSaysSo() {
        var privileged = ComputeRequests.customServicesUpdate(AZURES_EXAMPLE.formatted("true"),
                PrivilegedRequests.RUN_UNPRIVILEGED);
        assertThat(privileged).isEqualTo(ComputeRequests.customServicesUpdate(AZURES_EXAMPLE.formatted("false")));
        var refused = catchThrowableOfType(ApiException.class, () -> ComputeRequests.customServicesUpdate(
                AZURES_EXAMPLE.formatted("true"), PrivilegedRequests.REFUSE));
        assertThat(refused.getMessage()).contains("custom-services.privileged");
    }

    @Test
    void aPutBodysServicesAreReadWithTheInstance() {
        var request = ComputeRequests.instance("""
                {"properties":{"computeType":"ComputeInstance","properties":{"vmSize":"Standard_DS1_v2",
                 "customServices":[{"name":"web","image":{"reference":"localhost/web:1"},
                  "endpoints":[{"name":"page","target":"8080"}]}]}}}""", false);
        assertThat(request.customServices()).containsExactly(new CustomService("web", "localhost/web:1",
                List.of(new CustomService.Endpoint("page", CustomService.Protocol.tcp, 8080, null, null)), null,
                null));
        var none = ComputeRequests.instance("""
                {"properties":{"computeType":"ComputeInstance","properties":{"vmSize":"Standard_DS1_v2"}}}""", false);
        assertThat(none.customServices()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a UDP endpoint | [{\"name\":\"a\",\"image\":{\"reference\":\"x\"},\"endpoints\":[{\"name\":\"e\",\"target\":53,\"protocol\":\"udp\"}]}] | InvalidCustomService | customServices[0].endpoints[0].protocol",
        "an endpoint without a target | [{\"name\":\"a\",\"image\":{\"reference\":\"x\"},\"endpoints\":[{\"name\":\"e\"}]}] | InvalidCustomService | customServices[0].endpoints[0].target",
        "a target that is no number | [{\"name\":\"a\",\"image\":{\"reference\":\"x\"},\"endpoints\":[{\"name\":\"e\",\"target\":\"80a\"}]}] | InvalidCustomService | customServices[0].endpoints[0].target",
        "an azureml image | [{\"name\":\"a\",\"image\":{\"type\":\"azureml\",\"reference\":\"x\"}}] | InvalidCustomService | customServices[0].image.type",
        "a variable from elsewhere | [{\"name\":\"a\",\"image\":{\"reference\":\"x\"},\"environmentVariables\":{\"K\":{\"type\":\"keyvault\",\"value\":\"v\"}}}] | InvalidCustomService | customServices[0].environmentVariables.K.type",
        "a tmpfs volume | [{\"name\":\"a\",\"image\":{\"reference\":\"x\"},\"volumes\":[{\"type\":\"tmpfs\",\"target\":\"/t\"}]}] | CustomServiceVolumeNotAllowed | customServices[0].volumes[0].type",
        "a target that is an object | [{\"name\":\"a\",\"endpoints\":[{\"name\":\"e\",\"target\":{}}]}] | InvalidRequestBody | [0].endpoints[0].target",
        "an object, not a list | {\"name\":\"a\"} | InvalidRequestBody | ",
    })
    void refusesWhatHasNoMeaningHere(String what, String body, String code, String target) {
        var refused = catchThrowableOfType(ApiException.class, () -> ComputeRequests.customServicesUpdate(body));
        assertThat(refused).as(what).isNotNull();
        assertThat(refused.code()).as(refused.getMessage()).isEqualTo(code);
        assertThat(refused.target()).isEqualTo(target);
    }

    @Test
    void aClusterOrAnAttachmentRefusesCustomServices() {
        var cluster = catchThrowableOfType(ApiException.class, () -> ComputeRequests.cluster("""
                {"properties":{"computeType":"AmlCompute","properties":{"vmSize":"Standard_DS1_v2",
                 "scaleSettings":{"maxNodeCount":1},"customServices":[{"name":"web"}]}}}"""));
        assertThat(cluster.code()).isEqualTo(CustomServiceRules.UNSUPPORTED);
        var attached = catchThrowableOfType(ApiException.class, () -> ComputeRequests.attachment("""
                {"properties":{"computeType":"Slurm","properties":{"host":"login",
                 "customServices":[{"name":"web"}]}}}""", "Slurm"));
        assertThat(attached.code()).isEqualTo(CustomServiceRules.UNSUPPORTED);
        assertThat(ErrorCodes.INVALID_BODY).isEqualTo("InvalidRequestBody");
    }
}
