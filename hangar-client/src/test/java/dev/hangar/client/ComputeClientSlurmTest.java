package dev.hangar.client;

import dev.hangar.testkit.arm.TestCertificates;
import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.api.AmlComputeNodeInformation;
import dev.hangar.api.SlurmProperties;
import dev.hangar.testkit.arm.ArmServer.Reply;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Attached Slurm clusters ({@code computeType: Slurm}) through {@link ComputeClient}: attach, read, nodes, keys, detach. */
class ComputeClientSlurmTest {
    private static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"
            + "-----END OPENSSH PRIVATE KEY-----\n";
    private static final String JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdW4iOiJoYW5nYXIifQ.c2lnbmF0dXJl";
    private static final String REST_URL = "http://slurm-api.example:6820";

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
    void attachSendsEverythingTheSpecSaysAndReturnsTheSucceededOperation() throws Exception {
        server.on("PUT", Arm.compute("hpc"), Arm.accepted(Reply.json(201, Arm.slurm("hpc")), "op-1", 0));
        server.on("GET", Arm.operationPath("op-1"), Reply.json(200, Arm.operation("op-1", "Succeeded")));
        server.on("GET", Arm.compute("hpc"), Reply.json(200, Arm.slurm("hpc")));
        var spec = SlurmSpec.ssh("login1.example").withSshPort(2222)
                .withAccount(SlurmSpec.Account.privateKey("svc", KEY).withPassphrase("secret"))
                .withSlurmConf("/etc/slurm/slurm.conf").withPartition("gpu").withWorkDirectory("/shared/hangar")
                .withHostKey("ssh-ed25519 AAAAC3Nz").withJobUser(SlurmSpec.JobUser.REQUESTER)
                .withUserMap(Map.of("alice", "alice1", "bob", "bob")).withDescription("the HPC cluster")
                .withTags(Map.of("team", "hpc"));

        var operation = computes.attachSlurm("hpc", spec);

        assertThat(operation.action()).isEqualTo(LongRunningOperation.Action.ATTACH);
        assertThat(operation.resource()).hasValueSatisfying(r -> assertThat(r.properties().properties())
                .isInstanceOf(SlurmProperties.class));
        assertThat(operation.waitForCompletion(Duration.ofSeconds(10)).status()).isEqualTo("Succeeded");
        assertThat(json.readTree(server.requests("PUT", Arm.compute("hpc")).get(0).body())).isEqualTo(json.readTree("""
                {"tags":{"team":"hpc"},
                 "properties":{"computeType":"Slurm","description":"the HPC cluster",
                  "properties":{"connection":"Ssh","address":"login1.example","sshPort":2222,
                   "administratorAccount":{"username":"svc","privateKeyData":%s,"passphrase":"secret"},
                   "slurmConf":"/etc/slurm/slurm.conf","partition":"gpu","workDirectory":"/shared/hangar",
                   "hostKey":"ssh-ed25519 AAAAC3Nz","jobUser":"Requester","userMap":{"alice":"alice1","bob":"bob"}}}}"""
                .formatted(json.writeValueAsString(KEY))));
    }

    @Test
    void aLocalAttachSendsOnlyTheConnectionAndAChangeIsAnUpdate() throws Exception {
        server.on("PUT", Arm.compute("hpc"), Arm.accepted(Reply.json(200, Arm.localSlurm("hpc", null)), "op-1", 0));

        var operation = computes.attachSlurm("hpc", SlurmSpec.local());

        assertThat(operation.action()).isEqualTo(LongRunningOperation.Action.UPDATE);
        assertThat(json.readTree(server.requests("PUT", Arm.compute("hpc")).get(0).body())).isEqualTo(json.readTree("""
                {"properties":{"computeType":"Slurm","properties":{"connection":"Local"}}}"""));
    }

    @Test
    void aRestAttachSendsTheUrlUserAndTokenBesideTheSlurmSettings() throws Exception {
        server.on("PUT", Arm.compute("hpc"), Arm.accepted(Reply.json(201, Arm.restSlurm("hpc")), "op-1", 0));
        var spec = SlurmSpec.rest(REST_URL, "hangar", JWT).withPartition("batch").withWorkDirectory("/shared/hangar")
                .withJobUser(SlurmSpec.JobUser.REQUESTER).withUserMap(Map.of("alice", "alice1"));

        var operation = computes.attachSlurm("hpc", spec);

        assertThat(operation.action()).isEqualTo(LongRunningOperation.Action.ATTACH);
        assertThat(json.readTree(server.requests("PUT", Arm.compute("hpc")).get(0).body())).isEqualTo(json.readTree("""
                {"properties":{"computeType":"Slurm",
                  "properties":{"connection":"Rest","partition":"batch","workDirectory":"/shared/hangar",
                   "jobUser":"Requester","userMap":{"alice":"alice1"},
                   "restUrl":"http://slurm-api.example:6820","restUser":"hangar","restToken":"%s"}}}"""
                .formatted(JWT)));
    }

    @Test
    void aRestChangeWithoutATokenLeavesItOutSoTheRecordedOneStays() throws Exception {
        server.on("PUT", Arm.compute("hpc"), Arm.accepted(Reply.json(200, Arm.restSlurm("hpc")), "op-1", 0));

        computes.attachSlurm("hpc", SlurmSpec.rest(REST_URL, "hangar", null));

        assertThat(json.readTree(server.requests("PUT", Arm.compute("hpc")).get(0).body())).isEqualTo(json.readTree("""
                {"properties":{"computeType":"Slurm","properties":{"connection":"Rest",
                  "restUrl":"http://slurm-api.example:6820","restUser":"hangar"}}}"""));
    }

    @Test
    void aRestSlurmSpecRefusesSshFieldsAndOtherConnectionsRefuseRestFields() {
        var rest = SlurmSpec.rest(REST_URL, "hangar", JWT);
        assertThatThrownBy(() -> rest.withSshPort(22)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only to an Ssh connection");
        assertThatThrownBy(() -> rest.withAccount(SlurmSpec.Account.username("svc")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only to an Ssh connection");
        assertThatThrownBy(() -> rest.withHostKey("ssh-ed25519 AAAAC3Nz"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only to an Ssh connection");
        assertThatThrownBy(() -> SlurmSpec.rest(" ", "hangar", JWT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slurmrestd's URL");
        assertThatThrownBy(() -> SlurmSpec.rest(REST_URL, null, JWT)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the user its token is for");
        for (var connection : new SlurmSpec.Connection[] {SlurmSpec.Connection.LOCAL, SlurmSpec.Connection.SSH}) {
            assertThatThrownBy(() -> new SlurmSpec(connection, connection == SlurmSpec.Connection.SSH
                    ? "login1.example" : null, null, null, null, null, null, null, REST_URL, "hangar", JWT, null, null,
                    null, null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("only to a Rest connection").hasMessageNotContaining(JWT);
        }
    }

    @Test
    void aRestSlurmSpecNeverShowsItsToken() {
        var spec = SlurmSpec.rest(REST_URL, "hangar", JWT).withPartition("batch");

        assertThat(spec.toString()).contains("connection=REST", REST_URL, "restUser=hangar", "restToken=***",
                "partition=batch").doesNotContain(JWT, "eyJ");
        assertThat(SlurmSpec.rest(REST_URL, "hangar", null).toString()).contains("restToken=null");
    }

    @Test
    void aSlurmSpecRefusesWhatItsConnectionCannotUseAndNeverShowsTheSecrets() {
        assertThatThrownBy(() -> SlurmSpec.ssh(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("address");
        assertThatThrownBy(() -> SlurmSpec.local().withSshPort(22)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only to an Ssh connection");
        var spec = SlurmSpec.ssh("login1.example").withAccount(new SlurmSpec.Account("svc", "pw1", KEY, "open-sesame"));

        assertThat(spec.toString()).contains("svc").doesNotContain("pw1", "OPENSSH", "open-sesame");
    }

    @Test
    void attachRefusedBySlurmIsABadRequestWithTheServersCode() {
        server.on("PUT", Arm.compute("hpc"), Reply.json(400, Arm.error("SlurmPartitionNotFound",
                "Cannot attach Slurm as 'hpc': there is no partition gpu2")));

        assertThatThrownBy(() -> computes.attachSlurm("hpc", SlurmSpec.local().withPartition("gpu2")))
                .isInstanceOfSatisfying(HangarException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("SlurmPartitionNotFound");
                });
    }

    @Test
    void getReadsEverySlurmField() {
        server.on("GET", Arm.compute("hpc"), Reply.json(200, Arm.slurm("hpc")));

        var compute = computes.get("hpc");

        assertThat(compute.properties().computeType()).isEqualTo("Slurm");
        assertThat(compute.properties().isAttachedCompute()).isTrue();
        var slurm = (SlurmProperties) compute.properties().properties();
        assertThat(slurm.administratorAccount().username()).isEqualTo("svc");
        assertThat(slurm.userMap()).containsEntry("alice", "alice1");
        assertThat(slurm.nodeCount()).isEqualTo(4);
        assertThat(slurm.switchesUsers()).isTrue();
        assertThat(ComputeClient.stateOf(compute)).isEqualTo("Succeeded");
        assertThat(computes.sshAddress(compute)).isEmpty();
    }

    @Test
    void getReadsTheRestUrlAndUserAndNoToken() {
        server.on("GET", Arm.compute("hpc"), Reply.json(200, Arm.restSlurm("hpc")));

        var slurm = (SlurmProperties) computes.get("hpc").properties().properties();

        assertThat(slurm.connection()).isEqualTo("Rest");
        assertThat(slurm.restUrl()).isEqualTo(REST_URL);
        assertThat(slurm.restUser()).isEqualTo("hangar");
        assertThat(slurm.restToken()).isNull();
        assertThat(slurm.administratorAccount()).isNull();
    }

    @Test
    void listNodesReadsSlurmsNodes() {
        server.on("POST", Arm.compute("hpc") + "/listNodes", Reply.json(200, """
                {"nodes":[{"nodeId":"gpu01","privateIpAddress":"10.0.0.11","publicIpAddress":null,"port":null,
                  "nodeState":"running","runId":"train-1,train-2"}],"nextLink":null}"""));

        var nodes = computes.listNodes("hpc");

        assertThat(nodes).containsExactly(new AmlComputeNodeInformation("gpu01", "10.0.0.11", null, null, "running",
                "train-1,train-2"));
    }

    @Test
    void listKeysReturnsTheCredentialsAsWritten() {
        server.on("POST", Arm.compute("hpc") + "/listKeys", Reply.json(200, """
                {"computeType":"Slurm","administratorAccount":{"username":"svc","password":null,
                 "publicKeyData":null,"privateKeyData":"-----BEGIN OPENSSH PRIVATE KEY-----","passphrase":null}}"""));

        var keys = computes.listKeys("hpc");

        assertThat(keys.get("computeType").asText()).isEqualTo("Slurm");
        assertThat(keys.at("/administratorAccount/privateKeyData").asText()).startsWith("-----BEGIN");
    }

    @Test
    void listKeysOfARestConnectionHasItsTokenBesideTheAccount() {
        server.on("POST", Arm.compute("hpc") + "/listKeys", Reply.json(200, """
                {"computeType":"Slurm","administratorAccount":null,"restToken":"%s"}""".formatted(JWT)));

        var keys = computes.listKeys("hpc");

        assertThat(keys.get("restToken").asText()).isEqualTo(JWT);
        assertThat(keys.get("administratorAccount").isNull()).isTrue();
    }

    @Test
    void detachSendsDetachAndWaitsUntilTheComputeIsGone() {
        server.on("DELETE", Arm.compute("hpc") + "?underlyingResourceAction=Detach",
                Arm.accepted(Reply.empty(202), "op-2", 0));
        server.on("GET", Arm.operationPath("op-2"), Reply.json(200, Arm.operation("op-2", "Succeeded")));
        server.on("GET", Arm.compute("hpc"), Reply.json(404, Arm.error("ResourceNotFound", "no compute hpc")));

        var operation = computes.detach("hpc");

        assertThat(operation.action()).isEqualTo(LongRunningOperation.Action.DETACH);
        assertThat(operation.isDone()).isFalse();
        assertThat(operation.waitForCompletion(Duration.ofSeconds(10)).status()).isEqualTo("Succeeded");
    }

    @Test
    void detachOfAMissingComputeIsDoneAtOnce() {
        server.on("DELETE", Arm.compute("gone") + "?underlyingResourceAction=Detach", Reply.empty(204));

        assertThat(computes.detach("gone").isDone()).isTrue();
    }
}
