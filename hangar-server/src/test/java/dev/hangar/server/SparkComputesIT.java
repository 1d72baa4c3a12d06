package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.api.SparkProperties;
import dev.hangar.client.ArmIds;
import dev.hangar.client.HangarClient;
import dev.hangar.testkit.process.Ports;
import dev.hangar.testkit.server.ServerProcess;
import dev.hangar.testkit.spark.SparkApps;
import dev.hangar.testkit.spark.SparkCluster;
import dev.hangar.testkit.spark.SparkRuntime;
import dev.hangar.testkit.time.Waits;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Spark standalone cluster (a Master with its REST submission server and a Worker, from Maven Central's Spark
 * jars, started by the testkit) attached as a compute with Azure's JSON: Spark jobs sent as Azure's v2 Spark job run
 * there with their code, log and exit; one is canceled; a second attach of the master, a master with REST off, no
 * master at all, a command job on it and a Spark job without an entry are refused with ARM errors and nothing recorded.
 */
class SparkComputesIT {
    static final String WS = WireFormatIT.WS;
    static final String TEAM = WS.replace("/workspaces/default", "/workspaces/spark-team");

    static Path folder;
    static SparkCluster spark;
    static ServerProcess server;
    static Https https;
    static String admin;
    static String codeId;

    @BeforeAll
    static void start() throws IOException {
        folder = Files.createTempDirectory(Path.of("/tmp"), "hangar-spark-it-");
        var runtime = SparkRuntime.in(folder);
        spark = SparkCluster.start(runtime, folder.resolve("cluster"), 4);
        Files.createDirectories(folder.resolve("jobs"));
        var src = Files.createDirectories(folder.resolve("src"));
        SparkApps.jar(runtime, src.resolve("lib/app.jar"), List.of(SparkApps.SUM, SparkApps.SLEEP));
        server = new ServerProcess(folder.resolve("data"), Map.of("HANGAR_BACKEND_LOCAL_JUPYTER",
                "/nonexistent/jupyter", "HANGAR_RECONCILE_ENGINE_POLL_INTERVAL", "PT0.5S")).start();
        https = new Https(server.url(), server.certificate());
        admin = server.adminToken();
        var team = https.send("PUT", TEAM, admin, "{\"location\":\"local\"}");
        assertThat(team.statusCode()).as(team.body()).isIn(200, 201);
        try (var client = HangarClient.builder().server(server.url()).token(admin)
                .caCertificate(server.certificate()).build()) {
            codeId = client.codes(ArmIds.parseWorkspace(WS)).upload(src).code().id();
        }
    }

    @AfterEach
    void detachAll() {
        if (server == null) {
            return;
        }
        https.detachAll(admin, WS, TEAM);
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (spark != null) {
                spark.close();
            }
            if (folder != null) {
                try (var paths = Files.walk(folder)) {
                    for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        }
    }

    static String attachment(String restUrl, String webUiUrl) {
        return """
                {"properties":{"computeType":"Spark","description":"the team's Spark",
                 "properties":{"masterUrl":"%s","restUrl":"%s","webUiUrl":"%s","workDirectory":"%s"}}}"""
                .formatted(spark.masterUrl(), restUrl, webUiUrl, folder.resolve("jobs"));
    }

    static HttpResponse<String> put(String workspace, String name, String body) {
        return https.send("PUT", workspace + "/computes/" + name + "?api-version=2024-04-01", admin, body);
    }

    static void attach(String name) {
        var made = put(WS, name, attachment(spark.restUrl(), spark.masterUiUrl()));
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        var status = https.waitForOperation(made.headers().firstValue("Azure-AsyncOperation").orElseThrow(), admin);
        assertThat(status.get("status").asText()).isEqualTo("Succeeded");
    }

    /** Azure's v2 Spark job with a JVM entry, as azure-ai-ml sends it. */
    static HttpResponse<String> submitSpark(String job, String className, String args) {
        return https.send("PUT", WS + "/jobs/" + job + "?api-version=2024-04-01", admin, """
                {"properties":{"jobType":"Spark","computeId":"spark","codeId":"%s",
                 "entry":{"sparkJobEntryType":"SparkJobScalaEntry","className":"%s"},"jars":["lib/app.jar"],
                 "args":"%s","environmentVariables":{"GREETING":"azure"},
                 "conf":{"spark.driver.memory":"512m","spark.executor.memory":"512m","spark.cores.max":"1",
                         "spark.executor.cores":"1"}}}""".formatted(codeId, className, args));
    }

    static JsonNode job(String job) {
        return Https.json(https.send("GET", WS + "/jobs/" + job, admin, null));
    }

    static JsonNode awaitStatus(String job, String... statuses) {
        await().atMost(Waits.SCHEDULER_STEP).pollInterval(Duration.ofMillis(500)).until(() ->
                List.of(statuses).contains(job(job).at("/properties/status").asText()));
        return job(job);
    }

    static String log(String job) {
        return https.send("GET", WS + "/jobs/" + job + "/logs", admin, null).body();
    }

    static String code(HttpResponse<String> response) {
        return Https.json(response).at("/error/code").asText();
    }

    @Test
    void anAttachedSparkRunsAzuresSparkJobsWithTheirLogsAndCancels() {
        attach("spark");
        var shown = Https.json(https.send("GET", WS + "/computes/spark", admin, null));
        assertThat(shown.at("/properties/computeType").asText()).isEqualTo("Spark");
        assertThat(shown.at("/properties/isAttachedCompute").asBoolean()).isTrue();
        assertThat(shown.at("/properties/properties/masterUrl").asText()).isEqualTo(spark.masterUrl());
        assertThat(shown.at("/properties/properties/sparkVersion").asText()).isEqualTo(spark.version());
        assertThat(shown.at("/properties/properties/nodeCount").asInt()).isEqualTo(1);
        var nodes = Https.json(https.send("POST", WS + "/computes/spark/listNodes", admin, null)).get("nodes");
        assertThat(nodes).hasSize(1);

        var made = submitSpark("sum", "demo.Sum", "100");
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        var recorded = job("sum").get("properties");
        assertThat(recorded.get("jobType").asText()).isEqualTo("Spark");
        assertThat(recorded.at("/entry/className").asText()).isEqualTo("demo.Sum");
        assertThat(recorded.at("/jars/0").asText()).isEqualTo("lib/app.jar");
        assertThat(recorded.get("args").asText()).isEqualTo("100");
        assertThat(recorded.at("/conf/spark.cores.max").asText()).isEqualTo("1");
        assertThat(recorded.has("command")).isFalse();
        var done = awaitStatus("sum", "Completed", "Failed", "Canceled");
        assertThat(done.at("/properties/status").asText()).as(log("sum")).isEqualTo("Completed");
        assertThat(done.at("/properties/exitCode").asInt()).isZero();
        assertThat(log("sum")).contains("sum of 1..100 = 5050 from azure");
        assertThat(folder.resolve("jobs")).isEmptyDirectory();

        assertThat(submitSpark("sleeps", "demo.Sleep", "").statusCode()).isEqualTo(201);
        awaitStatus("sleeps", "Running");
        await().atMost(Waits.SCHEDULER_STEP).pollInterval(Duration.ofMillis(500))
                .until(() -> log("sleeps").contains("sleeping"));
        var cancel = https.send("POST", WS + "/jobs/sleeps/cancel", admin, null);
        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
        assertThat(awaitStatus("sleeps", "Canceled", "Failed", "Completed").at("/properties/status").asText())
                .isEqualTo("Canceled");
        await().atMost(Waits.SCHEDULER_STEP).pollInterval(Duration.ofMillis(500))
                .until(() -> !spark.masterJson().contains("\"state\" : \"RUNNING\""));

        var missing = submitSpark("missing", "demo.Missing", "");
        assertThat(missing.statusCode()).as(missing.body()).isEqualTo(201);
        var failed = awaitStatus("missing", "Completed", "Failed", "Canceled");
        assertThat(failed.at("/properties/status").asText()).isEqualTo("Failed");
        assertThat(failed.at("/properties/error/code").asText()).isEqualTo("JobFailed");
        assertThat(log("missing")).contains("ClassNotFoundException: demo.Missing");
    }

    @Test
    void badInputIsRefusedAndNothingRecorded() {
        var noRest = put(WS, "no-rest", attachment("http://127.0.0.1:" + Ports.freeLoopback(), spark.masterUiUrl()));
        assertThat(noRest.statusCode()).as(noRest.body()).isEqualTo(400);
        assertThat(code(noRest)).isEqualTo("SparkRestDisabled");
        assertThat(Https.json(noRest).at("/error/message").asText()).contains("spark.master.rest.enabled=true");
        var nowhere = put(WS, "nowhere", """
                {"properties":{"computeType":"Spark","properties":{"masterUrl":"spark://127.0.0.1:%d",
                 "restUrl":"http://127.0.0.1:%d","webUiUrl":"http://127.0.0.1:%d","workDirectory":"%s"}}}"""
                .formatted(Ports.freeLoopback(), Ports.freeLoopback(), Ports.freeLoopback(), folder.resolve("jobs")));
        assertThat(nowhere.statusCode()).as(nowhere.body()).isEqualTo(400);
        assertThat(code(nowhere)).isEqualTo("SparkMasterUnreachable");
        var noMaster = put(WS, "no-master", "{\"properties\":{\"computeType\":\"Spark\",\"properties\":{}}}");
        assertThat(code(noMaster)).isEqualTo("InvalidSparkSetting");
        for (var name : List.of("no-rest", "nowhere", "no-master")) {
            assertThat(https.send("GET", WS + "/computes/" + name, admin, null).statusCode()).isEqualTo(404);
        }

        // Attached through the Java client this time.
        try (var client = HangarClient.builder().server(server.url()).token(admin)
                .caCertificate(server.certificate()).build()) {
            var operation = client.workspace(ArmIds.parseWorkspace(WS)).attachSpark("spark", new SparkProperties(
                    spark.masterUrl(), spark.restUrl(), spark.masterUiUrl(), folder.resolve("jobs").toString(), null,
                    null, null), "attached by the client");
            assertThat(operation.waitForCompletion(Waits.DAEMON_START).status()).isEqualTo("Succeeded");
        }
        var again = put(TEAM, "spark-again", attachment(spark.restUrl(), spark.masterUiUrl()));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(409);
        assertThat(code(again)).isEqualTo("ComputeAlreadyAttached");
        assertThat(Https.json(again).at("/error/message").asText()).contains(spark.masterUrl(), "'spark'");

        var command = https.send("PUT", WS + "/jobs/a-command", admin,
                "{\"properties\":{\"jobType\":\"Command\",\"command\":\"echo hi\",\"computeId\":\"spark\"}}");
        assertThat(command.statusCode()).as(command.body()).isEqualTo(400);
        assertThat(code(command)).isEqualTo("JobTypeUnsupported");
        var noEntry = https.send("PUT", WS + "/jobs/no-entry", admin, """
                {"properties":{"jobType":"Spark","computeId":"spark","codeId":"%s"}}""".formatted(codeId));
        assertThat(code(noEntry)).isEqualTo("InvalidSparkEntry");
        var wrongJar = https.send("PUT", WS + "/jobs/wrong-jar", admin, """
                {"properties":{"jobType":"Spark","computeId":"spark","codeId":"%s",
                 "entry":{"sparkJobEntryType":"SparkJobScalaEntry","className":"demo.Sum"},"jars":["lib/none.jar"]}}"""
                .formatted(codeId));
        assertThat(wrongJar.statusCode()).as(wrongJar.body()).isEqualTo(201);
        var failed = awaitStatus("wrong-jar", "Failed", "Completed", "Canceled");
        assertThat(failed.at("/properties/error/code").asText()).isEqualTo("SparkFileNotFound");
        assertThat(failed.at("/properties/error/message").asText()).contains("lib/none.jar", "lib/app.jar");
        for (var name : List.of("a-command", "no-entry")) {
            assertThat(https.send("GET", WS + "/jobs/" + name, admin, null).statusCode()).isEqualTo(404);
        }
    }
}
