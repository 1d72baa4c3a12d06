package dev.hangar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import dev.hangar.testkit.arm.ArmServer.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ComputeCommandsTest {
    private static final String OTHER_WORKSPACE = "/subscriptions/" + ArmServer.SUBSCRIPTION
            + "/resourceGroups/rg2/providers/Microsoft.MachineLearningServices/workspaces/ws2";

    private final ArmServer server = ArmServer.start();
    private final ObjectMapper json = new ObjectMapper();
    @TempDir
    Path home;
    private Cli cli;

    @BeforeEach
    void logIn() {
        cli = Cli.loggedIn(home, server);
        server.on("GET", Arm.computes(), Reply.json(200, Arm.page("{base}" + Arm.computes() + "?$skip=2",
                Arm.instance("ci1", "Running", Arm.ALICE, null), Arm.instance("ci2", "Stopped", Arm.BOB, Arm.ALICE))));
        server.on("GET", Arm.computes() + "?$skip=2", Reply.json(200,
                Arm.page(null, Arm.instance("ci3", "Creating", Arm.BOB, null))));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void listPrintsEveryPageAsATable() {
        var result = cli.run("compute", "list");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).containsExactly(
                "NAME  STATE     VM SIZE          TYPE             CREATED BY",
                "ci1   Running   Standard_DS3_v2  ComputeInstance  alice",
                "ci2   Stopped   Standard_DS3_v2  ComputeInstance  alice",
                "ci3   Creating  Standard_DS3_v2  ComputeInstance  alice");
    }

    @Test
    void listMineAsksTheServerForWhatICreatedOrWasAssigned() {
        server.on("GET", Arm.computes() + "?user=me", Reply.json(200, Arm.page(null,
                Arm.instance("ci1", "Running", Arm.ALICE, null), Arm.instance("ci2", "Stopped", Arm.BOB, Arm.ALICE))));

        var result = cli.run("compute", "list", "--mine", "-o", "json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(names(parse(result.out()).get("value"))).containsExactly("ci1", "ci2");
        assertThat(server.requests("GET", Arm.computes())).singleElement()
                .satisfies(request -> assertThat(request.query()).containsEntry("user", "me"));
    }

    @Test
    void outputDefaultsToHangarOutput() {
        var result = cli.env("HANGAR_OUTPUT", "json").run("compute", "list");

        var list = parse(result.out());
        assertThat(names(list.get("value"))).containsExactly("ci1", "ci2", "ci3");
        assertThat(list.has("nextLink")).isFalse();
        var instance = list.get("value").get(0).get("properties");
        assertThat(instance.get("computeType").asText()).isEqualTo("ComputeInstance");
        assertThat(instance.get("createdOn").asText()).isEqualTo("2025-01-02T03:04:05Z");
        assertThat(instance.get("properties").get("state").asText()).isEqualTo("Running");
        assertThat(instance.get("properties").has("subnet")).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "-w ws2 -g rg2                        | rg2 | ws2",
        "--workspace-name ws2 --resource-group rg2 | rg2 | ws2",
        "-w ws2                               | rg1 | ws2",
        "-g rg2 -w ws2 -o json                | rg2 | ws2"})
    void workspaceNameAndResourceGroupWorkAsInAz(String options, String group, String name) {
        var path = "/subscriptions/" + ArmServer.SUBSCRIPTION + "/resourceGroups/" + group
                + "/providers/Microsoft.MachineLearningServices/workspaces/" + name + "/computes";
        server.on("GET", path, Reply.json(200, Arm.page(null, Arm.instance("other", "Running", Arm.ALICE, null))));
        var args = new java.util.ArrayList<>(List.of("compute", "list"));
        args.addAll(List.of(options.split(" ")));

        var result = cli.run(args.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("other");
        assertThat(server.requests("GET", path)).hasSize(1);
    }

    @Test
    void aResourceGroupWithoutAWorkspaceNameIsAUsageError() {
        var result = cli.run("compute", "show", "-n", "ci1", "-g", "rg2");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.errLines()).containsExactly("ERROR: InvalidWorkspace: -g rg2 names a resource group: pass the"
                + " workspace's name too, -w NAME -g rg2");
        assertThat(server.requests()).noneMatch(request -> request.path().contains("/computes/ci1"));
    }

    @Test
    void aResourceGroupOtherThanTheIdsIsAUsageError() {
        var result = cli.run("compute", "list", "-w", OTHER_WORKSPACE, "-g", "rg9");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("-g rg9 is not the resource group of the workspace id");
    }

    @Test
    void workspaceOptionAndVariableChooseAnotherWorkspace() {
        server.on("GET", OTHER_WORKSPACE + "/computes", Reply.json(200, Arm.page(null)));

        assertThat(cli.run("compute", "list", "--workspace", OTHER_WORKSPACE).outLines()).hasSize(1);
        assertThat(cli.env("HANGAR_WORKSPACE", OTHER_WORKSPACE).run("compute", "list").outLines()).hasSize(1);
        assertThat(server.requests("GET", OTHER_WORKSPACE + "/computes")).hasSize(2);
    }

    @Test
    void showPrintsTheComputeAndItsHistory() {
        server.on("GET", Arm.compute("ci1"), Reply.json(200, Arm.instance("ci1", "Running", Arm.ALICE, null)));
        server.on("GET", Arm.compute("ci1") + "/history", Reply.json(200, Arm.history("ci1")));

        var result = cli.run("compute", "show", "-n", "ci1");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).startsWith("Name                ci1", "Id                  " + Arm.compute("ci1"),
                "Type                ComputeInstance", "State               Running",
                "Provisioning state  Succeeded", "VM size             Standard_DS3_v2");
        assertThat(result.out()).contains("Jupyter             https://127.0.0.1/apps/ci1/jupyter/");
        assertThat(result.out()).endsWith("""
                History:
                TIME                  FROM      TO        REASON         ACTOR
                2025-01-02T03:04:05Z  -         Creating  created        alice
                2025-01-02T03:04:09Z  Creating  Running   backend ready  reconciler
                """);
    }

    @ParameterizedTest(name = "user {0}, port {1}")
    @CsvSource({"azureuser, 50022, 'Disabled (azureuser, port 50022)'", "azureuser, , Disabled (azureuser)", ", , Disabled"})
    void showNamesOnlyTheSshDetailsTheServerGives(String user, Integer port, String line) {
        var instance = Arm.instance("ci1", "Running", Arm.ALICE, null).replace(
                "\"adminUserName\":\"azureuser\",\"sshPort\":50022",
                "\"adminUserName\":" + (user == null ? "null" : "\"" + user + "\"") + ",\"sshPort\":" + port);
        server.on("GET", Arm.compute("ci1"), Reply.json(200, instance));
        server.on("GET", Arm.compute("ci1") + "/history", Reply.json(200, Arm.history("ci1")));

        var result = cli.run("compute", "show", "-n", "ci1");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).contains("SSH                 " + line);
    }

    @Test
    void showAndSshPrintTheSshCommandOfAnInstanceWithSsh() {
        var instance = Arm.instance("ci1", "Running", Arm.ALICE, null)
                .replace("\"sshPublicAccess\":\"Disabled\"", "\"sshPublicAccess\":\"Enabled\"")
                .replace("\"connectivityEndpoints\":null",
                        "\"connectivityEndpoints\":{\"publicIpAddress\":\"127.0.0.1\",\"privateIpAddress\":null}");
        server.on("GET", Arm.compute("ci1"), Reply.json(200, instance));
        server.on("GET", Arm.compute("ci1") + "/history", Reply.json(200, Arm.history("ci1")));

        var show = cli.run("compute", "show", "-n", "ci1");
        var print = cli.run("compute", "ssh", "-n", "ci1", "--print", "-i", "/keys/my key",
                "--ssh-option", "StrictHostKeyChecking=accept-new", "--", "ls", "-la");
        var json = cli.run("compute", "ssh", "-n", "ci1", "--print", "-o", "json");

        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.outLines()).contains("SSH                 Enabled (azureuser, port 50022)",
                "SSH command         ssh -p 50022 ci1.ws1@127.0.0.1");
        assertThat(print.exitCode()).as(print.err()).isZero();
        assertThat(print.outLines()).containsExactly("ssh -p 50022 -i '/keys/my key' -o StrictHostKeyChecking=accept-new"
                + " ci1.ws1@127.0.0.1 ls -la");
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(parse(json.out())).isEqualTo(parse("{\"user\":\"ci1.ws1\",\"host\":\"127.0.0.1\",\"port\":50022}"));
    }

    @Test
    void sshRefusesAnInstanceWithoutSsh() {
        server.on("GET", Arm.compute("ci2"), Reply.json(200, Arm.instance("ci2", "Running", Arm.ALICE, null)));

        var result = cli.run("compute", "ssh", "-n", "ci2");

        assertThat(result.exitCode()).as("as the server's OperationNotSupported").isEqualTo(ExitCodes.USAGE);
        assertThat(result.errLines()).containsExactly("ERROR: SshNotEnabled: compute 'ci2' was created without SSH"
                + " access. SSH is chosen when an instance is created and cannot be added later: create another"
                + " instance with --ssh-key ~/.ssh/id_ed25519.pub");
        assertThat(result.err()).as("a create of the same name fails with SshSettingsCannotBeUpdated")
                .doesNotContain("create -n ci2");
    }

    @Test
    void createWaitsAndPrintsEachState() throws IOException {
        server.on("PUT", Arm.compute("ci4"), Arm.accepted(Reply.json(201, Arm.instance("ci4", "Creating", Arm.ALICE, null)),
                "op-1", 0));
        Arm.script(server, "ci4", "op-1", 0, List.of("InProgress", "InProgress", "Succeeded"),
                List.of("Creating", "Creating", "Running"));

        var result = cli.run("compute", "create", "-n", "ci4", "-s", "Standard_DS3_v2", "--description", "notebooks",
                "--tag", "team=ml");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).containsExactly("Creating", "Running", "Compute 'ci4' is Running.");
        var body = json.readTree(server.requests("PUT", Arm.compute("ci4")).get(0).body());
        assertThat(body.get("location").asText()).isEqualTo(Arm.LOCATION);
        assertThat(body.get("tags").get("team").asText()).isEqualTo("ml");
        assertThat(body.get("properties").get("description").asText()).isEqualTo("notebooks");
        assertThat(body.get("properties").get("properties").get("vmSize").asText()).isEqualTo("Standard_DS3_v2");
    }

    @Test
    void createWithoutWaitingPrintsTheServersAnswer() {
        server.on("PUT", Arm.compute("ci4"), Arm.accepted(Reply.json(201, Arm.instance("ci4", "Creating", Arm.ALICE, null)),
                "op-1", 0));

        var result = cli.run("compute", "create", "-n", "ci4", "-s", "Standard_DS3_v2", "--no-wait", "-o", "json");

        assertThat(result.exitCode()).isZero();
        assertThat(parse(result.out()).get("properties").get("properties").get("state").asText()).isEqualTo("Creating");
        assertThat(server.requests("GET", Arm.operationPath("op-1"))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"start, Starting, Running", "stop, Stopping, Stopped", "restart, Restarting, Running"})
    void actionsWaitAndPrintEachState(String action, String during, String after) {
        server.on("POST", Arm.compute("ci1") + "/" + action, Arm.accepted(Reply.empty(202), "op-2", 0));
        Arm.script(server, "ci1", "op-2", 0, List.of("InProgress", "Succeeded"), List.of(during, after));

        var result = cli.run("compute", action, "-n", "ci1");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).containsExactly(during, after, "Compute 'ci1' is " + after + ".");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void jsonOutputKeepsProgressOffStdout() {
        server.on("POST", Arm.compute("ci1") + "/stop", Arm.accepted(Reply.empty(202), "op-2", 0));
        Arm.script(server, "ci1", "op-2", 0, List.of("InProgress", "Succeeded"), List.of("Stopping", "Stopped"));

        var result = cli.run("compute", "stop", "-n", "ci1", "-o", "json");

        assertThat(parse(result.out()).get("properties").get("properties").get("state").asText()).isEqualTo("Stopped");
        assertThat(result.errLines()).containsExactly("Stopping", "Stopped");
    }

    @Test
    void jsonOutputOnATerminalStillPrintsOnlyJson() {
        server.on("POST", Arm.compute("ci1") + "/stop", Arm.accepted(Reply.empty(202), "op-2", 0));
        Arm.script(server, "ci1", "op-2", 0, List.of("InProgress", "Succeeded"), List.of("Stopping", "Stopped"));

        var result = cli.interactive().run("compute", "stop", "-n", "ci1", "-o", "json");

        assertThat(parse(result.out()).get("name").asText()).isEqualTo("ci1");
        assertThat(result.out()).doesNotContain("\r");
    }

    @Test
    void onATerminalAProgressLineIsRewrittenInPlace() {
        server.on("POST", Arm.compute("ci1") + "/stop", Arm.accepted(Reply.empty(202), "op-2", 0));
        Arm.script(server, "ci1", "op-2", 0, List.of("InProgress", "Succeeded"), List.of("Stopping", "Stopped"));

        var result = cli.interactive().run("compute", "stop", "-n", "ci1");

        assertThat(result.out()).contains("waiting for the stop of ci1 ... 0 s", "\r");
        assertThat(result.out().replaceAll("[^\\n]*\\r", "").lines()).containsExactly("Stopping", "Stopped",
                "Compute 'ci1' is Stopped.");
    }

    @Test
    void deleteWaitsUntilTheComputeIsGone() {
        server.on("DELETE", Arm.compute("ci1") + "?underlyingResourceAction=Delete",
                Arm.accepted(Reply.empty(202), "op-3", 0));
        Arm.script(server, "ci1", "op-3", 0, List.of("InProgress", "Succeeded"), Arrays.asList("Deleting", null));

        var result = cli.run("compute", "delete", "-n", "ci1", "--yes");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).containsExactly("Deleting", "Deleted", "Compute 'ci1' is deleted.");
    }

    @Test
    void deletingAMissingComputeSucceeds() {
        server.on("DELETE", Arm.compute("gone") + "?underlyingResourceAction=Delete", Reply.empty(204));

        var result = cli.run("compute", "delete", "-n", "gone", "-y");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).containsExactly("Compute 'gone' does not exist: nothing to delete.");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"table, Accepted: stop of 'ci1'. Follow it with 'hangar compute show -n ci1'.", "json, "})
    void noWaitReturnsOnceAccepted(String output, String line) {
        server.on("POST", Arm.compute("ci1") + "/stop", Arm.accepted(Reply.empty(202), "op-2", 0));

        var result = cli.run("compute", "stop", "-n", "ci1", "--no-wait", "-o", output);

        assertThat(result.exitCode()).isZero();
        if (line != null) {
            assertThat(result.outLines()).containsExactly(line);
        } else {
            var accepted = parse(result.out());
            assertThat(accepted.get("status").asText()).isEqualTo("Accepted");
            assertThat(accepted.get("azureAsyncOperation").asText()).endsWith(Arm.operationPath("op-2")
                    + "?api-version=2025-12-01");
        }
        assertThat(server.requests("GET", Arm.operationPath("op-2"))).isEmpty();
    }

    @Test
    void listSizesOfTheWorkspaceLocation() {
        server.on("GET", "/subscriptions/" + ArmServer.SUBSCRIPTION
                + "/providers/Microsoft.MachineLearningServices/locations/local/vmSizes", Reply.json(200, Arm.vmSizes()));

        var table = cli.run("compute", "list-sizes");
        var asJson = cli.run("compute", "list-sizes", "--location", "local", "-o", "json");

        assertThat(table.outLines()).containsExactly(
                "NAME              FAMILY               VCPUS  MEMORY GB  GPUS",
                "Standard_DS3_v2   standardDSv2Family   4      14.0       0",
                "Standard_NC6s_v3  standardNCSv3Family  6      112.0      1");
        assertThat(names(parse(asJson.out()).get("amlCompute"))).containsExactly("Standard_DS3_v2", "Standard_NC6s_v3");
    }

    static Stream<Arguments> failures() {
        Consumer<ArmServer> nothing = server -> { };
        return Stream.of(
                Arguments.of("a missing compute", (Consumer<ArmServer>) s -> s.on("GET", Arm.compute("missing"),
                        Reply.json(404, Arm.error("ResourceNotFound", "compute missing not found"))),
                        new String[] {"compute", "show", "-n", "missing"}, 4,
                        "ERROR: ResourceNotFound: compute missing not found"),
                Arguments.of("an operation in progress", (Consumer<ArmServer>) s -> s.on("POST", Arm.compute("ci1") + "/start",
                        Reply.json(409, Arm.error("Conflict", "There is already an active operation submitted"))),
                        new String[] {"compute", "start", "-n", "ci1"}, 5,
                        "ERROR: Conflict: There is already an active operation submitted"),
                Arguments.of("input the server refuses", (Consumer<ArmServer>) s -> s.on("PUT", Arm.compute("9lives"),
                        Reply.json(400, Arm.error("InvalidComputeName", "A compute name starts with a letter"))),
                        new String[] {"compute", "create", "-n", "9lives", "-s", "Standard_DS3_v2"}, 2,
                        "ERROR: InvalidComputeName: A compute name starts with a letter"),
                Arguments.of("a forbidden action", (Consumer<ArmServer>) s -> s.on("POST", Arm.compute("ci2") + "/stop",
                        Reply.json(403, Arm.error("AuthorizationFailed", "alice may not stop ci2"))),
                        new String[] {"compute", "stop", "-n", "ci2"}, 3,
                        "ERROR: AuthorizationFailed: alice may not stop ci2"),
                Arguments.of("a failed operation", (Consumer<ArmServer>) s -> {
                    s.on("PUT", Arm.compute("ci5"), Arm.accepted(Reply.json(201,
                            Arm.instance("ci5", "Creating", Arm.ALICE, null)), "op-9", 0));
                    s.on("GET", Arm.operationPath("op-9"), Reply.json(200, Arm.failedOperation("op-9", "Failed",
                            "ImagePullFailed", "cannot pull the image")));
                    s.on("GET", Arm.compute("ci5"), Reply.json(200, Arm.instance("ci5", "CreateFailed", Arm.ALICE, null)));
                }, new String[] {"compute", "create", "-n", "ci5", "-s", "Standard_DS3_v2"}, 1,
                        "ERROR: ImagePullFailed: cannot pull the image"),
                Arguments.of("a server error", (Consumer<ArmServer>) s -> s.on("GET", Arm.compute("ci1"),
                        new Reply(500, java.util.Map.of(), "Internal\nServer Error")),
                        new String[] {"compute", "show", "-n", "ci1"}, 1, "ERROR: Http500: HTTP 500: Internal Server Error"),
                Arguments.of("a missing option", nothing, new String[] {"compute", "stop"}, 2,
                        "ERROR: UsageError: Missing required option: '--name=NAME' (see 'hangar compute stop --help')"),
                Arguments.of("a missing size", nothing, new String[] {"compute", "create", "-n", "ci5"}, 2,
                        "ERROR: MissingComputeField: a compute needs a name and a size (-n and --size, or name and"
                                + " size in the YAML)"),
                Arguments.of("an unknown output", nothing, new String[] {"compute", "list", "-o", "xml"}, 2,
                        "ERROR: UsageError: Invalid value for option '--output'"),
                Arguments.of("a malformed workspace", nothing, new String[] {"compute", "list", "-w", "/subscriptions/x"}, 2,
                        "ERROR: InvalidWorkspace: not an ARM workspace id"),
                Arguments.of("no command", nothing, new String[] {"compute"}, 2,
                        "ERROR: UsageError: a compute command is required (see 'hangar compute --help')"));
    }

    @ParameterizedTest(name = "{0}: exit {3}")
    @MethodSource("failures")
    void aFailurePrintsOneErrorLineAndExitsWithItsCode(String description, Consumer<ArmServer> setup, String[] args,
                                                       int exitCode, String errorLine) {
        setup.accept(server);

        var result = cli.run(args);

        assertThat(result.exitCode()).isEqualTo(exitCode);
        assertThat(result.errLines()).singleElement().asString().startsWith(errorLine);
    }

    @Test
    void verboseAddsTheCauseChainAndTheRequest() {
        var result = cli.run("compute", "show", "-n", "missing", "--verbose");

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.errLines().get(0)).startsWith("ERROR: NoRoute: ");
        assertThat(result.errLines()).anySatisfy(line -> assertThat(line)
                .startsWith("  request: GET " + server.uri() + Arm.compute("missing") + "?api-version=2025-12-01 -> 404"));
    }

    @Test
    void notLoggedInExitsWithThree() {
        var fresh = new Cli(home.resolve("elsewhere"));

        var result = fresh.run("compute", "list");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.errLines()).singleElement().asString().startsWith("ERROR: NotLoggedIn: ");
    }

    @Test
    void anUnreachableServerExitsWithSix() {
        server.close();

        var result = cli.run("compute", "list");

        assertThat(result.exitCode()).isEqualTo(6);
        assertThat(result.errLines()).singleElement().asString().startsWith("ERROR: ConnectionFailed: cannot reach ");
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(text, e);
        }
    }

    private static List<String> names(JsonNode items) {
        var names = new java.util.ArrayList<String>();
        items.forEach(item -> names.add(item.get("name").asText()));
        return names;
    }
}
