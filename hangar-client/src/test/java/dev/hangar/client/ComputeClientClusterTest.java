package dev.hangar.client;

import dev.hangar.testkit.arm.TestCertificates;
import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.api.AmlComputeNodeInformation;
import dev.hangar.api.AmlComputeProperties;
import dev.hangar.api.ComputeResource;
import dev.hangar.testkit.arm.ArmServer.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Compute clusters ({@code AmlCompute}) through {@link ComputeClient}: create, read, rescale, list nodes. */
class ComputeClientClusterTest {
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

    @Test
    void createClusterSendsAzsDefaultsAndReturnsTheOperation() throws Exception {
        server.on("PUT", Arm.compute("cl1"), Arm.accepted(Reply.json(201,
                Arm.cluster("cl1", "Creating", "Steady", 0, 4, 0)), "op-1", 1));

        var operation = computes.createCluster("cl1", ClusterSpec.of("Standard_DS3_v2"));

        assertThat(operation.action()).isEqualTo(LongRunningOperation.Action.CREATE);
        assertThat(operation.statusUri()).isPresent();
        assertThat(operation.resource()).hasValueSatisfying(r -> assertThat(ComputeClient.stateOf(r))
                .isEqualTo("Creating"));
        assertThat(json.readTree(server.requests("PUT", Arm.compute("cl1")).get(0).body())).isEqualTo(json.readTree("""
                {"properties":{"computeType":"AmlCompute","properties":{"vmSize":"Standard_DS3_v2",
                 "vmPriority":"Dedicated",
                 "scaleSettings":{"maxNodeCount":4,"minNodeCount":0,"nodeIdleTimeBeforeScaleDown":"PT120S"}}}}"""));
    }

    @Test
    void createClusterSendsEverythingTheSpecSays() throws Exception {
        server.on("PUT", Arm.compute("cl1"), Arm.accepted(Reply.json(200,
                Arm.cluster("cl1", "Updating", "Steady", 1, 8, 1)), "op-1", 1));
        var spec = ClusterSpec.of("Standard_NC6s_v3").withVmPriority(ClusterSpec.VmPriority.LOW_PRIORITY)
                .withMinNodes(1).withMaxNodes(8).withIdleTimeBeforeScaleDown(Duration.ofMinutes(5))
                .withDescription("training").withTags(Map.of("team", "ml"));

        var operation = computes.createCluster("cl1", spec);

        assertThat(operation.action()).isEqualTo(LongRunningOperation.Action.UPDATE);
        assertThat(json.readTree(server.requests("PUT", Arm.compute("cl1")).get(0).body())).isEqualTo(json.readTree("""
                {"tags":{"team":"ml"},"properties":{"computeType":"AmlCompute","description":"training",
                 "properties":{"vmSize":"Standard_NC6s_v3","vmPriority":"LowPriority",
                  "scaleSettings":{"maxNodeCount":8,"minNodeCount":1,"nodeIdleTimeBeforeScaleDown":"PT300S"}}}}"""));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PT-1S", "PT0.5S"})
    void aClusterSpecRefusesAnIdleTimeItCannotSend(String idle) {
        assertThatThrownBy(() -> ClusterSpec.of("Standard_DS3_v2").withIdleTimeBeforeScaleDown(Duration.parse(idle)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number of seconds");
        assertThatThrownBy(() -> ClusterSpec.of(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void getReadsEveryClusterField() {
        server.on("GET", Arm.compute("cl1"), Reply.json(200, Arm.cluster("cl1", "Succeeded", "Resizing", 1, 4, 2)));

        var compute = computes.get("cl1");

        assertThat(compute.properties().computeType()).isEqualTo("AmlCompute");
        var cluster = (AmlComputeProperties) compute.properties().properties();
        assertThat(cluster.vmSize()).isEqualTo("Standard_DS3_v2");
        assertThat(cluster.vmPriority()).isEqualTo("Dedicated");
        assertThat(cluster.scaleSettings()).isEqualTo(new AmlComputeProperties.ScaleSettings(4, 1, "PT120S"));
        assertThat(cluster.allocationStateTransitionTime()).isEqualTo(Instant.parse("2025-01-02T03:04:07Z"));
        assertThat(cluster.currentNodeCount()).isEqualTo(2);
        assertThat(cluster.nodeStateCounts().idleNodeCount()).isEqualTo(1);
        assertThat(cluster.nodeStateCounts().runningNodeCount()).isEqualTo(1);
        assertThat(computes.sshAddress(compute)).isEmpty();
    }

    @ParameterizedTest(name = "{0}, {1}: {2}")
    @CsvSource({"Creating, Steady, Creating", "Succeeded, Steady, Steady", "Succeeded, Resizing, Resizing",
        "Updating, Resizing, Updating", "Failed, Steady, Failed"})
    void aClustersStateIsItsAllocationStateOnceProvisioned(String provisioning, String allocation, String state)
            throws Exception {
        var cluster = HangarJson.newMapper().readValue(Arm.cluster("cl1", provisioning, allocation, 0, 4, 0),
                ComputeResource.class);

        assertThat(ComputeClient.stateOf(cluster)).isEqualTo(state);
    }

    @Test
    void listReturnsInstancesAndClustersMixed() {
        server.on("GET", Arm.computes(), Reply.json(200, Arm.page(null, Arm.instance("ci1", "Running", Arm.ALICE, null),
                Arm.cluster("cl1", "Succeeded", "Steady", 0, 4, 0))));

        var all = computes.list();

        assertThat(all).extracting(c -> c.properties().properties().getClass().getSimpleName())
                .containsExactly("ComputeInstanceProperties", "AmlComputeProperties");
        assertThat(all).extracting(ComputeClient::stateOf).containsExactly("Running", "Steady");
    }

    @Test
    void rescaleReadsTheClusterAndSendsTheWholeScaleSettings() throws Exception {
        server.on("GET", Arm.compute("cl1"), Reply.json(200, Arm.cluster("cl1", "Succeeded", "Steady", 0, 4, 0)));
        server.on("PATCH", Arm.compute("cl1"), Reply.json(200, Arm.cluster("cl1", "Succeeded", "Steady", 0, 8, 0)));

        var operation = computes.rescaleCluster("cl1", null, 8, null);

        assertThat(operation.action()).isEqualTo(LongRunningOperation.Action.UPDATE);
        assertThat(operation.isDone()).isTrue();
        assertThat(operation.resource()).isPresent();
        assertThat(json.readTree(server.requests("PATCH", Arm.compute("cl1")).get(0).body())).isEqualTo(json.readTree("""
                {"properties":{"properties":{"scaleSettings":
                 {"maxNodeCount":8,"minNodeCount":0,"nodeIdleTimeBeforeScaleDown":"PT120S"}}}}"""));
    }

    @Test
    void rescaleWithAnOperationIsWaitedFor() throws Exception {
        server.on("GET", Arm.compute("cl1"), Reply.json(200, Arm.cluster("cl1", "Succeeded", "Steady", 0, 4, 0)));
        server.on("PATCH", Arm.compute("cl1"), Arm.accepted(Reply.json(200,
                Arm.cluster("cl1", "Updating", "Steady", 2, 4, 0)), "op-2", 0));
        server.on("GET", Arm.operationPath("op-2"), Reply.json(200, Arm.operation("op-2", "Succeeded")));

        var operation = computes.rescaleCluster("cl1", 2, null, Duration.ofSeconds(600));

        assertThat(operation.isDone()).isFalse();
        assertThat(operation.waitForCompletion(Duration.ofSeconds(10)).status()).isEqualTo("Succeeded");
        assertThat(json.readTree(server.requests("PATCH", Arm.compute("cl1")).get(0).body())
                .at("/properties/properties/scaleSettings")).isEqualTo(json.readTree(
                "{\"maxNodeCount\":4,\"minNodeCount\":2,\"nodeIdleTimeBeforeScaleDown\":\"PT600S\"}"));
    }

    @Test
    void rescalingAnInstanceSendsNothing() {
        server.on("GET", Arm.compute("ci1"), Reply.json(200, Arm.instance("ci1", "Running", Arm.ALICE, null)));

        assertThatThrownBy(() -> computes.rescaleCluster("ci1", 1, null, null))
                .isInstanceOfSatisfying(HangarException.class, e -> {
                    assertThat(e.kind()).isEqualTo(HangarException.Kind.INVALID_INPUT);
                    assertThat(e.code()).isEqualTo("OperationNotSupported");
                    assertThat(e.errorMessage()).contains("a ComputeInstance, not a cluster");
                });
        assertThat(server.requests("PATCH", Arm.compute("ci1"))).isEmpty();
    }

    @Test
    void listNodesPostsThenFollowsNextLink() {
        server.on("POST", Arm.compute("cl1") + "/listNodes", Reply.json(200,
                Arm.nodes("{base}" + Arm.compute("cl1") + "/listNodes?$skip=2", 0, "running", "idle")));
        server.on("GET", Arm.compute("cl1") + "/listNodes?$skip=2", Reply.json(200, Arm.nodes(null, 2, "preparing")));

        var nodes = computes.listNodes("cl1");

        assertThat(nodes).extracting(AmlComputeNodeInformation::nodeId).containsExactly("tvm-0", "tvm-1", "tvm-2");
        assertThat(nodes).extracting(AmlComputeNodeInformation::nodeState)
                .containsExactly("running", "idle", "preparing");
        assertThat(nodes.get(0).runId()).isEqualTo("job-0");
        assertThat(nodes.get(1).runId()).isNull();
        assertThat(server.requests("GET", Arm.compute("cl1") + "/listNodes").get(0).query())
                .containsEntry("api-version", HangarClient.API_VERSION);
    }
}
