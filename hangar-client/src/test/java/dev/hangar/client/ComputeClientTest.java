package dev.hangar.client;

import dev.hangar.testkit.arm.TestCertificates;
import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.api.ComputeInstanceProperties;
import dev.hangar.api.ComputeResource;
import dev.hangar.api.ProvisioningState;
import dev.hangar.testkit.arm.ArmServer.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ComputeClientTest {
    private final ArmServer server = ArmServer.start();
    private final HangarClient client = HangarClient.builder().server(server.uri()).token(ArmServer.TOKEN)
            .caCertificate(TestCertificates.get("hangar-test", TestCertificates.LOCALHOST).pem()).build();
    private final ComputeClient computes = client.workspace(ArmServer.WORKSPACE);

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void listFollowsNextLinkUntilItIsAbsent() {
        server.on("GET", Arm.computes(), Reply.json(200, Arm.page("{base}" + Arm.computes()
                        + "?api-version=2025-12-01&$skip=2", Arm.instance("ci1", "Running", Arm.ALICE, null),
                Arm.instance("ci2", "Stopped", Arm.BOB, Arm.ALICE))));
        server.on("GET", Arm.computes() + "?$skip=2", Reply.json(200, Arm.page(null,
                Arm.instance("ci3", "Creating", Arm.BOB, null))));

        var all = computes.list();

        assertThat(all).extracting(ComputeResource::name).containsExactly("ci1", "ci2", "ci3");
        assertThat(all).extracting(ComputeClient::stateOf).containsExactly("Running", "Stopped", "Creating");
        var requests = server.requests("GET", Arm.computes());
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).query()).containsEntry("$skip", "2").containsEntry("api-version", "2025-12-01");
        assertThat(requests).allSatisfy(request -> {
            assertThat(request.header("Authorization")).isEqualTo("Bearer " + ArmServer.TOKEN);
            assertThat(request.header("x-ms-client-request-id")).matches("[0-9a-f-]{36}");
        });
        assertThat(requests.get(0).header("x-ms-client-request-id"))
                .isNotEqualTo(requests.get(1).header("x-ms-client-request-id"));
    }

    @Test
    void nextLinkWithoutApiVersionGetsOne() {
        server.on("GET", Arm.computes(), Reply.json(200, Arm.page(Arm.computes() + "?$skip=1",
                Arm.instance("ci1", "Running", Arm.ALICE, null))));
        server.on("GET", Arm.computes() + "?$skip=1", Reply.json(200, Arm.page(null)));

        assertThat(computes.list()).hasSize(1);
    }

    @Test
    void getReadsEveryInstanceField() {
        server.on("GET", Arm.compute("ci2"), Reply.json(200, Arm.instance("ci2", "Stopped", Arm.BOB, Arm.ALICE)));

        var compute = computes.get("ci2");

        assertThat(compute.id()).isEqualTo(Arm.compute("ci2"));
        assertThat(compute.properties().provisioningState()).isEqualTo(ProvisioningState.Succeeded);
        assertThat(compute.properties().modifiedOn()).isEqualTo(Instant.parse("2025-01-02T03:04:06.5Z"));
        var instance = (ComputeInstanceProperties) compute.properties().properties();
        assertThat(instance.state()).isEqualTo("Stopped");
        assertThat(instance.createdBy().userId()).isEqualTo(Arm.BOB);
        assertThat(instance.personalComputeInstanceSettings().assignedUser().objectId()).isEqualTo(Arm.ALICE);
        assertThat(instance.sshSettings().sshPort()).isEqualTo(50022);
    }

    @Test
    void readsTheAzureSpecExamplesIncludingComputeTypesItDoesNotModel() {
        // Compute/list.json and get/ComputeInstance.json of the 2024-04-01 spec, trimmed
        server.on("GET", Arm.computes(), Reply.json(200, """
                {"value":[{"id":"/x/computes/compute123","type":"Microsoft.MachineLearningServices/workspaces/computes",
                 "name":"compute123","location":"eastus","properties":{"description":"some compute",
                 "createdOn":"2021-04-01T22:00:00.0000000+00:00","resourceId":"/subscriptions/x/managedClusters/c",
                 "computeType":"AKS","provisioningState":"Succeeded"}},
                {"id":".../computes/compute456","type":"Microsoft.MachineLearningServices/workspaces/computes",
                 "name":"compute456","location":"eastus2","properties":{"description":"some compute",
                 "createdOn":"2021-04-01T22:00:00.0000000+00:00","modifiedOn":"2021-04-01T22:00:00.0000000+00:00",
                 "computeType":"ComputeInstance","provisioningState":"Succeeded","properties":{"vmSize":"STANDARD_NC6",
                 "osImageMetadata":{"currentImageVersion":"22.06.14","isLatestOsImageVersion":false},
                 "customServices":[{"name":"rstudio","docker":{"privileged":true}}],"errors":null,"state":"Running"}}}]}"""));

        var all = computes.list();

        assertThat(all).extracting(ComputeResource::name).containsExactly("compute123", "compute456");
        assertThat(all.get(0).properties().properties()).isNull();
        assertThat(ComputeClient.stateOf(all.get(0))).isEqualTo("Succeeded");
        assertThat(ComputeClient.stateOf(all.get(1))).isEqualTo("Running");
        assertThat(all.get(1).properties().createdOn()).isEqualTo(Instant.parse("2021-04-01T22:00:00Z"));
    }

    @Test
    void createInstanceSendsTheArmBodyAndReturnsTheOperation() throws Exception {
        server.on("PUT", Arm.compute("ci1"), Arm.accepted(Reply.json(201,
                Arm.instance("ci1", "Creating", Arm.ALICE, Arm.BOB)), "op-1", 3));
        var spec = InstanceSpec.of("Standard_DS3_v2").withDescription("notebooks").withTags(Map.of("team", "ml"))
                .assignedTo(Arm.BOB, Arm.TENANT).withSshPublicKey("ssh-ed25519 AAAA alice@laptop\n");

        var operation = computes.createInstance("ci1", spec);

        assertThat(operation.action()).isEqualTo(LongRunningOperation.Action.CREATE);
        assertThat(operation.statusUri()).hasValueSatisfying(uri -> assertThat(uri.toString())
                .isEqualTo(server.url(Arm.operationPath("op-1")) + "?api-version=2025-12-01"));
        assertThat(operation.resultUri()).isPresent();
        assertThat(operation.retryAfter()).hasSeconds(3);
        assertThat(operation.resource()).hasValueSatisfying(r -> assertThat(ComputeClient.stateOf(r))
                .isEqualTo("Creating"));
        var json = new ObjectMapper();
        var sent = json.readTree(server.requests("PUT", Arm.compute("ci1")).get(0).body());
        assertThat(sent).isEqualTo(json.readTree("""
                {"tags":{"team":"ml"},
                 "properties":{"computeType":"ComputeInstance","description":"notebooks","properties":{
                  "vmSize":"Standard_DS3_v2",
                  "sshSettings":{"sshPublicAccess":"Enabled","adminPublicKey":"ssh-ed25519 AAAA alice@laptop"},
                  "personalComputeInstanceSettings":{"assignedUser":{"objectId":"%s","tenantId":"%s"}}}}}"""
                .formatted(Arm.BOB, Arm.TENANT)));
    }

    @Test
    void createInstanceSendsItsSetupScriptsAsAzureDoes() throws Exception {
        server.on("PUT", Arm.compute("ci1"), Arm.accepted(Reply.json(201,
                Arm.instance("ci1", "Creating", Arm.ALICE, null)), "op-1", 0));
        var spec = InstanceSpec.of("Standard_DS3_v2")
                .withCreationScript(InstanceSpec.scriptInShare("Users/alice/setup.sh", "--name 'a b'",
                        Duration.ofMinutes(10)))
                .withStartupScript(InstanceSpec.inlineScript("echo hi\n", null, Duration.ofSeconds(90)));

        computes.createInstance("ci1", spec);

        var json = new ObjectMapper();
        var sent = json.readTree(server.requests("PUT", Arm.compute("ci1")).get(0).body());
        assertThat(sent.at("/properties/properties/setupScripts")).isEqualTo(json.readTree("""
                {"scripts":{
                  "startupScript":{"scriptSource":"inline","scriptData":"ZWNobyBoaQo=","timeout":"PT1M30S"},
                  "creationScript":{"scriptSource":"workspaceStorage","scriptData":"Users/alice/setup.sh",
                   "scriptArguments":"--name 'a b'","timeout":"10m"}}}"""));
    }

    @Test
    void createInstanceSendsTheWorkspaceLocation() throws Exception {
        server.on("GET", "/hangar/v1/session", Reply.json(200, Arm.session(Arm.ALICE, "alice", false)));
        server.on("PUT", Arm.compute("ci1"), Arm.accepted(Reply.json(200,
                Arm.instance("ci1", "Running", Arm.ALICE, null)), "op-1", 0));

        var operation = client.workspace(client.session().defaultWorkspace())
                .createInstance("ci1", InstanceSpec.of("Standard_DS3_v2"));

        assertThat(operation.action()).isEqualTo(LongRunningOperation.Action.UPDATE);
        var sent = new ObjectMapper().readTree(server.requests("PUT", Arm.compute("ci1")).get(0).body());
        assertThat(sent.get("location").asText()).isEqualTo(Arm.LOCATION);
    }

    @Test
    void historyAndVmSizes() {
        server.on("GET", Arm.compute("ci1") + "/history", Reply.json(200, Arm.history("ci1")));
        server.on("GET", "/subscriptions/" + ArmServer.SUBSCRIPTION
                + "/providers/Microsoft.MachineLearningServices/locations/local/vmSizes", Reply.json(200, Arm.vmSizes()));

        var history = computes.history("ci1");
        var sizes = computes.vmSizes(Arm.LOCATION);

        assertThat(history).extracting(e -> e.from() + "->" + e.to()).containsExactly("null->Creating", "Creating->Running");
        assertThat(history.get(1).actor()).isEqualTo("reconciler");
        assertThat(sizes.value()).extracting(s -> s.name() + "/" + s.vCPUs() + "/" + s.gpus())
                .containsExactly("Standard_DS3_v2/4/0", "Standard_NC6s_v3/6/1");
    }

    @Test
    void sessionAndCreateUser() throws Exception {
        server.on("GET", "/hangar/v1/session", Reply.json(200, Arm.session(Arm.ALICE, "alice", true)));
        server.on("POST", "/hangar/v1/users", Reply.json(201, """
                {"user":{"id":"%s","name":"bob","tenantId":"%s","admin":false},"token":"hgr_secret"}"""
                .formatted(Arm.BOB, Arm.TENANT)));

        var session = client.session();
        var created = client.createUser("bob", false);

        assertThat(session.user().name()).isEqualTo("alice");
        assertThat(session.defaultWorkspace().id()).isEqualTo(ArmServer.WORKSPACE);
        assertThat(created.token()).isEqualTo("hgr_secret");
        assertThat(new ObjectMapper().readTree(server.requests("POST", "/hangar/v1/users").get(0).body()))
                .isEqualTo(new ObjectMapper().readTree("{\"name\":\"bob\",\"admin\":false}"));
    }

    @Test
    void sshAddressNamesTheInstanceAndItsWorkspaceOnTheGatewaysHostAndPort() throws Exception {
        var enabled = Arm.instance("ci1", "Running", Arm.ALICE, null)
                .replace("\"sshPublicAccess\":\"Disabled\"", "\"sshPublicAccess\":\"Enabled\"");
        var running = enabled.replace("\"connectivityEndpoints\":null",
                "\"connectivityEndpoints\":{\"publicIpAddress\":\"hangar.example\",\"privateIpAddress\":\"127.0.0.1\"}");
        var mapper = HangarJson.newMapper();

        var address = computes.sshAddress(mapper.readValue(running, ComputeResource.class)).orElseThrow();

        assertThat(address).isEqualTo(new SshAddress("ci1.ws1", "hangar.example", 50022));
        assertThat(address.command()).containsExactly("ssh", "-p", "50022", "ci1.ws1@hangar.example");
        // No endpoints (the instance does not run): the server the client speaks to
        assertThat(computes.sshAddress(mapper.readValue(enabled, ComputeResource.class)).orElseThrow().host())
                .isEqualTo(server.uri().getHost());
        assertThat(computes.sshAddress(mapper.readValue(Arm.instance("ci2", "Running", Arm.ALICE, null),
                ComputeResource.class))).isEmpty();
    }
}
