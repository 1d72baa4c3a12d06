package dev.hangar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import dev.hangar.testkit.arm.ArmServer.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hangar compute attach} of a virtual machine, from az's {@code type: virtualmachine} YAML and options. */
class VirtualMachineCommandsTest {
    private static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE\n"
            + "-----END OPENSSH PRIVATE KEY-----\n";
    /** As az ml's docs write it, with Hangar's address beside the resource id. */
    private static final String VM_YAML = """
            $schema: https://azuremlschemas.azureedge.net/latest/vmCompute.schema.json
            name: box
            type: virtualmachine
            description: the team's box
            resource_id: /subscriptions/x/resourceGroups/y/providers/Microsoft.Compute/virtualMachines/box
            address: 10.0.0.5
            ssh_settings:
              admin_username: azureuser
              admin_password: s3cret
              ssh_port: 2222
            """;
    private static final String SHOWN = """
            {"id":"%s","name":"box","type":"Microsoft.MachineLearningServices/workspaces/computes","location":"local",
             "properties":{"computeType":"VirtualMachine","provisioningState":"Succeeded","isAttachedCompute":true,
              "properties":{"address":"10.0.0.5","sshPort":2222,"administratorAccount":{"username":"azureuser"},
               "hostKey":"ssh-ed25519 AAAAC3Nz","os":"Debian GNU/Linux 12","cpus":4,"memoryGB":15.6,"gpus":0,
               "containerEngine":"podman","python":true}}}""".formatted(Arm.compute("box"));

    private final ArmServer server = ArmServer.start();
    private final ObjectMapper json = new ObjectMapper();
    @TempDir
    Path home;
    private Cli cli;

    @BeforeEach
    void logIn() {
        cli = Cli.loggedIn(home, server);
        server.on("PUT", Arm.compute("box"), Arm.accepted(Reply.json(201, SHOWN), "op-1", 0));
        server.on("GET", Arm.operationPath("op-1"), Reply.json(200, Arm.operation("op-1", "Succeeded")));
        server.on("GET", Arm.compute("box"), Reply.json(200, SHOWN));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void attachFromAzsYamlSendsAzuresBodyAndShowsTheMachineWithoutThePassword() throws IOException {
        var file = Files.writeString(home.resolve("vm.yml"), VM_YAML);

        var result = cli.run("compute", "attach", "-f", file.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.errLines()).isEmpty();
        assertThat(sent()).isEqualTo(json.readTree("""
                {"location":"local","properties":{"computeType":"VirtualMachine","description":"the team's box",
                 "resourceId":"/subscriptions/x/resourceGroups/y/providers/Microsoft.Compute/virtualMachines/box",
                 "properties":{"sshPort":2222,"address":"10.0.0.5",
                  "administratorAccount":{"username":"azureuser","password":"s3cret"}}}}"""));
        assertThat(result.out()).contains("10.0.0.5:2222", "azureuser", "podman", "Debian GNU/Linux 12")
                .doesNotContain("s3cret");
    }

    @Test
    void attachFromOptionsSendsThePrivateKey() throws IOException {
        var key = Files.writeString(home.resolve("id"), KEY);

        var result = cli.run("compute", "attach", "-n", "box", "--type", "VirtualMachine", "--address", "10.0.0.5",
                "--admin-username", "azureuser", "--ssh-private-key-file", key.toString(), "--ssh-key-passphrase",
                "open-sesame", "--no-wait");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(sent().at("/properties/properties/administratorAccount/privateKeyData").asText()).isEqualTo(KEY);
        assertThat(sent().at("/properties/properties/administratorAccount/passphrase").asText())
                .isEqualTo("open-sesame");
        assertThat(result.out() + result.err()).doesNotContain("OPENSSH", "open-sesame");
    }

    @Test
    void aMachineWithoutAnAddressOrWithSlurmsOptionsIsRefusedAndNothingIsSent() throws IOException {
        var file = Files.writeString(home.resolve("vm.yml"), VM_YAML.replace("address: 10.0.0.5\n", ""));

        var noAddress = cli.run("compute", "attach", "-f", file.toString());
        var slurmOption = cli.run("compute", "attach", "-f", file.toString(), "--address", "10.0.0.5",
                "--partition", "gpu");

        assertThat(noAddress.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noAddress.err()).contains("MissingComputeField", "address", "resource_id");
        assertThat(slurmOption.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(slurmOption.err()).contains("--partition (partition) applies to Slurm only");
        assertThat(server.requests("PUT", Arm.compute("box"))).isEmpty();
    }

    private JsonNode sent() throws IOException {
        return json.readTree(server.requests("PUT", Arm.compute("box")).get(0).body());
    }
}
