package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hangar.archive.Tarballs;
import dev.hangar.client.ArmIds;
import dev.hangar.client.HangarClient;
import dev.hangar.client.SlurmSpec;
import dev.hangar.client.VirtualMachineSpec;
import dev.hangar.testkit.container.InstanceImage;
import dev.hangar.testkit.container.PodmanEngine;
import dev.hangar.testkit.process.Commands;
import dev.hangar.testkit.process.HostProcesses;
import dev.hangar.testkit.process.Ports;
import dev.hangar.testkit.server.ServerProcess;
import dev.hangar.testkit.ssh.ClientKey;
import dev.hangar.testkit.ssh.SshHost;
import dev.hangar.testkit.ssh.SshMachine;
import dev.hangar.testkit.time.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Linux machine attached over SSH ({@code computeType: VirtualMachine}): a real sshd on 127.0.0.1 taking keys and
 * passwords, and a throw-away account with a home of its own, made by the test. It is attached with the JSON Azure's
 * clients send and with the Java client, runs, cancels and follows jobs (across a killed Hangar), shows no secret but
 * through listKeys, is attached once in any workspace, and the refusals of a wrong password, host key or address leave
 * nothing recorded and nothing on the machine.
 */
class VirtualMachineComputesIT {
    static final String WS = WireFormatIT.WS;
    static final String TEAM = WS.replace("/workspaces/default", "/workspaces/vm-team");

    @TempDir
    static Path data;
    static SshMachine vm;
    static ServerProcess server;
    static Https https;
    static String admin;

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(SshHost.installed(), "sshd is not installed: " + SshHost.INSTALL_HINT);
        vm = SshMachine.start("hgr-vmc-");
        server = AttachedJobs.startServer(data);
        https = new Https(server.url(), server.certificate());
        admin = server.adminToken();
        jobs().createWorkspace(TEAM);
    }

    @AfterEach
    void detachAll() {
        if (server != null) {
            jobs().detachAll(List.of(WS, TEAM));
        }
    }

    @AfterAll
    static void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (vm != null) {
                vm.close();
            }
        }
    }

    static AttachedJobs jobs() {
        return new AttachedJobs(https, admin, WS);
    }

    /** The body azureml-core's {@code RemoteCompute.attach_configuration(...)} sends, with a password. */
    static String azureBody(int port, String password, String extra) {
        return """
                {"location":"local","properties":{"computeType":"VirtualMachine","resourceId":null,
                 "description":"the team's box","properties":{"address":"127.0.0.1","sshPort":%d,
                 "administratorAccount":{"username":"%s","password":"%s"}%s}}}"""
                .formatted(port, vm.username(), password, extra);
    }

    @Test
    void aMachineAttachedWithAzuresJsonRunsAndCancelsJobsAndKeepsItsPasswordSecret(@TempDir Path work)
            throws Exception {
        jobs().attach("box", azureBody(vm.port(), vm.password(), ",\"virtualMachineSize\":\"Standard_D2_v3\""));

        var shown = https.send("GET", WS + "/computes/box", admin, null);
        assertThat(shown.body()).doesNotContain(vm.password());
        var envelope = Https.json(shown).get("properties");
        assertThat(envelope.get("computeType").asText()).isEqualTo("VirtualMachine");
        assertThat(envelope.get("isAttachedCompute").asBoolean()).isTrue();
        assertThat(envelope.get("provisioningState").asText()).isEqualTo("Succeeded");
        var properties = envelope.get("properties");
        assertThat(properties.get("address").asText()).isEqualTo("127.0.0.1");
        assertThat(properties.get("sshPort").asInt()).isEqualTo(vm.port());
        assertThat(properties.get("virtualMachineSize").asText()).isEqualTo("Standard_D2_v3");
        assertThat(properties.at("/administratorAccount/username").asText()).isEqualTo(vm.username());
        assertThat(properties.at("/administratorAccount/password").isNull()).isTrue();
        assertThat(properties.get("hostKey").asText()).as("pinned at attach").isEqualTo(vm.hostKey());
        assertThat(properties.get("cpus").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(properties.get("gpus").asInt()).isZero();
        assertThat(properties.get("memoryGB").asDouble()).isPositive();
        var keys = Https.json(https.send("POST", WS + "/computes/box/listKeys", admin, null));
        assertThat(keys.get("computeType").asText()).isEqualTo("VirtualMachine");
        assertThat(keys.at("/administratorAccount/password").asText()).isEqualTo(vm.password());
        assertThat(keys.has("restToken")).isFalse();
        var rita = https.createUser(admin, "rita-vm", null);
        var ritaId = Https.json(https.send("GET", "/hangar/v1/session", rita, null)).at("/user/id").asText();
        var given = https.send("PUT", WS + "/providers/Microsoft.Authorization/roleAssignments/" + UUID.randomUUID(),
                admin, "{\"properties\":{\"roleDefinitionId\":\"" + dev.hangar.core.access.RoleDefinition.READER_ID
                        + "\",\"principalId\":\"" + ritaId + "\"}}");
        assertThat(given.statusCode()).as(given.body()).isIn(200, 201);
        assertThat(https.send("GET", WS + "/computes/box", rita, null).statusCode()).as("a reader sees it")
                .isEqualTo(200);
        var readersKeys = https.send("POST", WS + "/computes/box/listKeys", rita, null);
        assertThat(readersKeys.statusCode()).as("but not its keys").isEqualTo(403);
        assertThat(readersKeys.body()).doesNotContain(vm.password());
        var nodes = Https.json(https.send("POST", WS + "/computes/box/listNodes", admin, null)).get("nodes");
        assertThat(nodes).hasSize(1);

        var src = Files.createDirectories(work.resolve("src"));
        Files.writeString(src.resolve("train.sh"), "echo \"training on $(cat input.txt) at $LEARNING_RATE\"\n"
                + "mkdir -p outputs && echo 0.93 > outputs/score\n");
        Files.writeString(src.resolve("input.txt"), "rows");
        try (var client = HangarClient.builder().server(server.url()).token(admin)
                .caCertificate(server.certificate()).build()) {
            var upload = client.codes(ArmIds.parseWorkspace(WS)).upload(src);
            var made = jobs().submit("on-box", "box", "bash train.sh", ",\"codeId\":\"" + upload.code().id() + "\","
                    + "\"environmentVariables\":{\"LEARNING_RATE\":\"0.1 'quoted' $HOME\"}");
            assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
            var done = jobs().awaitStatus("on-box", "Completed", "Failed", "Canceled");
            assertThat(done.at("/properties/status").asText()).as(jobs().log("on-box")).isEqualTo("Completed");
            assertThat(jobs().log("on-box")).isEqualTo("training on rows at 0.1 'quoted' $HOME\n");
            var outputs = client.jobs(ArmIds.parseWorkspace(WS)).downloadOutputs("on-box", work.resolve("out"));
            assertThat(outputs.entries()).extracting(Tarballs.Entry::path).containsExactly("outputs/score");
        }

        var marker = UUID.randomUUID().toString();
        jobs().submit("long", "box", "echo started; sleep 300 & sleep 300; wait",
                ",\"environmentVariables\":{\"HANGAR_TEST_MARKER\":\"" + marker + "\"}");
        await().atMost(Waits.SCHEDULER_STEP).until(() -> jobs().log("long").contains("started"));
        assertThat(https.send("POST", WS + "/jobs/long/cancel", admin, null).statusCode()).isIn(200, 202);
        assertThat(jobs().awaitStatus("long", "Completed", "Failed", "Canceled").at("/properties/status").asText())
                .isEqualTo("Canceled");
        await("the job's processes, all of them, to end").atMost(Waits.SCHEDULER_STEP)
                .until(() -> HostProcesses.withEnvironment("HANGAR_TEST_MARKER", marker).isEmpty());

        var detached = https.send("DELETE", WS + "/computes/box?underlyingResourceAction=Detach", admin, null);
        assertThat(detached.statusCode()).as(detached.body()).isIn(200, 202);
        assertThat(vm.homeEntries()).isSubsetOf(".hangar");
    }

    @Test
    void aMachineIsAttachedOnceInAnyWorkspace() {
        try (var client = HangarClient.builder().server(server.url()).token(admin)
                .caCertificate(server.certificate()).build()) {
            var spec = VirtualMachineSpec.of("127.0.0.1", SlurmSpec.Account.privateKey(vm.username(),
                    vm.key().privateKey())).withSshPort(vm.port()).withDescription("through the client");
            var attached = client.workspace(ArmIds.parseWorkspace(WS)).attachVirtualMachine("box-client", spec);
            assertThat(attached.action().name()).isEqualTo("ATTACH");
        }
        var shown = Https.json(https.send("GET", WS + "/computes/box-client", admin, null));
        assertThat(shown.at("/properties/computeType").asText()).isEqualTo("VirtualMachine");

        var elsewhere = https.send("PUT", TEAM + "/computes/box-again", admin,
                azureBody(vm.port(), vm.password(), "").replace("127.0.0.1", "127.0.0.1"));
        assertThat(elsewhere.statusCode()).as(elsewhere.body()).isEqualTo(409);
        assertThat(AttachedJobs.code(elsewhere)).isEqualTo("ComputeAlreadyAttached");
        assertThat(Https.json(elsewhere).at("/error/message").asText()).contains("ssh://127.0.0.1:" + vm.port());
        assertThat(https.send("GET", TEAM + "/computes/box-again", admin, null).statusCode()).isEqualTo(404);
    }

    @Test
    void whatCannotBeIsRefusedAndNothingIsRecordedOrLeftOnTheMachine() throws Exception {
        Commands.run(List.of("rm", "-rf", vm.home().resolve(".hangar").toString()), Map.of());
        var wrongPassword = https.send("PUT", WS + "/computes/bad-pass", admin, azureBody(vm.port(), "nope", ""));
        assertThat(wrongPassword.statusCode()).as(wrongPassword.body()).isEqualTo(400);
        assertThat(AttachedJobs.code(wrongPassword)).isEqualTo("VirtualMachineAuthenticationFailed");

        var port = Ports.freeLoopback();
        var unreachable = https.send("PUT", WS + "/computes/bad-port", admin, azureBody(port, vm.password(), ""));
        assertThat(AttachedJobs.code(unreachable)).isEqualTo("VirtualMachineUnreachable");
        assertThat(Https.json(unreachable).at("/error/message").asText()).contains("127.0.0.1:" + port);

        var other = ClientKey.generate().publicKey().split(" ");
        var changedKey = https.send("PUT", WS + "/computes/bad-key", admin, azureBody(vm.port(), vm.password(),
                ",\"hostKey\":\"" + other[0] + " " + other[1] + "\""));
        assertThat(AttachedJobs.code(changedKey)).isEqualTo("VirtualMachineHostKeyMismatch");
        assertThat(Https.json(changedKey).at("/error/message").asText()).contains(vm.hostKey());

        var byResourceId = https.send("PUT", WS + "/computes/bad-id", admin, """
                {"properties":{"computeType":"VirtualMachine","resourceId":"/subscriptions/0/resourceGroups/rg/\
                providers/Microsoft.Compute/virtualMachines/vm1","properties":{"sshPort":22,
                "administratorAccount":{"username":"azureuser","password":"x"}}}}""");
        assertThat(AttachedJobs.code(byResourceId)).isEqualTo("InvalidVirtualMachineSetting");
        assertThat(Https.json(byResourceId).at("/error/message").asText()).contains("address is required");

        for (var name : List.of("bad-pass", "bad-port", "bad-key", "bad-id")) {
            assertThat(https.send("GET", WS + "/computes/" + name, admin, null).statusCode()).as(name)
                    .isEqualTo(404);
        }
        assertThat(vm.homeEntries()).as("nothing made on the machine").isEmpty();
    }

    /**
     * A job in an environment with an image runs in a container of it on a machine with Podman (this host's root,
     * its sessions given a home of the test's and Hangar's containers.conf), and is refused on one without an engine.
     */
    @Test
    void aJobInAnImageRunsInAContainerWhereTheMachineHasAnEngine() throws Exception {
        String image;
        try {
            image = InstanceImage.reference();
        } catch (IllegalStateException e) {
            Assumptions.abort("No instance image to run jobs in: " + e.getMessage());
            return;
        }
        assertThat(https.send("PUT", WS + "/environments/vm-image/versions/1", admin,
                "{\"properties\":{\"image\":\"" + image + "\"}}").statusCode()).isIn(200, 201);
        jobs().attach("box-plain", azureBody(vm.port(), vm.password(), ""));
        var refused = https.send("PUT", WS + "/jobs/plain-image", admin, EnvironmentsIT.sdkJob("plain-image",
                "box-plain", "azureml:vm-image:1", "true"));
        assertThat(AttachedJobs.code(refused)).isEqualTo("ImagesUnsupported");

        var key = ClientKey.generate();
        try (var podman = PodmanEngine.start();
                var root = SshHost.start(vm.folder().resolve("root-ssh"), false, Map.of("HOME",
                        Files.createDirectories(vm.folder().resolve("root-home")).toString(), "CONTAINERS_CONF",
                        podman.containersConf().toString()))) {
            root.authorize("root", key.publicKey());
            jobs().attach("box-podman", """
                    {"properties":{"computeType":"VirtualMachine","properties":{"address":"127.0.0.1","sshPort":%d,
                     "administratorAccount":{"username":"root","privateKeyData":%s}}}}""".formatted(root.port(),
                    Https.JSON.valueToTree(key.privateKey()).toString()));
            assertThat(Https.json(https.send("GET", WS + "/computes/box-podman", admin, null))
                    .at("/properties/properties/containerEngine").asText()).isEqualTo("podman");
            var sent = https.send("PUT", WS + "/jobs/in-image", admin, EnvironmentsIT.sdkJob("in-image",
                    "box-podman", "azureml:vm-image:1", "test -f /run/.containerenv && echo in a container"));
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
            var done = jobs().awaitStatus("in-image", "Completed", "Failed", "Canceled");
            assertThat(done.at("/properties/status").asText()).as(jobs().log("in-image")).isEqualTo("Completed");
            assertThat(jobs().log("in-image")).isEqualTo("in a container\n");
            jobs().detachAll(List.of(WS));
        }
    }

    @Test
    void aKilledHangarFindsItsJobOnTheMachineAfterARestartAndRunsItOnce() throws Exception {
        jobs().attach("box-crash", azureBody(vm.port(), vm.password(), ""));
        var ran = vm.folder().resolve("ran-" + UUID.randomUUID() + ".txt");
        Files.writeString(ran, "");
        Files.setPosixFilePermissions(ran, PosixFilePermissions.fromString("rw-rw-rw-"));
        jobs().submit("survives", "box-crash", "echo started; sleep 3; echo ran >> " + ran + "; echo done", "");
        await().atMost(Waits.SCHEDULER_STEP).until(() -> jobs().log("survives").contains("started"));
        server.kill();
        server.start();
        https = new Https(server.url(), server.certificate());

        var done = jobs().awaitStatus("survives", "Completed", "Failed", "Canceled");
        assertThat(done.at("/properties/status").asText()).as(jobs().log("survives")).isEqualTo("Completed");
        assertThat(jobs().log("survives")).isEqualTo("started\ndone\n");
        assertThat(Files.readAllLines(ran)).containsExactly("ran");
    }
}
