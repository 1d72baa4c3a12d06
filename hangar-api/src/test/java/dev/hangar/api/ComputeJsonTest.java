package dev.hangar.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ComputeJsonTest {
    private final ObjectMapper json = new ObjectMapper().findAndRegisterModules();

    @Test
    void computeTypeSelectsThePropertiesClassAndIsWrittenOnce() throws Exception {
        var body = """
                {"location":"eastus","properties":{"computeType":"ComputeInstance","properties":{"vmSize":"STANDARD_NC6"}}}""";
        var resource = json.readValue(body, ComputeResource.class);
        assertThat(resource.properties().properties()).isInstanceOf(ComputeInstanceProperties.class);
        assertThat(resource.properties().computeType()).isEqualTo("ComputeInstance");
        var written = json.writeValueAsString(resource);
        assertThat(written).containsOnlyOnce("\"computeType\":\"ComputeInstance\"");
        assertThat(written).contains("\"tags\":null", "\"isAttachedCompute\":null");
    }

    @Test
    void unknownComputeTypeIsRefused() {
        var body = """
                {"properties":{"computeType":"Mainframe","properties":{}}}""";
        assertThatThrownBy(() -> json.readValue(body, ComputeResource.class)).hasMessageContaining("Mainframe");
    }
}
