package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hangar.testkit.process.HostProcesses;
import dev.hangar.testkit.server.LocalInstances;
import dev.hangar.testkit.server.ServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the server while an instance is Creating and while another is Stopping: after a restart on the same data
 * both reach their target state, and no Jupyter process is left that no compute record owns. Likewise while a setup
 * script runs, jobs run and a cluster's nodes work.
 */
class CrashRecoveryIT {
    static final String WS = WireFormatIT.WS;

    @TempDir
    Path data;
    ServerProcess server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        new LocalInstances(data).processes().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void interruptedOperationsFinishAfterARestart() {
        server = new ServerProcess(data, Map.of()).start();
        var token = server.adminToken();
        var https = new Https(server.url(), server.certificate());
        var created = https.send("PUT", WS + "/computes/to-stop", token, WireFormatIT.CREATE);
        https.waitForOperation(created.headers().firstValue("Azure-AsyncOperation").orElseThrow(), token);

        var stopping = https.send("POST", WS + "/computes/to-stop/stop", token, null);
        assertThat(stopping.statusCode()).isEqualTo(202);
        var creating = https.send("PUT", WS + "/computes/to-create", token, WireFormatIT.CREATE);
        assertThat(Https.json(creating).at("/properties/properties/state").asText()).isEqualTo("Creating");
        server.kill();

        // Restarted as an operator would: same data, same address, so the operation URLs handed out stay valid.
        server.start();
        var again = new Https(server.url(), server.certificate());
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
                state(again, token, "to-create").equals("Running") && state(again, token, "to-stop").equals("Stopped"));
        var createOp = again.waitForOperation(creating.headers().firstValue("Azure-AsyncOperation").orElseThrow(), token);
        assertThat(createOp.get("status").asText()).isEqualTo("Succeeded");
        var stopOp = again.waitForOperation(stopping.headers().firstValue("Azure-AsyncOperation").orElseThrow(), token);
        assertThat(stopOp.get("status").asText()).isEqualTo("Succeeded");
        assertThat(again.send("GET", Https.json(again.send("GET", WS + "/computes/to-create", token, null))
                .at("/properties/properties/applications/0/endpointUri").asText() + "api", token, null).statusCode())
                .isEqualTo(200);

        // Exactly one Jupyter runs: the one of to-create. to-stop's was ended, none was started twice.
        await().atMost(Duration.ofSeconds(30)).until(() -> jupyters().size() == 1);
        for (var name : new String[] {"to-create", "to-stop"}) {
            var delete = again.send("DELETE", WS + "/computes/" + name + "?underlyingResourceAction=Delete", token, null);
            again.waitForOperation(delete.headers().firstValue("Azure-AsyncOperation").orElseThrow(), token);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> new LocalInstances(data).processes().isEmpty());
        assertThat(new LocalInstances(data).directories()).isEmpty();
    }

    /**
     * kill -9 while a creation script runs: the restarted server ends what is left of the script (it would not know
     * whether to wait for it) and leaves the instance SetupFailed, reachable, saying why.
     */
    @Test
    void aSetupScriptCutOffByACrashIsEndedAndTheSetupFails() {
        server = new ServerProcess(data, Map.of()).start();
        var token = server.adminToken();
        var https = new Https(server.url(), server.certificate());
        var script = java.util.Base64.getEncoder().encodeToString("echo long\nsleep 600\n".getBytes());
        var created = https.send("PUT", WS + "/computes/cut", token, """
                {"location":"local","properties":{"computeType":"ComputeInstance","properties":{
                "vmSize":"STANDARD_DS1_V2","setupScripts":{"scripts":{
                "creationScript":{"scriptSource":"inline","scriptData":"%s"}}}}}}""".formatted(script));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> state(https, token, "cut").equals("SettingUp"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !HostProcesses.withEnvironment("CI_NAME", "cut").isEmpty());
        server.kill();

        server.start();
        var again = new Https(server.url(), server.certificate());
        var status = again.waitForOperation(created.headers().firstValue("Azure-AsyncOperation").orElseThrow(), token);
        assertThat(status.get("status").asText()).isEqualTo("Failed");
        assertThat(status.at("/error/code").asText()).isEqualTo("SetupInterrupted");
        assertThat(state(again, token, "cut")).isEqualTo("SetupFailed");
        await().atMost(Duration.ofSeconds(20)).until(() -> HostProcesses.withEnvironment("CI_NAME", "cut").isEmpty());
        var delete = again.send("DELETE", WS + "/computes/cut?underlyingResourceAction=Delete", token, null);
        again.waitForOperation(delete.headers().firstValue("Azure-AsyncOperation").orElseThrow(), token);
    }

    @Test
    void anOrphanWithNoRecordIsRemovedAtStart() throws Exception {
        server = new ServerProcess(data, Map.of()).start();
        var token = server.adminToken();
        var https = new Https(server.url(), server.certificate());
        var created = https.send("PUT", WS + "/computes/orphan", token, WireFormatIT.CREATE);
        https.waitForOperation(created.headers().firstValue("Azure-AsyncOperation").orElseThrow(), token);
        server.close();
        // Forget the record behind Hangar's back: the instance's processes and home now belong to no compute.
        var db = data.resolve("db");
        var embedded = dev.hangar.store.StoreConfig.embedded(db);
        try (var connection = java.sql.DriverManager.getConnection(embedded.jdbcUrl(), embedded.username(),
                embedded.password())) {
            connection.createStatement().executeUpdate("DELETE FROM computes");
        }
        assertThat(jupyters()).hasSize(1);
        server = new ServerProcess(data, Map.of()).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> new LocalInstances(data).processes().isEmpty()
                && new LocalInstances(data).directories().isEmpty());
    }

    private java.util.List<ProcessHandle> jupyters() {
        return new LocalInstances(data).processes().stream()
                .filter(process -> process.info().commandLine().orElse("").contains("notebook")).toList();
    }

    private static String state(Https https, String token, String name) {
        return Https.json(https.send("GET", WS + "/computes/" + name, token, null))
                .at("/properties/properties/state").asText();
    }

    /**
     * kill -9 with one job running and one queued behind it: after the restart the running one is recorded Failed
     * ({@code JobInterrupted}) and what it left running is ended; the queued one runs, once.
     */
    @Test
    void jobsAreNeitherLostNorRunTwiceAcrossACrash() throws Exception {
        server = new ServerProcess(data, Map.of("HANGAR_BACKEND_LOCAL_JUPYTER", "/nonexistent/jupyter")).start();
        var token = server.adminToken();
        var https = new Https(server.url(), server.certificate());
        https.createInstance(WS + "/computes/crash-jobs", token, WireFormatIT.CREATE);
        var job = """
                {"properties":{"jobType":"Command","command":%s,"computeId":"crash-jobs"}}""";
        assertThat(https.send("PUT", WS + "/jobs/crash-long", token, job.formatted(
                "\"sleep 300 & echo child $!; wait\"")).statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                https.send("GET", WS + "/jobs/crash-long/logs", token, null).body().contains("child "));
        var log = https.send("GET", WS + "/jobs/crash-long/logs", token, null).body();
        var child = Long.parseLong(log.replaceAll("(?s).*child (\\d+).*", "$1"));
        assertThat(https.send("PUT", WS + "/jobs/crash-next", token, job.formatted(
                "\"echo ran >> ~/crash-next.txt; cat ~/crash-next.txt\"")).statusCode()).isEqualTo(201);
        assertThat(Https.json(https.send("GET", WS + "/jobs/crash-next", token, null)).at("/properties/status")
                .asText()).as("the 1-core instance is busy").isEqualTo("Queued");

        server.kill();
        assertThat(running(child)).as("the job's processes outlive the killed server").isTrue();
        server.start();
        var again = new Https(server.url(), server.certificate());

        await().atMost(Duration.ofSeconds(30)).until(() -> Https.json(again.send("GET", WS + "/jobs/crash-long",
                token, null)).at("/properties/status").asText().equals("Failed"));
        assertThat(Https.json(again.send("GET", WS + "/jobs/crash-long", token, null)).at("/properties/error/code")
                .asText()).isEqualTo("JobInterrupted");
        await().atMost(Duration.ofSeconds(20)).until(() -> !running(child));
        await().atMost(Duration.ofSeconds(30)).until(() -> Https.json(again.send("GET", WS + "/jobs/crash-next",
                token, null)).at("/properties/status").asText().equals("Completed"));
        assertThat(again.send("GET", WS + "/jobs/crash-next/logs", token, null).body()).isEqualTo("ran\n");
        again.send("DELETE", WS + "/computes/crash-jobs?underlyingResourceAction=Delete", token, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> new LocalInstances(data).processes().isEmpty());
    }

    /**
     * kill -9 with a job running on a cluster's only node and one waiting for it: after the restart the node is still
     * the cluster's (not an orphan, not doubled), the running job is recorded Failed ({@code JobInterrupted}) with what
     * it left running ended, the node is given back, and the waiting job runs on it, once.
     */
    @Test
    void aClustersNodesAndJobsComeThroughACrash() throws Exception {
        server = new ServerProcess(data, Map.of("HANGAR_RECONCILE_CLUSTER_SCALE_INTERVAL", "PT0.2S")).start();
        var token = server.adminToken();
        var https = new Https(server.url(), server.certificate());
        var created = https.send("PUT", WS + "/computes/crash-cluster", token, """
                {"properties":{"computeType":"AmlCompute","properties":{"vmSize":"Standard_DS1_v2",
                 "scaleSettings":{"minNodeCount":0,"maxNodeCount":1,"nodeIdleTimeBeforeScaleDown":"PT10M"}}}}""");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        var job = """
                {"properties":{"jobType":"Command","command":%s,"computeId":"crash-cluster"}}""";
        assertThat(https.send("PUT", WS + "/jobs/node-long", token, job.formatted(
                "\"sleep 300 & echo child $!; wait\"")).statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                https.send("GET", WS + "/jobs/node-long/logs", token, null).body().contains("child "));
        var child = Long.parseLong(https.send("GET", WS + "/jobs/node-long/logs", token, null).body()
                .replaceAll("(?s).*child (\\d+).*", "$1"));
        assertThat(https.send("PUT", WS + "/jobs/node-next", token, job.formatted(
                "\"echo ran >> ~/node-next.txt; cat ~/node-next.txt\"")).statusCode()).isEqualTo(201);
        var node = nodes(https, token);
        assertThat(node).hasSize(1);
        var nodeId = node.get(0).get("nodeId").asText();

        server.kill();
        assertThat(running(child)).as("the job's processes outlive the killed server").isTrue();
        server.start();
        var again = new Https(server.url(), server.certificate());

        await().atMost(Duration.ofSeconds(30)).until(() -> Https.json(again.send("GET", WS + "/jobs/node-long",
                token, null)).at("/properties/status").asText().equals("Failed"));
        assertThat(Https.json(again.send("GET", WS + "/jobs/node-long", token, null)).at("/properties/error/code")
                .asText()).isEqualTo("JobInterrupted");
        await().atMost(Duration.ofSeconds(20)).until(() -> !running(child));
        await().atMost(Duration.ofSeconds(30)).until(() -> Https.json(again.send("GET", WS + "/jobs/node-next",
                token, null)).at("/properties/status").asText().equals("Completed"));
        assertThat(again.send("GET", WS + "/jobs/node-next/logs", token, null).body()).isEqualTo("ran\n");
        var after = nodes(again, token);
        assertThat(after).as("the same node, kept: neither an orphan nor doubled").hasSize(1);
        assertThat(after.get(0).get("nodeId").asText()).isEqualTo(nodeId);
        again.send("DELETE", WS + "/computes/crash-cluster?underlyingResourceAction=Delete", token, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> new LocalInstances(data).processes().isEmpty()
                && new LocalInstances(data).directories().isEmpty());
    }

    private static com.fasterxml.jackson.databind.JsonNode nodes(Https https, String token) {
        return Https.json(https.send("POST", WS + "/computes/crash-cluster/listNodes", token, null)).get("nodes");
    }

    /** Alive and not a zombie (an ended process no init has reaped yet). */
    private static boolean running(long pid) {
        return ProcessHandle.of(pid).map(HostProcesses::isRunning).orElse(false);
    }
}
