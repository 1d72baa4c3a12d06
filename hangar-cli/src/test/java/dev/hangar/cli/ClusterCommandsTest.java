package dev.hangar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.testkit.arm.Arm;
import dev.hangar.testkit.arm.ArmServer;
import dev.hangar.testkit.arm.ArmServer.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code hangar compute} on compute clusters: create (options and YAML), update, list-nodes, list and show. */
class ClusterCommandsTest {
    private static final String CLUSTER_YAML = """
            $schema: https://azuremlschemas.azureedge.net/latest/amlCompute.schema.json
            name: cpu-cluster
            type: amlcompute
            size: STANDARD_DS3_v2
            min_instances: 1
            max_instances: 2
            idle_time_before_scale_down: 180
            tier: low_priority
            location: eastus
            description: training
            tags:
              team: ml
            """;

    private final ArmServer server = ArmServer.start();
    private final ObjectMapper json = new ObjectMapper();
    @TempDir
    Path home;
    private Cli cli;

    @BeforeEach
    void logIn() {
        cli = Cli.loggedIn(home, server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createFromOptionsWaitsForTheOperationAndPrintsEachState() {
        scriptCreate("cl1", 0, 4);

        var result = cli.run("compute", "create", "-n", "cl1", "--type", "amlcompute", "-s", "Standard_DS3_v2");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).containsExactly("Creating", "Steady", "Compute 'cl1' is Steady 0/4 nodes.");
        assertThat(sent("PUT", "cl1")).isEqualTo(parse("""
                {"location":"local","properties":{"computeType":"AmlCompute","properties":{"vmSize":"Standard_DS3_v2",
                 "vmPriority":"Dedicated",
                 "scaleSettings":{"maxNodeCount":4,"minNodeCount":0,"nodeIdleTimeBeforeScaleDown":"PT120S"}}}}"""));
    }

    @ParameterizedTest(name = "--type {0}")
    @ValueSource(strings = {"AmlCompute", "AMLCOMPUTE"})
    void theTypeIsReadInAnyCase(String type) {
        scriptCreate("cl1", 1, 3);

        var result = cli.run("compute", "create", "-n", "cl1", "-t", type, "-s", "Standard_DS3_v2",
                "--min-instances", "1", "--max-instances", "3", "--idle-time-before-scale-down", "600",
                "--tier", "LOW_PRIORITY", "--description", "training", "--tag", "team=ml", "--no-wait");

        assertThat(result.exitCode()).as(result.err()).isZero();
        var body = sent("PUT", "cl1");
        assertThat(body.at("/properties/properties")).isEqualTo(parse("""
                {"vmSize":"Standard_DS3_v2","vmPriority":"LowPriority",
                 "scaleSettings":{"maxNodeCount":3,"minNodeCount":1,"nodeIdleTimeBeforeScaleDown":"PT600S"}}"""));
        assertThat(body.at("/properties/description").asText()).isEqualTo("training");
        assertThat(body.at("/tags/team").asText()).isEqualTo("ml");
    }

    @Test
    void createFromYamlWithOptionsOverridingItsKeys() throws IOException {
        var file = Files.writeString(home.resolve("cluster.yml"), CLUSTER_YAML);
        scriptCreate("cpu-cluster", 1, 3);

        var result = cli.run("compute", "create", "-f", file.toString(), "--max-instances", "3",
                "--tag", "owner=alice");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).last().isEqualTo("Compute 'cpu-cluster' is Steady 0/3 nodes.");
        assertThat(result.errLines()).containsExactly("Note: 'location' in cluster.yml is not used by Hangar.");
        assertThat(sent("PUT", "cpu-cluster")).isEqualTo(parse("""
                {"location":"local","tags":{"team":"ml","owner":"alice"},
                 "properties":{"computeType":"AmlCompute","description":"training",
                  "properties":{"vmSize":"STANDARD_DS3_v2","vmPriority":"LowPriority",
                   "scaleSettings":{"maxNodeCount":3,"minNodeCount":1,"nodeIdleTimeBeforeScaleDown":"PT180S"}}}}"""));
    }

    @Test
    void createAnInstanceFromYaml() throws IOException {
        var file = Files.writeString(home.resolve("instance.yml"), """
                name: ci9
                type: computeinstance
                size: Standard_DS3_v2
                ssh_settings:
                  ssh_key_value: ssh-ed25519 AAAA alice@laptop
                """);
        server.on("PUT", Arm.compute("ci9"), Arm.accepted(Reply.json(201,
                Arm.instance("ci9", "Creating", Arm.ALICE, null)), "op-1", 0));

        var result = cli.run("compute", "create", "-f", file.toString(), "--no-wait");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(sent("PUT", "ci9").at("/properties/properties")).isEqualTo(parse("""
                {"vmSize":"Standard_DS3_v2",
                 "sshSettings":{"sshPublicAccess":"Enabled","adminPublicKey":"ssh-ed25519 AAAA alice@laptop"}}"""));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("a cluster option for an instance", null,
                        new String[] {"compute", "create", "-n", "ci9", "-s", "Standard_DS3_v2", "--min-instances", "1"},
                        "ERROR: InvalidComputeOption: --min-instances (min_instances) applies to type amlcompute only,"
                                + " not to computeinstance"),
                Arguments.of("cluster keys in an instance's YAML", "name: ci9\ntype: computeinstance\nsize: S\n"
                        + "max_instances: 2\ntier: dedicated\n", new String[] {"compute", "create", "-f", "{yaml}"},
                        "ERROR: InvalidComputeOption: --max-instances (max_instances), --tier (tier) apply to type"
                                + " amlcompute only, not to computeinstance"),
                Arguments.of("an instance key for a cluster", "name: cl9\ntype: amlcompute\nsize: S\n"
                        + "ssh_settings:\n  ssh_key_value: ssh-ed25519 AAAA\n",
                        new String[] {"compute", "create", "-f", "{yaml}"},
                        "ERROR: InvalidComputeOption: --ssh-key (ssh_settings.ssh_key_value) applies to type"
                                + " computeinstance only, not to amlcompute"),
                Arguments.of("a cluster option of another type than the file's", CLUSTER_YAML,
                        new String[] {"compute", "create", "-f", "{yaml}", "--type", "computeinstance"},
                        "ERROR: InvalidComputeOption: --min-instances (min_instances), --max-instances (max_instances),"
                                + " --idle-time-before-scale-down (idle_time_before_scale_down), --tier (tier) apply"),
                Arguments.of("an unknown tier", null, new String[] {"compute", "create", "-n", "cl9", "--type",
                    "amlcompute", "-s", "S", "--tier", "spot"},
                        "ERROR: InvalidComputeOption: a tier is dedicated or low_priority, not 'spot'"),
                Arguments.of("a negative idle time", null, new String[] {"compute", "create", "-n", "cl9", "--type",
                    "amlcompute", "-s", "S", "--idle-time-before-scale-down", "-5"},
                        "ERROR: InvalidComputeOption: the idle time before scale down is 0 seconds or more, not -5"),
                Arguments.of("a type Hangar does not create", null, new String[] {"compute", "create", "-n", "k8s",
                    "--type", "kubernetes", "-s", "S"},
                        "ERROR: UnsupportedComputeType: Hangar creates computeinstance and amlcompute computes, not"
                                + " 'kubernetes'"),
                Arguments.of("no name", "type: amlcompute\nsize: S\n", new String[] {"compute", "create", "-f", "{yaml}"},
                        "ERROR: MissingComputeField: a compute needs a name and a size"),
                Arguments.of("no size", null, new String[] {"compute", "create", "-n", "cl9", "--type", "amlcompute"},
                        "ERROR: MissingComputeField: a compute needs a name and a size"),
                Arguments.of("a count that is not a number", "name: cl9\ntype: amlcompute\nsize: S\n"
                        + "max_instances: lots\n", new String[] {"compute", "create", "-f", "{yaml}"},
                        "ERROR: InvalidComputeFile: "),
                Arguments.of("a file that is not a mapping", "- just\n- a list\n",
                        new String[] {"compute", "create", "-f", "{yaml}"}, "ERROR: InvalidComputeFile: "),
                Arguments.of("an update of nothing", null, new String[] {"compute", "update", "-n", "cl1"},
                        "ERROR: UsageError: nothing to update: give --min-instances, --max-instances or"
                                + " --idle-time-before-scale-down"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusalsAreUsageErrorsAndSendNothing(String description, String yaml, String[] args, String errorLine)
            throws IOException {
        var file = home.resolve("compute.yml");
        if (yaml != null) {
            Files.writeString(file, yaml);
        }
        var arguments = Arrays.stream(args).map(arg -> arg.replace("{yaml}", file.toString())).toArray(String[]::new);

        var result = cli.run(arguments);

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.errLines()).last().asString().startsWith(errorLine);
        assertThat(server.requests()).noneMatch(request -> request.method().equals("PUT")
                || request.method().equals("PATCH"));
    }

    @Test
    void updateSendsTheWholeScaleSettingsWithTheGivenOnesChanged() {
        server.on("GET", Arm.compute("cl1"), Reply.json(200, Arm.cluster("cl1", "Succeeded", "Steady", 0, 4, 0)),
                Reply.json(200, Arm.cluster("cl1", "Succeeded", "Resizing", 2, 4, 0)));
        server.on("PATCH", Arm.compute("cl1"), Reply.json(200, Arm.cluster("cl1", "Succeeded", "Resizing", 2, 4, 0)));

        var result = cli.run("compute", "update", "-n", "cl1", "--min-instances", "2");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).containsExactly("Compute 'cl1' is Resizing 0/4 nodes.");
        assertThat(sent("PATCH", "cl1")).isEqualTo(parse("""
                {"properties":{"properties":{"scaleSettings":
                 {"maxNodeCount":4,"minNodeCount":2,"nodeIdleTimeBeforeScaleDown":"PT120S"}}}}"""));
    }

    @Test
    void updatingAnInstanceIsRefused() {
        server.on("GET", Arm.compute("ci1"), Reply.json(200, Arm.instance("ci1", "Running", Arm.ALICE, null)));

        var result = cli.run("compute", "update", "-n", "ci1", "--max-instances", "2");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.errLines()).containsExactly("ERROR: OperationNotSupported: compute 'ci1' is a"
                + " ComputeInstance, not a cluster (AmlCompute): it has no scale settings");
    }

    @Test
    void listNodesPrintsEveryPageAsATable() {
        server.on("POST", Arm.compute("cl1") + "/listNodes", Reply.json(200,
                Arm.nodes("{base}" + Arm.compute("cl1") + "/listNodes?$skip=2", 0, "running", "idle")));
        server.on("GET", Arm.compute("cl1") + "/listNodes?$skip=2", Reply.json(200, Arm.nodes(null, 2, "leaving")));

        var table = cli.run("compute", "list-nodes", "-n", "cl1");
        var asJson = cli.run("compute", "list-nodes", "-n", "cl1", "-o", "json");

        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.outLines()).containsExactly(
                "NODE ID  STATE    JOB",
                "tvm-0    running  job-0",
                "tvm-1    idle     -",
                "tvm-2    leaving  -");
        var nodes = parse(asJson.out());
        assertThat(nodes.get("nodes")).hasSize(3);
        assertThat(nodes.get("nodes").get(0).get("runId").asText()).isEqualTo("job-0");
        assertThat(nodes.get("nextLink").isNull()).isTrue();
    }

    @Test
    void listShowsAClustersAllocationStateAndNodes() {
        server.on("GET", Arm.computes(), Reply.json(200, Arm.page(null, Arm.instance("ci1", "Running", Arm.ALICE, null),
                Arm.cluster("cl1", "Succeeded", "Steady", 0, 4, 2), Arm.cluster("cl2", "Creating", "Steady", 0, 4, 0))));

        var result = cli.run("compute", "list");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.outLines()).containsExactly(
                "NAME  STATE               VM SIZE          TYPE             CREATED BY",
                "ci1   Running             Standard_DS3_v2  ComputeInstance  alice",
                "cl1   Steady 2/4 nodes    Standard_DS3_v2  AmlCompute       -",
                "cl2   Creating 0/4 nodes  Standard_DS3_v2  AmlCompute       -");
    }

    @Test
    void showPrintsAClustersScaleSettingsAndNodesAndNoHistory() {
        server.on("GET", Arm.compute("cl1"), Reply.json(200, Arm.cluster("cl1", "Succeeded", "Resizing", 1, 4, 2)));

        var result = cli.run("compute", "show", "-n", "cl1");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("""
                Name                    cl1
                Id                      %s
                Type                    AmlCompute
                State                   Resizing
                Provisioning state      Succeeded
                VM size                 Standard_DS3_v2
                Location                local
                Description             training
                Created on              2025-01-02T03:04:05Z
                Modified on             2025-01-02T03:04:06Z
                Tier                    Dedicated
                Min nodes               1
                Max nodes               4
                Idle before scale down  120 s
                Allocation state        Resizing since 2025-01-02T03:04:07Z
                Current nodes           2
                Target nodes            2
                Node states             1 idle, 1 running, 0 preparing, 0 unusable, 0 leaving, 0 preempted
                Tags                    team=ml
                """.formatted(Arm.compute("cl1")));
        assertThat(server.requests("GET", Arm.compute("cl1") + "/history")).isEmpty();
    }

    @Test
    void sshToAClusterSaysOnlyInstancesHaveIt() {
        server.on("GET", Arm.compute("cl1"), Reply.json(200, Arm.cluster("cl1", "Succeeded", "Steady", 0, 4, 0)));

        var result = cli.run("compute", "ssh", "-n", "cl1");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.errLines()).containsExactly("ERROR: SshNotEnabled: compute 'cl1' is not a compute instance:"
                + " only instances are reached over SSH");
    }

    /** A create of {@code name} answered 201, its operation InProgress then Succeeded, the cluster Creating then Steady. */
    private void scriptCreate(String name, int min, int max) {
        server.on("PUT", Arm.compute(name), Arm.accepted(Reply.json(201,
                Arm.cluster(name, "Creating", "Steady", min, max, 0)), "op-1", 0));
        server.on("GET", Arm.operationPath("op-1"), Reply.json(200, Arm.operation("op-1", "InProgress")),
                Reply.json(200, Arm.operation("op-1", "Succeeded")));
        server.on("GET", Arm.compute(name), Reply.json(200, Arm.cluster(name, "Creating", "Steady", min, max, 0)),
                Reply.json(200, Arm.cluster(name, "Succeeded", "Steady", min, max, 0)));
    }

    private JsonNode sent(String method, String name) {
        return parse(server.requests(method, Arm.compute(name)).get(0).body());
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(text, e);
        }
    }
}
