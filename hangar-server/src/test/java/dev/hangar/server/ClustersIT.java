package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.testkit.server.LocalInstances;
import dev.hangar.testkit.server.ServerProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compute clusters ({@code AmlCompute}) on the host backend, where a node is a worker folder with its own processes:
 * a cluster grows from zero for the jobs that wait, never beyond its maximum, runs one job per node, and shrinks to
 * its minimum once its nodes were idle for the idle time; PATCH rescales it; its cores count against quota at its
 * maximum; a delete ends what runs on it and leaves no process; and the refusals of what cannot be.
 */
class ClustersIT {
    static final String WS = WireFormatIT.WS;
    static final String DSV3_QUOTA = "Standard_DSv3_Family_Cluster_Dedicated_vCPUs";

    @TempDir
    static Path data;
    static ServerProcess server;
    static Https https;
    static String admin;

    @BeforeAll
    static void start() {
        server = new ServerProcess(data, Map.of("HANGAR_BACKEND_LOCAL_JUPYTER", "/nonexistent/jupyter",
                "HANGAR_RECONCILE_CLUSTER_SCALE_INTERVAL", "PT0.2S")).start();
        https = new Https(server.url(), server.certificate());
        admin = server.adminToken();
    }

    @AfterAll
    static void stop() {
        if (server == null) {
            return;
        }
        try {
            for (var compute : Https.json(https.send("GET", WS + "/computes", admin, null)).get("value")) {
                https.send("DELETE", WS + "/computes/" + compute.get("name").asText()
                        + "?underlyingResourceAction=Delete", admin, null);
            }
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> new LocalInstances(data).processes().isEmpty());
        } finally {
            server.close();
            new LocalInstances(data).processes().forEach(ProcessHandle::destroyForcibly);
        }
    }

    static String cluster(String size, int min, int max, String idle) {
        return """
                {"location":"local","tags":{"team":"vision"},"properties":{"computeType":"AmlCompute",
                 "description":"training nodes","properties":{"vmSize":"%s","vmPriority":"dedicated",
                 "scaleSettings":{"minNodeCount":%d,"maxNodeCount":%d,"nodeIdleTimeBeforeScaleDown":"%s"}}}}"""
                .formatted(size, min, max, idle);
    }

    static void create(String name, String body) {
        var created = https.send("PUT", WS + "/computes/" + name + "?api-version=2024-04-01", admin, body);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(Https.json(created).at("/properties/computeType").asText()).isEqualTo("AmlCompute");
        var status = https.waitForOperation(created.headers().firstValue("Azure-AsyncOperation").orElseThrow(), admin);
        assertThat(status.get("status").asText()).isEqualTo("Succeeded");
    }

    static JsonNode get(String name) {
        var response = https.send("GET", WS + "/computes/" + name, admin, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Https.json(response);
    }

    static JsonNode nodes(String name) {
        var response = https.send("POST", WS + "/computes/" + name + "/listNodes?api-version=2024-04-01", admin, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Https.json(response).get("nodes");
    }

    static HttpResponse<String> submit(String job, String compute, String command) {
        return https.send("PUT", WS + "/jobs/" + job + "?api-version=2024-04-01", admin, """
                {"properties":{"jobType":"Command","command":%s,"computeId":"%s/computes/%s"}}""".formatted(
                Https.JSON.valueToTree(command).toString(), WS, compute));
    }

    static String status(String job) {
        return Https.json(https.send("GET", WS + "/jobs/" + job, admin, null)).at("/properties/status").asText();
    }

    static String log(String job) {
        return https.send("GET", WS + "/jobs/" + job + "/logs", admin, null).body();
    }

    static String code(HttpResponse<String> response) {
        return Https.json(response).at("/error/code").asText();
    }

    @Test
    void aClusterGrowsForWaitingJobsUpToItsMaximumAndShrinksWhenIdle() throws Exception {
        // An idle time far above the few seconds between the first job's end and the look below, even on a loaded
        // machine (at 2 s, a node of a cluster whose other node still ran a job had left by the look).
        create("train", cluster("Standard_D2s_v3", 0, 2, "PT12S"));
        var made = get("train").at("/properties/properties");
        assertThat(made.get("vmSize").asText()).isEqualTo("Standard_D2s_v3");
        assertThat(made.get("vmPriority").asText()).isEqualTo("Dedicated");
        assertThat(made.at("/scaleSettings/maxNodeCount").asInt()).isEqualTo(2);
        assertThat(made.at("/scaleSettings/nodeIdleTimeBeforeScaleDown").asText()).isEqualTo("PT12S");
        assertThat(made.get("currentNodeCount").asInt()).isZero();
        assertThat(made.get("allocationState").asText()).isEqualTo("Steady");
        assertThat(get("train").at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
        assertThat(nodes("train")).isEmpty();

        // Watches the cluster the whole time: it must never hold more than its maximum.
        var most = new AtomicInteger();
        var seen = ConcurrentHashMap.<String>newKeySet();
        var watching = new java.util.concurrent.atomic.AtomicBoolean(true);
        var watcher = Thread.ofVirtual().start(() -> {
            while (watching.get()) {
                var live = 0;
                for (var node : nodes("train")) {
                    seen.add(node.get("nodeState").asText());
                    if (!node.get("nodeState").asText().equals("leaving")) {
                        live++;
                    }
                }
                most.accumulateAndGet(live, Math::max);
            }
        });
        try {
            for (var job : List.of("c1", "c2", "c3")) {
                var submitted = submit(job, "train", "echo \"$HANGAR_JOB_NAME on $HOME\"; sleep 1");
                assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> List.of("c1", "c2", "c3").stream().allMatch(job -> status(job).equals("Completed")));
            var homes = new HashSet<String>();
            for (var job : List.of("c1", "c2", "c3")) {
                var line = log(job).strip();
                assertThat(line).startsWith(job + " on ");
                homes.add(line.substring(line.indexOf(" on ") + 4));
            }
            assertThat(homes).as("the jobs ran on the cluster's two nodes").hasSize(2);

            var busy = get("train").at("/properties/properties");
            assertThat(busy.get("currentNodeCount").asInt()).as("nodes stay for the idle time").isEqualTo(2);
            assertThat(busy.at("/nodeStateCounts/idleNodeCount").asInt()).isEqualTo(2);

            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> nodes("train").isEmpty());
        } finally {
            watching.set(false);
            watcher.join();
        }
        assertThat(most.get()).as("never more nodes than maxNodeCount").isEqualTo(2);
        assertThat(seen).as("nodes seen").contains("idle", "running", "leaving");
        var idle = get("train").at("/properties/properties");
        assertThat(idle.get("currentNodeCount").asInt()).isZero();
        assertThat(idle.get("targetNodeCount").asInt()).isZero();
        assertThat(idle.get("allocationState").asText()).isEqualTo("Steady");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> new LocalInstances(data).processes().isEmpty());
    }

    @Test
    void theMinimumIsKeptAndPatchRescales() {
        create("keep", cluster("Standard_D2s_v3", 1, 1, "PT1S"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> nodes("keep").size() == 1 && nodes("keep").get(0).get("nodeState").asText().equals("idle"));
        var node = nodes("keep").get(0);
        assertThat(node.get("nodeId").asText()).startsWith("tvm-");
        assertThat(node.get("privateIpAddress").asText()).isEqualTo("127.0.0.1");
        assertThat(node.get("runId").isNull()).isTrue();

        var patched = https.send("PATCH", WS + "/computes/keep?api-version=2024-04-01", admin, """
                {"properties":{"properties":{"scaleSettings":{"minNodeCount":0,"maxNodeCount":3}}}}""");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        var scale = Https.json(patched).at("/properties/properties/scaleSettings");
        assertThat(scale.get("minNodeCount").asInt()).isZero();
        assertThat(scale.get("maxNodeCount").asInt()).isEqualTo(3);
        assertThat(scale.get("nodeIdleTimeBeforeScaleDown").asText()).as("kept").isEqualTo("PT1S");
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> nodes("keep").isEmpty());

        var wrong = https.send("PATCH", WS + "/computes/keep", admin, """
                {"properties":{"properties":{"scaleSettings":{"minNodeCount":4,"maxNodeCount":3}}}}""");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(code(wrong)).isEqualTo("InvalidScaleSettings");
        assertThat(get("keep").at("/properties/properties/scaleSettings/maxNodeCount").asInt()).isEqualTo(3);
    }

    @Test
    void quotaCountsAClustersMaximum() {
        var set = QuotasIT.updateQuotasOn(https, admin, QuotasIT.workspaceQuota(DSV3_QUOTA, 8));
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        try {
            var tooBig = https.send("PUT", WS + "/computes/big", admin, cluster("Standard_D4s_v3", 0, 3, "PT2M"));
            assertThat(tooBig.statusCode()).as(tooBig.body()).isEqualTo(409);
            assertThat(code(tooBig)).isEqualTo("QuotaExceeded");
            assertThat(Https.json(tooBig).at("/error/message").asText()).contains("needs 12", "(3 × Standard_D4s_v3)");
            assertThat(https.send("GET", WS + "/computes/big", admin, null).statusCode()).isEqualTo(404);

            create("fits", cluster("Standard_D4s_v3", 0, 2, "PT2M"));
            var grow = https.send("PATCH", WS + "/computes/fits", admin, """
                    {"properties":{"properties":{"scaleSettings":{"maxNodeCount":3}}}}""");
            assertThat(grow.statusCode()).as(grow.body()).isEqualTo(409);
            assertThat(code(grow)).isEqualTo("QuotaExceeded");
            assertThat(get("fits").at("/properties/properties/scaleSettings/maxNodeCount").asInt()).isEqualTo(2);
            var shrink = https.send("PATCH", WS + "/computes/fits", admin, """
                    {"properties":{"properties":{"scaleSettings":{"maxNodeCount":1}}}}""");
            assertThat(shrink.statusCode()).as(shrink.body()).isEqualTo(200);
            https.send("DELETE", WS + "/computes/fits?underlyingResourceAction=Delete", admin, null);
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> https.send("GET", WS + "/computes/fits", admin, null).statusCode() == 404);
        } finally {
            QuotasIT.updateQuotasOn(https, admin, QuotasIT.workspaceQuota(DSV3_QUOTA, -1));
        }
    }

    @Test
    void deletingAClusterEndsWhatRunsOnItAndLeavesNothing() {
        create("gone", cluster("Standard_D2s_v3", 0, 1, "PT2M"));
        assertThat(submit("long", "gone", "sleep 300").statusCode()).isEqualTo(201);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> status("long").equals("Running"));
        var running = nodes("gone");
        assertThat(running).hasSize(1);
        assertThat(running.get(0).get("nodeState").asText()).isEqualTo("running");
        assertThat(running.get(0).get("runId").asText()).isEqualTo("long");
        assertThat(submit("behind", "gone", "true").statusCode()).isEqualTo(201);

        var deleted = https.send("DELETE", WS + "/computes/gone?underlyingResourceAction=Delete", admin, null);
        assertThat(deleted.statusCode()).isEqualTo(202);
        var status = https.waitForOperation(deleted.headers().firstValue("Azure-AsyncOperation").orElseThrow(), admin);
        assertThat(status.get("status").asText()).isEqualTo("Succeeded");
        assertThat(https.send("GET", WS + "/computes/gone", admin, null).statusCode()).isEqualTo(404);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> status("long").equals("Failed") && status("behind").equals("Failed"));
        var job = Https.json(https.send("GET", WS + "/jobs/long", admin, null));
        assertThat(job.at("/properties/error/code").asText()).isEqualTo("ComputeStopped");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> new LocalInstances(data).processes().isEmpty());
    }

    /**
     * A job over two nodes: both start at once with the variables of a distributed job, rank 1 reaches rank 0 at
     * MASTER_ADDR:MASTER_PORT over TCP, and the log keeps each node's lines; a rank that fails fails the job and ends
     * the other; more nodes than the cluster's maximum is refused.
     */
    @Test
    void aJobOverSeveralNodesStartsThemTogetherAndTheyReachEachOther() {
        create("multi", cluster("Standard_D2s_v3", 0, 2, "PT1S"));
        var rendezvous = """
                echo "rank $NODE_RANK of $WORLD_SIZE ($AZUREML_NODE_COUNT nodes), master at $MASTER_ADDR"
                python3 - <<'PY'
                import os, socket, time
                address = (os.environ["MASTER_ADDR"], int(os.environ["MASTER_PORT"]))
                if os.environ["RANK"] == "0":
                    server = socket.create_server(address)
                    connection, _ = server.accept()
                    print("rank 0 heard:", connection.recv(100).decode(), flush=True)
                else:
                    for attempt in range(100):
                        try:
                            socket.create_connection(address).sendall(b"hello from rank 1")
                            break
                        except OSError:
                            time.sleep(0.1)
                PY
                """;
        var submitted = https.send("PUT", WS + "/jobs/pair?api-version=2024-04-01", admin, """
                {"properties":{"jobType":"Command","command":%s,"computeId":"multi",
                 "resources":{"instanceCount":2}}}""".formatted(Https.JSON.valueToTree(rendezvous).toString()));
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
        assertThat(Https.json(submitted).at("/properties/resources/instanceCount").asInt()).isEqualTo(2);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> List.of("Completed", "Failed").contains(status("pair")));
        var log = log("pair");
        assertThat(status("pair")).as(log).isEqualTo("Completed");
        assertThat(log).contains("[node 0] rank 0 of 2 (2 nodes), master at 127.0.0.1",
                "[node 1] rank 1 of 2 (2 nodes), master at 127.0.0.1", "[node 0] rank 0 heard: hello from rank 1");

        assertThat(https.send("PUT", WS + "/jobs/half?api-version=2024-04-01", admin, """
                {"properties":{"jobType":"Command","command":"if [ $NODE_RANK = 1 ]; then exit 3; fi; sleep 300",
                 "computeId":"multi","resources":{"instanceCount":2}}}""").statusCode()).isEqualTo(201);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> List.of("Completed", "Failed").contains(status("half")));
        var half = Https.json(https.send("GET", WS + "/jobs/half", admin, null)).get("properties");
        assertThat(half.get("status").asText()).isEqualTo("Failed");
        assertThat(half.get("exitCode").asInt()).isEqualTo(3);
        assertThat(half.at("/error/message").asText()).contains("on node rank 1");

        var tooMany = https.send("PUT", WS + "/jobs/triple?api-version=2024-04-01", admin, """
                {"properties":{"jobType":"Command","command":"true","computeId":"multi",
                 "resources":{"instanceCount":3}}}""");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(code(tooMany)).isEqualTo("InvalidInstanceCount");
        assertThat(Https.json(tooMany).at("/error/message").asText()).contains("at most 2");
        https.send("DELETE", WS + "/computes/multi?underlyingResourceAction=Delete", admin, null);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> new LocalInstances(data).processes().isEmpty());
    }

    /**
     * A node its backend loses (here: its folder removed from under it, as a host that went away): on a low-priority
     * cluster it is preempted and its job runs again on a new node; on a dedicated one it is unusable and its job fails.
     */
    @Test
    void aLostLowPriorityNodeIsPreemptedAndItsJobRunsAgain() throws Exception {
        var marks = Files.createDirectories(data.resolveSibling(data.getFileName() + "-marks"));
        // The job runs as its node's own account when the tests run as root.
        Files.setPosixFilePermissions(marks, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        try {
            create("spot", cluster("Standard_D2s_v3", 0, 1, "PT1S").replace("dedicated", "LowPriority"));
            assertThat(get("spot").at("/properties/properties/vmPriority").asText()).isEqualTo("LowPriority");
            var first = marks.resolve("first-run");
            assertThat(submit("again", "spot", "if [ -e " + first + " ]; then echo second run; else touch " + first
                    + "; echo first run; sleep 300; fi").statusCode()).isEqualTo(201);
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.exists(first) && status("again").equals("Running"));
            loseTheNodeOf("spot");

            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> status("again").equals("Completed"));
            assertThat(log("again")).contains("first run", "second run");
            var moves = new ArrayList<String>();
            var reasons = new ArrayList<String>();
            Https.json(https.send("GET", WS + "/jobs/again/history", admin, null)).get("value").forEach(line -> {
                moves.add(line.get("to").asText());
                reasons.add(line.get("reason").asText());
            });
            assertThat(moves).containsSubsequence("Running", "Queued", "Starting", "Running", "Completed");
            assertThat(reasons).anyMatch(reason -> reason.contains("was preempted; it waits in the queue"));

            create("dedicated", cluster("Standard_D2s_v3", 0, 1, "PT1S"));
            assertThat(submit("lost", "dedicated", "sleep 300").statusCode()).isEqualTo(201);
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> status("lost").equals("Running"));
            loseTheNodeOf("dedicated");
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> status("lost").equals("Failed"));
            var failed = Https.json(https.send("GET", WS + "/jobs/lost", admin, null));
            assertThat(failed.at("/properties/error/code").asText()).isEqualTo("ComputeStopped");
            assertThat(failed.at("/properties/error/message").asText()).contains("was lost");
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> nodes("spot").isEmpty() && nodes("dedicated").isEmpty());
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> new LocalInstances(data).processes().isEmpty());
        } finally {
            for (var name : List.of("spot", "dedicated")) {
                https.send("DELETE", WS + "/computes/" + name + "?underlyingResourceAction=Delete", admin, null);
            }
            // Beside JUnit's folder, so JUnit does not remove it.
            Files.deleteIfExists(marks.resolve("first-run"));
            Files.deleteIfExists(marks);
        }
    }

    /** Removes the folder of the cluster's one running node, as if its machine went away. */
    static void loseTheNodeOf(String cluster) throws Exception {
        var node = nodes(cluster).get(0);
        assertThat(node.get("nodeState").asText()).isEqualTo("running");
        var prefix = node.get("nodeId").asText().substring("tvm-".length());
        var folder = new LocalInstances(data).directories().stream()
                .filter(path -> path.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
        try (var tree = Files.walk(folder)) {
            tree.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void whatCannotBeIsRefusedAndNothingIsRecorded() {
        var cases = new ArrayList<Object[]>();
        cases.add(new Object[] {cluster("Standard_D2s_v3", 3, 2, "PT2M"), "InvalidScaleSettings"});
        cases.add(new Object[] {cluster("Standard_D2s_v3", 0, 0, "PT2M"), "InvalidScaleSettings"});
        cases.add(new Object[] {cluster("Standard_D2s_v3", 0, 2, "two minutes"), "InvalidIdleTime"});
        cases.add(new Object[] {cluster("Standard_Nope", 0, 2, "PT2M"), "InvalidVmSize"});
        cases.add(new Object[] {cluster("Standard_D2s_v3", 0, 2, "PT2M").replace("dedicated", "spot"),
                "InvalidVmPriority"});
        cases.add(new Object[] {"""
                {"properties":{"computeType":"AmlCompute","properties":{"vmSize":"Standard_D2s_v3"}}}""",
                "InvalidScaleSettings"});
        for (var refused : cases) {
            var response = https.send("PUT", WS + "/computes/refused", admin, (String) refused[0]);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(code(response)).as((String) refused[0]).isEqualTo(refused[1]);
        }
        assertThat(https.send("GET", WS + "/computes/refused", admin, null).statusCode()).isEqualTo(404);

        create("typed", cluster("Standard_D2s_v3", 0, 1, "PT2M"));
        var asInstance = https.send("PUT", WS + "/computes/typed", admin, QuotasIT.create("Standard_DS1_v2"));
        assertThat(asInstance.statusCode()).as(asInstance.body()).isEqualTo(400);
        assertThat(code(asInstance)).isEqualTo("ComputeTypeCannotBeUpdated");
        var nameCheck = Https.json(https.send("POST", WS + "/checkComputeNameAvailability?api-version=2024-04-01",
                admin, "{\"name\":\"typed\",\"type\":\"Microsoft.MachineLearningServices/workspaces/computes\"}"));
        assertThat(nameCheck.get("nameAvailable").asBoolean()).as("a cluster's name is taken for every kind")
                .isFalse();
        assertThat(nameCheck.get("reason").asText()).isEqualTo("AlreadyExists");
        var detach = https.send("DELETE", WS + "/computes/typed?underlyingResourceAction=Detach", admin, null);
        assertThat(detach.statusCode()).as(detach.body()).isEqualTo(400);
        assertThat(detach.body()).contains("an AmlCompute cluster, which cannot be detached");
        var start = https.send("POST", WS + "/computes/typed/start", admin, null);
        assertThat(start.statusCode()).isEqualTo(400);
        assertThat(code(start)).isEqualTo("OperationNotSupported");
        var size = https.send("PUT", WS + "/computes/typed", admin, cluster("Standard_D4s_v3", 0, 1, "PT2M"));
        assertThat(code(size)).isEqualTo("VmSizeCannotBeUpdated");
        var updated = https.send("PUT", WS + "/computes/typed", admin, cluster("Standard_D2s_v3", 0, 2, "PT5M"));
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(Https.json(updated).at("/properties/properties/scaleSettings/nodeIdleTimeBeforeScaleDown")
                .asText()).isEqualTo("PT300S");
        var cores = https.send("PUT", WS + "/jobs/too-wide?api-version=2024-04-01", admin, """
                {"properties":{"jobType":"Command","command":"true","computeId":"typed","resources":{"cores":3}}}""");
        assertThat(code(cores)).isEqualTo("InvalidJobCores");

        var listed = Https.json(https.send("GET", WS + "/computes", admin, null)).get("value");
        Set<String> types = new HashSet<>(listed.findValuesAsText("computeType"));
        assertThat(types).contains("AmlCompute");
    }
}
