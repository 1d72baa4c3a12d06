package dev.hangar.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.api.ComputeInstanceProperties;
import dev.hangar.api.ComputeResource;
import dev.hangar.client.ComputeClient;
import dev.hangar.client.HangarClient;
import dev.hangar.client.HangarException;
import dev.hangar.client.InstanceSpec;
import dev.hangar.client.LongRunningOperation;
import dev.hangar.client.Progress;
import dev.hangar.testkit.jupyter.Execution;
import dev.hangar.testkit.jupyter.JupyterClient;
import dev.hangar.testkit.server.LocalInstances;
import dev.hangar.testkit.server.ServerProcess;
import dev.hangar.testkit.slurm.SlurmCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scenario end to end, over HTTPS, against a real server process (H2, the host-process backend, a real
 * Jupyter), driven through the packaged {@code hangar} command in child processes and through the Java client:
 * create → Running → {@code 1+1} in a kernel over the gateway's WebSocket → a file in the home → stop (no process
 * left) → start (the file is still there) → restart → delete (no process, no directory, the name free again).
 */
class EndToEndIT {
    private static final String NAME = "e2e-notebook";
    private static final String SIZE = "STANDARD_DS1_V2";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path scratch;
    /** The fingerprint in the server's start-up banner: {@code ssh gateway: port 2222, host key SHA256:...}. */
    private static final Pattern HOST_KEY = Pattern.compile("host key (SHA256:[A-Za-z0-9+/]+)");

    static ServerProcess server;
    static LocalInstances instances;
    static HangarClient client;
    static ComputeClient computes;
    static CliProcess cli;
    /** Every instance this class made, to end what a failed test leaves running. */
    static final Set<UUID> created = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void startServerAndLogIn() throws IOException {
        server = new ServerProcess(scratch.resolve("data"), Map.of());
        server.start();
        instances = new LocalInstances(server.data());
        client = HangarClient.builder().server(server.url()).token(server.adminToken())
                .caCertificate(server.certificate()).build();
        computes = client.workspace(client.session().defaultWorkspace());
        cli = new CliProcess(scratch.resolve("home"));

        var login = cli.run("login", "--server", server.url().toString(), "--token", server.adminToken(),
                "--ca-cert", server.certificate().toString());

        assertThat(login.exitCode()).as(login.err()).isZero();
        assertThat(login.err()).isEmpty();
        assertThat(login.outLines()).hasSize(3).first().asString()
                .matches("Logged in to " + server.url() + " as admin \\([0-9a-f-]{36}\\), admin\\.");
        assertThat(login.outLines().subList(1, 3)).containsExactly(
                "Workspace: default in local (" + computes.workspace().id() + ")", "Saved to " + cli.configFile());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.configFile()))).isEqualTo("rw-------");
    }

    @AfterAll
    static void stopEverything() {
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (instances != null) {
                created.addAll(instances.computeIds());
                instances.kill(created, Duration.ofSeconds(20));
            }
        }
    }

    @Test
    void anInstanceLivesThroughTheCliAndTheClient() throws IOException {
        // create with the CLI, which waits and prints each state; read it back with both
        var create = cli.run("compute", "create", "-n", NAME, "-s", SIZE);
        assertSucceeded(create, "Creating", "Running", "Compute '" + NAME + "' is Running.");
        var computeId = theOnlyInstance();
        assertThat(instances.processes(computeId)).as("Jupyter runs").isNotEmpty();

        var shown = json(cli.run("compute", "show", "-n", NAME, "--output", "json"));
        assertThat(shown.at("/properties/properties/state").asText()).isEqualTo("Running");
        assertThat(shown.at("/properties/properties/vmSize").asText()).isEqualTo("Standard_DS1_v2");
        var jupyter = jupyterOf(computes.get(NAME));
        assertThat(jupyter).hasToString(server.url() + "/workspaces/default/computes/" + NAME + "/apps/jupyter/");
        assertThat(shown.at("/properties/properties/applications/0/endpointUri").asText()).isEqualTo(jupyter.toString());
        var list = cli.run("compute", "list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.outLines()).containsExactly("NAME          STATE    VM SIZE          TYPE             CREATED BY",
                NAME + "  Running  Standard_DS1_v2  ComputeInstance  admin");

        // use Jupyter through Hangar's gateway: a kernel over the proxied WebSocket, a file in the home
        var cells = inKernel(jupyter, "1+1", "open('probe.txt', 'w').write('kept')", "import os; os.getcwd()");
        assertThat(cells).allSatisfy(cell -> assertThat(cell.ok()).as(cell.toString()).isTrue());
        assertThat(cells).extracting(Execution::result)
                .containsExactly("2", "4", "'" + instances.home(computeId).toRealPath() + "'");
        assertThat(instances.home(computeId).resolve("probe.txt")).hasContent("kept");

        // a start while Running is refused: one error line, the conflict exit code
        var refused = cli.run("compute", "start", "-n", NAME);
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(refused.out()).isEmpty();
        assertThat(refused.errLines()).containsExactly("ERROR: StartComputeInstanceOnlyAllowedInStoppedState: Start Azure "
                + "ML Compute Instance is only allowed when the instance " + NAME + " is in 'stopped' state; it is 'Running'.");

        // stop: nothing of the instance runs any more, its files stay
        assertSucceeded(cli.run("compute", "stop", "-n", NAME), "Stopping", "Stopped", "Compute '" + NAME + "' is Stopped.");
        assertThat(ComputeClient.stateOf(computes.get(NAME))).isEqualTo("Stopped");
        assertThat(instances.processes(computeId)).as("no process of the instance is left after stop").isEmpty();
        assertThat(instances.home(computeId).resolve("probe.txt")).hasContent("kept");

        // start: the file is still there, read from a kernel
        assertSucceeded(cli.run("compute", "start", "-n", NAME), "Starting", "Running", "Compute '" + NAME + "' is Running.");
        assertThat(inKernel(jupyter, "open('probe.txt').read()")).singleElement()
                .extracting(Execution::result).isEqualTo("'kept'");

        // restart: other processes, Jupyter answers again
        var before = pids(computeId);
        assertSucceeded(cli.run("compute", "restart", "-n", NAME), "Restarting", "Running",
                "Compute '" + NAME + "' is Running.");
        assertThat(pids(computeId)).isNotEmpty().doesNotContainAnyElementsOf(before);
        try (var notebook = jupyterClient(jupyter)) {
            assertThat(notebook.get("api").statusCode()).isEqualTo(200);
        }

        var history = cli.run("compute", "history", "-n", NAME);
        assertThat(history.exitCode()).as(history.err()).isZero();
        assertThat(history.outLines().getFirst()).matches("TIME +FROM +TO +REASON +ACTOR");
        assertThat(history.outLines().stream().skip(1).map(line -> line.split(" {2,}")[2]))
                .containsExactly("Creating", "Running", "Stopping", "Stopped", "Starting", "Running", "Restarting",
                        "Running");

        // delete: no process, no directory, the compute unknown
        assertSucceeded(cli.run("compute", "delete", "-n", NAME, "--yes"), "Deleting", "Deleted",
                "Compute '" + NAME + "' is deleted.");
        assertThat(instances.processes(computeId)).isEmpty();
        assertThat(instances.computeIds()).as("the instance directory is removed").isEmpty();
        assertThatThrownBy(() -> computes.get(NAME)).isInstanceOfSatisfying(HangarException.class,
                e -> assertThat(e.status()).isEqualTo(404));

        // the name is free again at once: create and delete with the client, following the progress
        var progress = new ArrayList<Progress>();
        var again = computes.createInstance(NAME, InstanceSpec.of(SIZE));
        assertThat(again.action()).isEqualTo(LongRunningOperation.Action.CREATE);
        assertThat(again.waitForCompletion(WAIT, progress::add).status()).isEqualTo("Succeeded");
        assertThat(progress).filteredOn(Progress::stateChanged).extracting(Progress::state)
                .containsExactly("Creating", "Running");
        var secondId = theOnlyInstance();
        assertThat(secondId).isNotEqualTo(computeId);

        progress.clear();
        assertThat(computes.delete(NAME).waitForCompletion(WAIT, progress::add).status()).isEqualTo("Succeeded");
        assertThat(progress).filteredOn(Progress::stateChanged).extracting(Progress::state)
                .containsExactly("Deleting", null);
        assertThat(instances.processes(secondId)).isEmpty();
        assertThat(instances.computeIds()).isEmpty();
        assertThat(computes.list()).isEmpty();
    }

    @Test
    void anInstanceCreatedWithAnSshKeyIsReachedWithHangarComputeSsh() throws IOException, InterruptedException {
        var keys = Files.createDirectories(scratch.resolve("ssh-keys"));
        var keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                keys.resolve("id").toString()).redirectErrorStream(true).start();
        assertThat(keygen.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && keygen.exitValue() == 0).isTrue();
        var name = "e2e-ssh";
        try {
            assertSucceeded(cli.run("compute", "create", "-n", name, "-s", SIZE, "--ssh-key",
                    keys.resolve("id.pub").toString()), "Creating", "Running", "Compute '" + name + "' is Running.");
            var command = "ssh -p " + server.sshPort() + " " + name + ".default@127.0.0.1";
            var show = cli.run("compute", "show", "-n", name);
            assertThat(show.outLines()).contains("SSH command         " + command);
            var print = cli.run("compute", "ssh", "-n", name, "--print");
            assertThat(print.outLines()).containsExactly(command);

            var options = List.of("--ssh-option", "UserKnownHostsFile=" + keys.resolve("known_hosts"),
                    "--ssh-option", "StrictHostKeyChecking=accept-new", "--ssh-option", "BatchMode=yes");
            var hello = cli.run(ssh(name, keys.resolve("id"), options, "echo", "hello", "from", "inside"));
            assertThat(hello.exitCode()).as(hello.err()).isZero();
            assertThat(hello.out()).isEqualTo("hello from inside\n");
            assertThat(hello.errLines().getFirst()).startsWith("ssh -p " + server.sshPort() + " -i ");
            var status = cli.run(ssh(name, keys.resolve("id"), options, "exit", "3"));
            assertThat(status.exitCode()).as("ssh's exit code is the command's").isEqualTo(3);

            // without host key options: the gateway is new to the CLI, and there is no terminal to ask on
            var unknown = cli.run("compute", "ssh", "-n", name, "--", "true");
            assertThat(unknown.exitCode()).as(unknown.err()).isEqualTo(2);
            assertThat(unknown.err()).contains("ERROR: HostKeyUnknown: ");
            // the fingerprint the server printed at start is the one ssh-keyscan reads; -i was remembered
            var printed = server.output().stream().map(HOST_KEY::matcher).filter(Matcher::find)
                    .map(match -> match.group(1)).findFirst().orElseThrow();
            var pinned = cli.run("compute", "ssh", "-n", name, "--accept-host-key", printed,
                    "--ssh-option", "BatchMode=yes", "--", "echo", "pinned");
            assertThat(pinned.exitCode()).as(pinned.err()).isZero();
            assertThat(pinned.out()).isEqualTo("pinned\n");
            assertThat(pinned.errLines()).anySatisfy(line -> assertThat(line).contains(" -i " + keys.resolve("id"),
                    "StrictHostKeyChecking=yes"));
            var again = cli.run("compute", "ssh", "-n", name, "--ssh-option", "BatchMode=yes", "--", "echo", "again");
            assertThat(again.out()).as(again.err()).isEqualTo("again\n");
        } finally {
            cli.run("compute", "delete", "-n", name, "--yes");
        }
    }

    /**
     * A job from az's YAML with its code folder, followed to its end, its outputs downloaded; the same code again,
     * not sent twice; a failing one; the list; a cancel.
     */
    @Test
    void jobsAreSubmittedFollowedAndCanceledWithTheCli() throws IOException {
        var name = "e2e-jobs";
        try {
            assertSucceeded(cli.run("compute", "create", "-n", name, "-s", SIZE), "Creating", "Running",
                    "Compute '" + name + "' is Running.");
            var project = Files.createDirectories(scratch.resolve("project"));
            Files.createDirectories(project.resolve("src"));
            Files.writeString(project.resolve("src/report.sh"), "echo \"$GREETING from $(basename \"$PWD\")\"\n"
                    + "echo accuracy=0.9 > outputs/metrics.txt\n");
            var yaml = project.resolve("job.yml");
            Files.writeString(yaml, """
                    $schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json
                    type: command
                    name: yaml-job
                    display_name: From YAML
                    code: ./src
                    command: >-
                      sh report.sh && ls -d outputs
                    compute: azureml:e2e-jobs
                    environment_variables:
                      GREETING: hello
                    queue_settings:
                      priority: high
                    """);
            var streamed = cli.run("job", "create", "-f", yaml.toString(), "--stream");
            assertThat(streamed.exitCode()).as(streamed.err()).isZero();
            assertThat(streamed.out()).isEqualTo("hello from yaml-job\noutputs\n");
            assertThat(streamed.errLines()).first().asString().isEqualTo("Code " + project.resolve("src")
                    + ": 1 file, 81 bytes, uploaded.");
            assertThat(streamed.errLines().get(1)).startsWith("Job 'yaml-job' is ");
            assertThat(streamed.errLines()).last().asString().isEqualTo("Job 'yaml-job' Completed (exit code 0).");
            var downloaded = cli.run("job", "download", "-n", "yaml-job", "--download-path",
                    scratch.resolve("results").toString());
            assertThat(downloaded.exitCode()).as(downloaded.err()).isZero();
            assertThat(Files.readString(scratch.resolve("results/yaml-job/outputs/metrics.txt")))
                    .isEqualTo("accuracy=0.9\n");
            var again = cli.run("job", "create", "-n", "same-code", "-c", name, "--code",
                    project.resolve("src").toString(), "--command", "sh report.sh", "--priority", "low");
            assertThat(again.errLines()).first().asString().endsWith(", unchanged: not sent again.");
            assertThat(cli.run("job", "show", "-n", "same-code").out()).containsPattern("Priority +1");
            var codeId = cli.run("job", "show", "-n", "yaml-job", "-o", "json").out()
                    .replaceAll("(?s).*\"codeId\" *: *\"([^\"]+)\".*", "$1");
            var byId = project.resolve("by-id.yml");
            Files.writeString(byId, "command: sh report.sh\ncompute: e2e-jobs\ncode: azureml:" + codeId
                    + "\nenvironment_variables:\n  GREETING: hello\n");
            var reused = cli.run("job", "create", "-n", "by-id", "-f", byId.toString(), "--stream");
            assertThat(reused.exitCode()).as(reused.err()).isZero();
            assertThat(reused.out()).isEqualTo("hello from by-id\n");

            var failing = cli.run("job", "create", "-n", "cli-fails", "--compute", name, "--command", "exit 4",
                    "--stream");
            assertThat(failing.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(failing.errLines()).last().asString().isEqualTo("Job 'cli-fails' Failed (exit code 4).");

            var submitted = cli.run("job", "create", "-n", "cli-sleeps", "-c", name, "--command", "sleep 120",
                    "-e", "A=1");
            assertThat(submitted.out()).startsWith("Job 'cli-sleeps' is ");
            assertThat(cli.run("job", "cancel", "-n", "cli-sleeps").out()).matches(
                    "Job 'cli-sleeps' is (Canceled|CancelRequested)\\.\\n");
            var list = cli.run("job", "list");
            assertThat(list.outLines().getFirst()).startsWith("NAME").contains("STATUS", "COMPUTE", "EXIT CODE");
            assertThat(list.out()).contains("yaml-job", "cli-fails", "cli-sleeps");
            var failed = cli.run("job", "list", "--compute", name, "--status", "Failed");
            assertThat(failed.out()).contains("cli-fails").doesNotContain("yaml-job", "cli-sleeps");
            assertThat(cli.run("job", "list", "-r", "1").outLines()).hasSize(2);
            assertThat(cli.run("job", "show", "-n", "yaml-job").out()).contains("From YAML", "Completed");
            assertThat(cli.run("job", "create", "--command", "true").exitCode()).isEqualTo(ExitCodes.USAGE);
        } finally {
            cli.run("compute", "delete", "-n", name, "--yes");
        }
    }

    /**
     * A compute cluster from az's compute YAML: a job on it brings up a node, which stays for the idle time;
     * {@code compute update} lowers the idle time and the node goes; the cluster is listed and shown as a cluster.
     */
    /**
     * An instance set up through the CLI from its YAML: a creation script uploaded to the share with its arguments,
     * an idle time and a schedule; the script's log is read with {@code compute logs}, a keep-alive is taken, and
     * {@code show} shows all of it.
     */
    @Test
    void anInstanceIsSetUpFromTheShareWithItsIdleTimeAndScheduleThroughTheCli() throws IOException {
        var name = "e2e-setup";
        try {
            var script = Files.writeString(scratch.resolve("prepare.sh"),
                    "#!/bin/bash\nprintf 'arg[%s]\\n' \"$@\"\necho \"in $CI_WORKSPACE as $CI_NAME\"\n");
            assertThat(cli.run("files", "upload", script.toString(), "Users/admin/prepare.sh").exitCode()).isZero();
            var yaml = Files.writeString(scratch.resolve("instance.yml"), """
                    name: %s
                    type: computeinstance
                    size: %s
                    idle_time_before_shutdown_minutes: 90
                    setup_scripts:
                      creation_script:
                        path: Users/admin/prepare.sh
                        command: "'two words' plain"
                        timeout_minutes: 5
                    schedules:
                      compute_start_stop:
                        - action: stop
                          trigger: {type: cron, expression: "0 19 * * *", time_zone: W. Europe Standard Time}
                    """.formatted(name, SIZE));
            var create = cli.run("compute", "create", "-f", yaml.toString());
            assertThat(create.exitCode()).as(create.err()).isZero();
            created.addAll(instances.computeIds());

            var log = cli.run("compute", "logs", "-n", name, "--setup");
            assertThat(log.exitCode()).as(log.err()).isZero();
            assertThat(log.out()).contains("arg[two words]\narg[plain]\n", "in default as " + name, "exited with 0");
            var keep = cli.run("compute", "keepalive", "-n", name, "--for", "2h");
            assertThat(keep.exitCode()).as(keep.err()).isZero();
            assertThat(keep.out()).startsWith("Compute '" + name + "' counts as in use until ");
            var shown = cli.run("compute", "show", "-n", name);
            assertThat(shown.out()).contains("Users/admin/prepare.sh", "two words", "after 90 minutes", "0 19 * * *",
                    "W. Europe Standard Time");
            var wire = json(cli.run("compute", "show", "-n", name, "-o", "json")).path("properties").path("properties");
            assertThat(wire.path("idleTimeBeforeShutdown").asText()).isEqualTo("PT1H30M");
            assertThat(wire.at("/schedules/computeStartStop/0/action").asText()).isEqualTo("Stop");
        } finally {
            cli.run("compute", "delete", "-n", name, "--yes");
        }
    }

    @Test
    void filesGoIntoTheShareComeBackAndAreDeletedWithTheCli() throws IOException {
        var local = Files.writeString(scratch.resolve("setup.sh"), "#!/bin/bash\necho set up\n");

        var byDefault = cli.run("files", "upload", local.toString());
        assertThat(byDefault.exitCode()).as(byDefault.err()).isZero();
        assertThat(byDefault.out()).isEqualTo("Uploaded " + local + " to Users/admin/setup.sh (24 bytes).\n");
        var named = cli.run("files", "upload", local.toString(), "Users/admin/project one/setup.sh", "-o", "json");
        assertThat(json(named).get("path").asText()).isEqualTo("Users/admin/project one/setup.sh");

        assertThat(cli.run("files", "list", "Users/admin").outLines()).hasSize(3)
                .anySatisfy(line -> assertThat(line).matches("project one/ +Folder +- +.*"))
                .anySatisfy(line -> assertThat(line).matches("setup.sh +File +24 +.*"));
        assertThat(client.files(client.session().defaultWorkspace()).list("Users/admin/project one"))
                .singleElement().satisfies(entry -> assertThat(entry.size()).isEqualTo(24));

        var back = scratch.resolve("back");
        Files.createDirectories(back);
        var downloaded = cli.run("files", "download", "Users/admin/project one/setup.sh", back.toString());
        assertThat(downloaded.exitCode()).as(downloaded.err()).isZero();
        assertThat(back.resolve("setup.sh")).hasSameTextualContentAs(local);

        assertThat(cli.run("files", "delete", "Users/admin/project one", "--yes").exitCode()).as("not empty")
                .isEqualTo(ExitCodes.CONFLICT);
        assertThat(cli.run("files", "delete", "Users/admin/project one", "--recursive", "--yes").exitCode()).isZero();
        var gone = cli.run("files", "download", "Users/admin/project one/setup.sh", back.resolve("x").toString());
        assertThat(gone.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(gone.err()).contains("FileNotFound");
        assertThat(back.resolve("x")).doesNotExist();
    }

    @Test
    void aClusterRunsJobsAndIsRescaledWithTheCli() throws IOException {
        var name = "e2e-cluster";
        var yaml = Files.writeString(scratch.resolve("cluster.yml"), """
                $schema: https://azuremlschemas.azureedge.net/latest/amlCompute.schema.json
                name: e2e-cluster
                type: amlcompute
                size: Standard_DS2_v2
                min_instances: 0
                max_instances: 2
                idle_time_before_scale_down: 600
                """);
        try {
            var made = cli.run("compute", "create", "-f", yaml.toString());
            assertThat(made.exitCode()).as(made.err()).isZero();
            assertThat(made.outLines()).last().asString().isEqualTo("Compute '" + name + "' is Steady 0/2 nodes.");
            assertThat(cli.run("compute", "list-nodes", "-n", name).outLines()).containsExactly("NODE ID  STATE  JOB");

            var ran = cli.run("job", "create", "-n", "on-a-node", "-c", name, "--command",
                    "echo \"on $(basename $(dirname \"$HOME\"))\"", "--stream");
            assertThat(ran.exitCode()).as(ran.err()).isZero();
            assertThat(ran.out()).startsWith("on ");
            var nodes = cli.run("compute", "list-nodes", "-n", name);
            assertThat(nodes.outLines()).hasSize(2);
            assertThat(nodes.outLines().get(1)).startsWith("tvm-").contains("idle");
            var pair = cli.run("job", "create", "-n", "on-two-nodes", "-c", name, "--instance-count", "2", "--command",
                    "echo \"rank $NODE_RANK of $WORLD_SIZE\"", "--stream");
            assertThat(pair.exitCode()).as(pair.err()).isZero();
            assertThat(pair.outLines()).containsExactlyInAnyOrder("[node 0] rank 0 of 2", "[node 1] rank 1 of 2");
            assertThat(cli.run("compute", "list").out()).contains(name, "2/2 nodes");
            assertThat(cli.run("compute", "show", "-n", name).out()).contains("Standard_DS2_v2", "Steady");

            var updated = cli.run("compute", "update", "-n", name, "--idle-time-before-scale-down", "1");
            assertThat(updated.exitCode()).as(updated.err()).isZero();
            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(250))
                    .until(() -> cli.run("compute", "list-nodes", "-n", name).outLines().size() == 1);
            var shown = json(cli.run("compute", "show", "-n", name, "-o", "json"));
            assertThat(shown.at("/properties/properties/scaleSettings/nodeIdleTimeBeforeScaleDown").asText())
                    .isEqualTo("PT1S");
            assertThat(shown.at("/properties/properties/scaleSettings/maxNodeCount").asInt()).isEqualTo(2);
            assertThat(cli.run("compute", "start", "-n", name).exitCode()).isEqualTo(ExitCodes.USAGE);
        } finally {
            cli.run("compute", "delete", "-n", name, "--yes");
        }
        Awaitility.await().atMost(WAIT).until(() -> cli.run("compute", "list").out().lines()
                .noneMatch(line -> line.startsWith(name)));
    }

    /**
     * A real Slurm (started here) attached from az-style YAML: a job on it streams its output through the CLI, the
     * partition's node is listed, and detach forgets it.
     */
    @Test
    void aSlurmClusterIsAttachedRunsJobsAndIsDetachedWithTheCli() throws IOException {
        Assumptions.assumeTrue(SlurmCluster.installed(), "Slurm is not installed: " + SlurmCluster.INSTALL_HINT);
        var folder = Files.createTempDirectory(Path.of("/tmp"), "hangar-e2e-slurm-");
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (var slurm = SlurmCluster.start(folder.resolve("cluster"))) {
            var yaml = Files.writeString(scratch.resolve("hpc.yml"), """
                    name: e2e-hpc
                    type: slurm
                    description: the test's Slurm
                    connection: local
                    slurm_conf: %s
                    work_directory: %s
                    """.formatted(slurm.conf(), folder.resolve("jobs")));
            var attached = cli.run("compute", "attach", "-f", yaml.toString());
            assertThat(attached.exitCode()).as(attached.err()).isZero();
            assertThat(attached.out()).contains("Slurm", "debug", "hangar-test");
            assertThat(cli.run("compute", "list").out()).contains("e2e-hpc", "partition debug");
            var ran = cli.run("job", "create", "-n", "on-slurm-e2e", "-c", "e2e-hpc", "--command",
                    "echo \"in $SLURM_JOB_PARTITION\"", "--stream");
            assertThat(ran.exitCode()).as(ran.err()).isZero();
            assertThat(ran.out()).startsWith("in debug");
            assertThat(cli.run("compute", "list-nodes", "-n", "e2e-hpc").out()).contains(slurm.node());
            assertThat(cli.run("compute", "stop", "-n", "e2e-hpc").exitCode()).isEqualTo(ExitCodes.USAGE);
            var detached = cli.run("compute", "detach", "-n", "e2e-hpc", "--yes");
            assertThat(detached.exitCode()).as(detached.err()).isZero();
            assertThat(cli.run("compute", "list").out()).doesNotContain("e2e-hpc");
        } finally {
            cli.run("compute", "detach", "-n", "e2e-hpc", "--yes");
            dev.hangar.testkit.process.Commands.run(java.util.List.of("rm", "-rf", folder.toString()), Map.of());
        }
    }

    /**
     * Environments from az's YAML and options, listed and shown; a job naming one is refused on this server's host
     * backend with its code (jobs in an image run on the container backend: ContainerInstancesIT); Hangar's curated
     * environment is listed, and a job in it runs in the instance's own environment.
     */
    @Test
    void environmentsAreRecordedAndAJobInOneIsRefusedOnTheHostBackend() throws IOException {
        var yaml = Files.writeString(scratch.resolve("env.yml"), """
                $schema: https://azuremlschemas.azureedge.net/latest/environment.schema.json
                name: e2e-env
                version: "1"
                image: localhost/python:3.11
                description: plain python
                """);
        var made = cli.run("environment", "create", "-f", yaml.toString());
        assertThat(made.exitCode()).as(made.err()).isZero();
        assertThat(cli.run("environment", "create", "--name", "e2e-env", "--version", "2", "--image",
                "localhost/python:3.12").exitCode()).isZero();
        var listed = cli.run("environment", "list", "-n", "e2e-env");
        assertThat(listed.outLines()).hasSize(3);
        assertThat(listed.outLines().get(1)).startsWith("2").contains("localhost/python:3.12");
        assertThat(cli.run("environment", "show", "-n", "e2e-env", "--version", "1").out())
                .contains("localhost/python:3.11");
        var changed = cli.run("environment", "create", "--name", "e2e-env", "--version", "1", "--image",
                "localhost/other:1");
        assertThat(changed.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(changed.err()).contains("EnvironmentVersionExists");

        var name = "e2e-env-ci";
        try {
            assertSucceeded(cli.run("compute", "create", "-n", name, "-s", SIZE), "Creating", "Running",
                    "Compute '" + name + "' is Running.");
            var refused = cli.run("job", "create", "-c", name, "--environment", "azureml:e2e-env@latest", "--command",
                    "python3 -V");
            assertThat(refused.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(refused.err()).contains("ImagesUnsupported");

            var all = cli.run("environment", "list");
            assertThat(all.outLines().get(1)).startsWith("hangar-instance").contains("Curated");
            var own = cli.run("job", "create", "-c", name, "--environment", "hangar-instance", "--command",
                    "python3 -c 'print(6 * 7)'", "--stream");
            assertThat(own.exitCode()).as(own.err()).isZero();
            assertThat(own.out()).contains("42");
        } finally {
            cli.run("compute", "delete", "-n", name, "--yes");
        }
    }

    private static String[] ssh(String name, Path identity, List<String> options, String... command) {
        var arguments = new ArrayList<>(List.of("compute", "ssh", "-n", name, "-i", identity.toString()));
        arguments.addAll(options);
        arguments.add("--");
        arguments.addAll(List.of(command));
        return arguments.toArray(String[]::new);
    }

    /**
     * An administrator's day with the CLI: a user made with a role, a custom role from a file in az's format, an
     * assignment of it, and what the user may then do, checked through the Java client with the user's own token.
     */
    @Test
    void usersAndRolesAreManagedWithTheCli() throws IOException {
        var made = cli.run("user", "create", "rosa", "--role", "Reader", "-o", "json");
        assertThat(made.exitCode()).as(made.err()).isZero();
        var created = JSON.readTree(made.out());
        var token = created.get("token").asText();
        assertThat(cli.run("user", "list").out()).contains("rosa", created.at("/user/id").asText());

        var roles = cli.run("role", "list");
        assertThat(roles.out()).contains("Owner", "Contributor", "Reader", "BuiltInRole");
        var file = scratch.resolve("starter.json");
        Files.writeString(file, """
                {"Name": "Starter", "Description": "Starts instances.",
                 "Actions": ["Microsoft.MachineLearningServices/workspaces/computes/start/action"],
                 "NotActions": [], "AssignableScopes": ["/"]}""");
        var role = cli.run("role", "create", "--file", file.toString());
        assertThat(role.exitCode()).as(role.err()).isZero();
        assertThat(role.out()).startsWith("Role 'Starter' (id ").contains("created");
        assertThat(cli.run("role", "create", "--file", file.toString()).out()).contains("replaced");

        var assigned = cli.run("role", "assignment", "create", "--assignee", "rosa", "--role", "Starter");
        assertThat(assigned.exitCode()).as(assigned.err()).isZero();
        assertThat(assigned.out()).startsWith("'rosa' is now Starter of default (assignment ");
        var listed = cli.run("role", "assignment", "list", "--assignee", "rosa");
        assertThat(listed.outLines()).hasSize(3);
        assertThat(String.join("\n", listed.outLines())).contains("Reader", "Starter");

        try (var rosa = HangarClient.builder().server(server.url()).token(token)
                .caCertificate(server.certificate()).build()) {
            var theirs = rosa.workspace(computes.workspace());
            assertThat(theirs.list()).as("Reader: reads").isNotNull();
            var stop = org.assertj.core.api.Assertions.catchThrowableOfType(HangarException.class,
                    () -> theirs.stop("no-such-compute"));
            assertThat(stop.status()).as("Starter and Reader grant no stop").isEqualTo(403);
            var start = org.assertj.core.api.Assertions.catchThrowableOfType(HangarException.class,
                    () -> theirs.start("no-such-compute"));
            assertThat(start.status()).as("Starter grants start: past the check, the compute is missing")
                    .isEqualTo(404);
        }

        var inUse = cli.run("role", "delete", "Starter", "--yes");
        assertThat(inUse.exitCode()).isEqualTo(ExitCodes.CONFLICT);
        assertThat(inUse.err()).contains("RoleDefinitionHasAssignments");
        assertThat(cli.run("role", "assignment", "delete", "--assignee", "rosa", "--role", "Starter").exitCode())
                .isZero();
        assertThat(cli.run("role", "delete", "Starter", "--yes").exitCode()).isZero();
        assertThat(cli.run("role", "assignment", "create", "--assignee", "nobody", "--role", "Reader").exitCode())
                .isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void tokensAreMadeListedAndRevokedWithTheCli() throws IOException {
        var made = cli.run("token", "create", "laptop", "--expires-in-days", "7", "-o", "json");
        assertThat(made.exitCode()).as(made.err()).isZero();
        var created = JSON.readTree(made.out());
        var secret = created.get("secret").asText();
        var id = created.at("/token/id").asText();
        try (var laptop = HangarClient.builder().server(server.url()).token(secret)
                .caCertificate(server.certificate()).build()) {
            assertThat(laptop.session().user().name()).isEqualTo("admin");
            assertThat(cli.run("token", "list").out()).contains("laptop", id, "Active");

            var revoked = cli.run("token", "revoke", id);
            assertThat(revoked.exitCode()).as(revoked.err()).isZero();
            assertThat(revoked.out()).isEqualTo("Token 'laptop' revoked.\n");
            var refused = org.assertj.core.api.Assertions.catchThrowableOfType(HangarException.class,
                    laptop::session);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.code()).isEqualTo("TokenRevoked");
        }
        assertThat(cli.run("token", "create", "x", "--expires-in-days", "5000").exitCode())
                .isEqualTo(ExitCodes.USAGE);

        // What happened to tokens belongs to no workspace: administrators read it with --all.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                cli.run("events", "--all", "--action", "tokens", "--since", "1h").out().contains("DELETE"));
        var events = cli.run("events", "--all", "--action", "tokens", "--since", "1h");
        assertThat(events.outLines().getFirst()).startsWith("TIME").contains("ACTOR", "ACTION", "RESULT");
        assertThat(events.out()).contains("POST /hangar/v1/tokens", "DELETE /hangar/v1/tokens/{id}", "Succeeded",
                "Failed InvalidTokenExpiry");
        assertThat(cli.run("events", "--since", "yesterday").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void sizesAndQuotasAreManagedWithTheCli() {
        var size = cli.run("vm-size", "set", "Standard_Cli_v1", "--family", "cliFamily", "--vcpus", "2",
                "--memory-gb", "2", "--compute-type", "ComputeInstance");
        assertThat(size.exitCode()).as(size.err()).isZero();
        assertThat(size.out()).contains("VM size Standard_Cli_v1: 2 vCPUs, 2.0 GB, 0 GPUs, family cliFamily.");
        assertThat(cli.run("compute", "list-sizes").out()).contains("Standard_Cli_v1", "cliFamily");
        var quota = "cliFamily_Cluster_Dedicated_vCPUs";
        try {
            var set = cli.run("quota", "set", quota, "--limit", "0");
            assertThat(set.exitCode()).as(set.err()).isZero();
            assertThat(set.out()).contains("Quota " + quota + " of default: 0 cores.");
            assertThat(cli.run("quota", "list").outLines()).anySatisfy(line ->
                    assertThat(line).contains(quota, "default", "0"));

            var refused = cli.run("compute", "create", "-n", "cli-over-quota", "-s", "Standard_Cli_v1");
            assertThat(refused.exitCode()).isEqualTo(ExitCodes.CONFLICT);
            assertThat(refused.err()).contains("QuotaExceeded", "workspace 'default' has a quota of 0");

            var usage = cli.run("compute", "list-usage");
            assertThat(usage.outLines().getFirst()).startsWith("QUOTA").contains("SCOPE", "CURRENT", "LIMIT");
            assertThat(usage.out()).contains("Total Cluster Dedicated Regional vCPUs", "cliFamily Cluster Dedicated");
            assertThat(cli.run("quota", "set", quota, "--limit", "lots").exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(cli.run("quota", "set", "Standard_Nope_Family_Cluster_Dedicated_vCPUs", "--limit", "1")
                    .err()).contains("InvalidVMFamilyName");
        } finally {
            assertThat(cli.run("quota", "set", quota, "--limit", "none").out()).contains("no limit of its own");
        }
        assertThat(cli.run("vm-size", "delete", "Standard_Cli_v1", "--yes").out())
                .contains("VM size Standard_Cli_v1 deleted.");
        assertThat(cli.run("vm-size", "delete", "Standard_Cli_v1", "--yes").out()).contains("There is no VM size");
    }

    @Test
    void failuresExitWithTheirDocumentedCodeAndOneErrorLine() {
        var missing = cli.run("compute", "stop", "-n", "no-such-compute");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.errLines()).containsExactly(
                "ERROR: ResourceNotFound: Compute 'no-such-compute' was not found in workspace 'default'.");

        var wrongToken = new CliProcess(scratch.resolve("intruder")).env("HANGAR_SERVER", server.url().toString())
                .env("HANGAR_TOKEN", "hgr_wrong").env("HANGAR_CA_CERT", server.certificate().toString())
                .run("compute", "list");
        assertThat(wrongToken.exitCode()).isEqualTo(ExitCodes.AUTHENTICATION);
        assertThat(wrongToken.out()).isEmpty();
        assertThat(wrongToken.errLines()).singleElement().asString().startsWith("ERROR: AuthenticationFailed: ")
                .endsWith(" (log in again with 'hangar login')");
    }

    private static void assertSucceeded(Cli.Result result, String... lines) {
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.outLines()).containsExactly(lines);
    }

    private static JsonNode json(Cli.Result result) {
        assertThat(result.exitCode()).as(result.err()).isZero();
        try {
            return JSON.readTree(result.out());
        } catch (IOException e) {
            throw new UncheckedIOException(result.out(), e);
        }
    }

    /** The compute id of the one instance the backend holds, remembered for the clean-up. */
    private static UUID theOnlyInstance() {
        var ids = instances.computeIds();
        assertThat(ids).hasSize(1);
        var id = ids.iterator().next();
        created.add(id);
        return id;
    }

    private static List<Long> pids(UUID computeId) {
        return instances.processes(computeId).stream().map(ProcessHandle::pid).toList();
    }

    private static URI jupyterOf(ComputeResource compute) {
        var instance = (ComputeInstanceProperties) compute.properties().properties();
        assertThat(instance.applications()).extracting(ComputeInstanceProperties.Application::displayName)
                .containsExactly("Jupyter", "Terminal");
        return URI.create(instance.applications().getFirst().endpointUri());
    }

    /** Runs the cells in one fresh kernel, reached through the gateway, and shuts it down. */
    private static List<Execution> inKernel(URI jupyter, String... cells) {
        try (var notebook = jupyterClient(jupyter)) {
            var kernel = notebook.startKernel();
            try (var session = notebook.connect(kernel)) {
                return Stream.of(cells).map(session::execute).toList();
            } finally {
                notebook.shutdownKernel(kernel);
            }
        }
    }

    private static JupyterClient jupyterClient(URI jupyter) {
        return JupyterClient.builder(jupyter).header("Authorization", "Bearer " + server.adminToken())
                .sslContext(server.trustingContext()).timeout(Duration.ofSeconds(30)).build();
    }
}
