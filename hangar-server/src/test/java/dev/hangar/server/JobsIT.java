package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.archive.Tarballs;
import dev.hangar.client.ArmIds;
import dev.hangar.client.HangarClient;
import dev.hangar.testkit.server.ServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Command jobs on a compute instance of the host backend, through Azure's v2 job wire format: output and exit code,
 * logs while running and after, a failing job's exit code, jobs side by side up to the instance's cores with the rest
 * queued in order of priority then submission, the instance showing JobRunning meanwhile, cancel while queued and
 * while running (no process left), a stop ending the jobs on it, code snapshots uploaded once (through the Java
 * client) and run in, outputs kept and downloaded, and the refusals for what cannot run.
 */
class JobsIT {
    static final String WS = WireFormatIT.WS;
    static final String CI = WS + "/computes/jobs-ci";

    @TempDir
    static Path data;
    static ServerProcess server;
    static Https https;
    static String admin;

    @BeforeAll
    static void start() {
        server = new ServerProcess(data, Map.of("HANGAR_BACKEND_LOCAL_JUPYTER", "/nonexistent/jupyter")).start();
        https = new Https(server.url(), server.certificate());
        admin = server.adminToken();
        https.createInstance(CI, admin, QuotasIT.create("Standard_DS2_v2"));
    }

    @AfterAll
    static void stop() {
        Https.deleteAndStop(server, https, data, CI, admin);
    }

    static String job(String command, String extra) {
        return """
                {"properties":{"jobType":"Command","command":%s,"computeId":"%s",%s
                 "environmentVariables":{"GREETING":"hi there"}}}""".formatted(
                Https.JSON.valueToTree(command).toString(), CI, extra);
    }

    static HttpResponse<String> submit(String name, String body) {
        return https.send("PUT", WS + "/jobs/" + name + "?api-version=2024-04-01", admin, body);
    }

    static JsonNode get(String name) {
        return Https.json(https.send("GET", WS + "/jobs/" + name, admin, null));
    }

    static String status(String name) {
        return get(name).at("/properties/status").asText();
    }

    static JsonNode awaitStatus(String name, String... statuses) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> List.of(statuses).contains(status(name)));
        return get(name);
    }

    static String log(String name) {
        return https.send("GET", WS + "/jobs/" + name + "/logs", admin, null).body();
    }

    static String code(HttpResponse<String> response) {
        return Https.json(response).at("/error/code").asText();
    }

    @Test
    void aJobRunsItsCommandInTheInstanceAndKeepsItsOutput() {
        var made = submit("hello", job("echo hello from $HANGAR_JOB_NAME; echo to stderr >&2; pwd; echo \"$GREETING\"",
                "\"displayName\":\"Say hello\","));
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        assertThat(Https.json(made).get("type").asText()).isEqualTo("Microsoft.MachineLearningServices/workspaces/jobs");
        assertThat(Https.json(made).at("/properties/status").asText()).isIn("Queued", "Starting", "Running",
                "Completed");

        var done = awaitStatus("hello", "Completed", "Failed");
        assertThat(done.at("/properties/status").asText()).isEqualTo("Completed");
        assertThat(done.at("/properties/exitCode").asInt()).isZero();
        assertThat(done.at("/properties/displayName").asText()).isEqualTo("Say hello");
        assertThat(done.at("/properties/computeId").asText()).isEqualTo(CI);
        assertThat(done.at("/properties/startTime").isTextual()).isTrue();
        assertThat(log("hello")).contains("hello from hello", "to stderr", "/jobs/hello", "hi there");

        var history = Https.json(https.send("GET", WS + "/jobs/hello/history", admin, null)).get("value");
        var path = new ArrayList<String>();
        history.forEach(line -> path.add(line.get("to").asText()));
        assertThat(path).containsExactly("Queued", "Starting", "Running", "Finalizing", "Completed");
        assertThat(submit("hello", job("echo hello from $HANGAR_JOB_NAME; echo to stderr >&2; pwd; echo \"$GREETING\"",
                "")).statusCode()).as("the same job again: a client's retry").isEqualTo(200);
        var changed = submit("hello", job("echo something else", ""));
        assertThat(changed.statusCode()).isEqualTo(409);
        assertThat(code(changed)).isEqualTo("JobExists");

        var listed = Https.json(https.send("GET", WS + "/jobs", admin, null)).get("value");
        assertThat(listed.findValuesAsText("name")).contains("hello");
    }

    @Test
    void theListFiltersByComputeAndState() {
        submit("listed", job("true", ""));
        awaitStatus("listed", "Completed");
        var completed = Https.json(https.send("GET", WS + "/jobs?computeId=JOBS-CI&status=completed,Canceled",
                admin, null)).get("value").findValuesAsText("name");
        assertThat(completed).contains("listed");
        assertThat(Https.json(https.send("GET", WS + "/jobs?status=Failed", admin, null)).get("value")
                .findValuesAsText("name")).doesNotContain("listed");
        assertThat(Https.json(https.send("GET", WS + "/jobs?computeId=" + WS + "/computes/elsewhere", admin, null))
                .get("value")).isEmpty();
        var bad = https.send("GET", WS + "/jobs?status=Finished", admin, null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(code(bad)).isEqualTo("InvalidFilter");
    }

    @Test
    void aFailingCommandFailsWithItsExitCode() {
        submit("fails", job("echo about to fail; exit 3", ""));
        var failed = awaitStatus("fails", "Completed", "Failed");
        assertThat(failed.at("/properties/status").asText()).isEqualTo("Failed");
        assertThat(failed.at("/properties/exitCode").asInt()).isEqualTo(3);
        assertThat(failed.at("/properties/error/code").asText()).isEqualTo("JobFailed");
        assertThat(log("fails")).contains("about to fail");
    }

    @Test
    void jobsRunSideBySideUpToTheInstancesCoresAndTheRestWaitInOrder() {
        // Standard_DS2_v2 has 2 vCPUs: two 1-core jobs run at once; a third waits its turn.
        for (var name : List.of("side-1", "side-2", "side-3")) {
            assertThat(submit(name, job("sleep 3", "")).statusCode()).isEqualTo(201);
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                status("side-1").equals("Running") && status("side-2").equals("Running"));
        assertThat(status("side-3")).isEqualTo("Queued");
        awaitStatus("side-3", "Running", "Completed");
        assertThat(get("side-3").at("/properties/startTime").asText())
                .isGreaterThanOrEqualTo(get("side-1").at("/properties/endTime").asText().substring(0, 19));
        for (var name : List.of("side-1", "side-2", "side-3")) {
            assertThat(awaitStatus(name, "Completed", "Failed").at("/properties/status").asText())
                    .isEqualTo("Completed");
        }
    }

    @Test
    void cancelEndsARunningJobsProcessesAndAQueuedJobBeforeItStarts() {
        assertThat(submit("long", job("sleep 300 & echo child $!; wait", "\"resources\":{\"cores\":2},"))
                .statusCode()).isEqualTo(201);
        assertThat(submit("behind", job("echo never", "")).statusCode()).isEqualTo(201);
        awaitStatus("long", "Running");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> log("long").contains("child "));
        var matcher = Pattern.compile("child (\\d+)").matcher(log("long"));
        assertThat(matcher.find()).isTrue();
        var child = Long.parseLong(matcher.group(1));
        assertThat(ProcessHandle.of(child)).isPresent();
        assertThat(status("behind")).as("the 2-core job fills the instance").isEqualTo("Queued");

        var queued = https.send("POST", WS + "/jobs/behind/cancel", admin, null);
        assertThat(queued.statusCode()).isEqualTo(202);
        assertThat(Https.json(queued).at("/properties/status").asText()).isEqualTo("Canceled");

        var running = https.send("POST", WS + "/jobs/long/cancel", admin, null);
        assertThat(running.statusCode()).isEqualTo(202);
        assertThat(Https.json(running).at("/properties/status").asText()).isIn("CancelRequested", "Canceled");
        assertThat(awaitStatus("long", "Canceled", "Failed", "Completed").at("/properties/status").asText())
                .isEqualTo("Canceled");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                ProcessHandle.of(child).map(process -> !process.isAlive()).orElse(true));
        assertThat(log("behind")).isEmpty();
        assertThat(https.send("POST", WS + "/jobs/long/cancel", admin, null).statusCode())
                .as("canceling an ended job changes nothing").isEqualTo(202);
        assertThat(status("long")).isEqualTo("Canceled");
    }

    @Test
    void whatAJobLeavesRunningEndsWithItAndDoesNotHoldItOpen() {
        // The child keeps the job's output open: the job still ends when its command does, and the child with it.
        assertThat(submit("leaves", job("sleep 300 & echo child $!", "")).statusCode()).isEqualTo(201);
        var done = awaitStatus("leaves", "Completed", "Failed", "Canceled");
        assertThat(done.at("/properties/status").asText()).isEqualTo("Completed");
        var matcher = Pattern.compile("child (\\d+)").matcher(log("leaves"));
        assertThat(matcher.find()).isTrue();
        var child = Long.parseLong(matcher.group(1));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                ProcessHandle.of(child).map(process -> !process.isAlive()).orElse(true));

        // One that lets go of its output (a daemon) is found by its marker all the same.
        assertThat(submit("detaches", job("nohup sleep 300 >/dev/null 2>&1 & echo child $!", "")).statusCode())
                .isEqualTo(201);
        assertThat(awaitStatus("detaches", "Completed", "Failed").at("/properties/status").asText())
                .isEqualTo("Completed");
        var detached = Pattern.compile("child (\\d+)").matcher(log("detaches"));
        assertThat(detached.find()).isTrue();
        var daemon = Long.parseLong(detached.group(1));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                ProcessHandle.of(daemon).map(process -> !process.isAlive()).orElse(true));
    }

    @Test
    void stoppingTheInstanceEndsItsJobsAndTheirProcesses() {
        assertThat(submit("stopped", job("sleep 300 & echo child $!; wait", "")).statusCode()).isEqualTo(201);
        awaitStatus("stopped", "Running");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> log("stopped").contains("child "));
        var matcher = Pattern.compile("child (\\d+)").matcher(log("stopped"));
        assertThat(matcher.find()).isTrue();
        var child = Long.parseLong(matcher.group(1));
        try {
            var stop = https.send("POST", CI + "/stop", admin, null);
            assertThat(stop.statusCode()).isEqualTo(202);
            var failed = awaitStatus("stopped", "Failed", "Canceled", "Completed");
            assertThat(failed.at("/properties/status").asText()).isEqualTo("Failed");
            assertThat(failed.at("/properties/error/code").asText()).isEqualTo("ComputeStopped");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                    ProcessHandle.of(child).map(process -> !process.isAlive()).orElse(true));
            https.waitForOperation(stop.headers().firstValue("Azure-AsyncOperation").orElseThrow(), admin);

            // A job for a stopped instance waits for it to run.
            assertThat(submit("waits", job("echo ran after start", "")).statusCode()).isEqualTo(201);
            assertThat(status("waits")).isEqualTo("Queued");
            assertThat(Https.json(https.send("GET", WS + "/jobs/waits/history", admin, null)).at("/value/0/reason")
                    .asText()).endsWith("it waits until jobs-ci, now Stopped, runs");
        } finally {
            var start = https.send("POST", CI + "/start", admin, null);
            https.waitForOperation(start.headers().firstValue("Azure-AsyncOperation").orElseThrow(), admin);
        }
        assertThat(awaitStatus("waits", "Completed", "Failed").at("/properties/status").asText())
                .isEqualTo("Completed");
        assertThat(log("waits")).contains("ran after start");
    }

    @Test
    void whatCannotRunIsRefusedAndNothingIsRecorded() {
        var refusals = new ArrayList<String>();
        for (var body : new String[] {
                job("   ", ""),
                job("echo", "\"resources\":{\"cores\":5},"),
                job("echo", "\"resources\":{\"instanceCount\":2},"),
                job("echo", "\"resources\":{\"instanceCount\":1,\"instanceType\":\"gpu-small\"},"),
                job("echo", "\"jobType\":\"Sweep\",").replace("\"jobType\":\"Command\",", ""),
                job("echo", "\"codeId\":\"azureml:code:1\","),
                job("echo", "\"codeId\":\"azureml:" + "0".repeat(64) + ":1\","),
                job("echo", "\"queueSettings\":{\"priority\":7},"),
                job("echo", "").replace(CI, WS + "/computes/no-such-ci"),
                job("echo", "").replace("GREETING", "1BAD")}) {
            var response = submit("refused", body);
            assertThat(response.statusCode()).as(body + " → " + response.body()).isEqualTo(400);
            refusals.add(code(response));
        }
        assertThat(refusals).containsExactly("InvalidCommand", "InvalidJobCores", "InvalidInstanceCount",
                "InstanceTypeUnsupported", "UnsupportedJobType", "InvalidCodeId", "CodeNotFound", "InvalidJobPriority", "ComputeNotFound",
                "InvalidEnvironmentVariable");
        assertThat(code(submit("bad!name", job("echo", "")))).isEqualTo("InvalidJobName");
        assertThat(https.send("GET", WS + "/jobs/refused", admin, null).statusCode()).isEqualTo(404);
    }

    static HangarClient client() {
        return HangarClient.builder().server(server.url()).token(admin).caCertificate(server.certificate()).build();
    }

    @Test
    void aJobRunsInItsCodeUploadedOnceAndItsOutputsAreKeptAndDownloaded(@TempDir Path work) throws Exception {
        var src = Files.createDirectories(work.resolve("src"));
        Files.writeString(src.resolve("train.sh"), "#!/bin/sh\necho \"training on $(cat data/input.txt)\"\n"
                + "mkdir -p outputs/model && echo weights > outputs/model/weights.txt && echo 0.93 > outputs/score\n");
        Files.setPosixFilePermissions(src.resolve("train.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(src.resolve("data"));
        Files.writeString(src.resolve("data/input.txt"), "rows");
        Files.createDirectories(src.resolve("venv"));
        Files.writeString(src.resolve("venv/huge.bin"), "left out");
        Files.writeString(src.resolve(".amlignore"), "venv/\n");

        try (var client = client()) {
            var codes = client.codes(ArmIds.parseWorkspace(WS));
            var upload = codes.upload(src);
            assertThat(upload.sent()).isTrue();
            assertThat(upload.listing().entries()).extracting(Tarballs.Entry::path)
                    .containsExactly(".amlignore", "data/input.txt", "train.sh");
            assertThat(upload.code().id()).endsWith("/codes/" + upload.listing().digest() + "/versions/1");
            assertThat(upload.code().properties().files()).isEqualTo(3);
            assertThat(codes.upload(src).sent()).as("an unchanged folder is not sent again").isFalse();

            var made = submit("with-code", job("./train.sh", "\"codeId\":\"" + upload.code().id() + "\","));
            assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
            var done = awaitStatus("with-code", "Completed", "Failed");
            assertThat(done.at("/properties/status").asText()).as(log("with-code")).isEqualTo("Completed");
            assertThat(done.at("/properties/codeId").asText()).isEqualTo(upload.code().id());
            assertThat(log("with-code")).contains("training on rows");
            var path = new ArrayList<String>();
            Https.json(https.send("GET", WS + "/jobs/with-code/history", admin, null)).get("value")
                    .forEach(line -> path.add(line.get("to").asText()));
            assertThat(path).containsExactly("Queued", "Preparing", "Starting", "Running", "Finalizing", "Completed");

            var into = work.resolve("download");
            var outputs = client.jobs(ArmIds.parseWorkspace(WS)).downloadOutputs("with-code", into);
            assertThat(outputs.entries()).extracting(Tarballs.Entry::path)
                    .containsExactly("outputs/model/weights.txt", "outputs/score");
            assertThat(Files.readString(into.resolve("outputs/score"))).isEqualTo("0.93\n");

            // A job that wrote no outputs has none to download, and says why.
            submit("no-outputs", job("true", ""));
            awaitStatus("no-outputs", "Completed", "Failed");
            var none = https.send("GET", WS + "/jobs/no-outputs/outputs", admin, null);
            assertThat(none.statusCode()).isEqualTo(404);
            assertThat(code(none)).isEqualTo("OutputsNotFound");
        }
    }

    @Test
    void anUploadIsTakenOnlyAsTheFilesItsNameSays(@TempDir Path work) throws Exception {
        var archive = work.resolve("code.tar.gz");
        var folder = Files.createDirectories(work.resolve("code"));
        Files.writeString(folder.resolve("a.txt"), "a");
        var tar = new ProcessBuilder("tar", "-czf", archive.toString(), "-C", folder.toString(), ".").start();
        assertThat(tar.waitFor()).isZero();
        var digest = Tarballs.scan(folder, path -> false, new Tarballs.Limits(1000, 10)).digest();
        var wrong = "f".repeat(64);

        var mismatch = upload(wrong, Files.readAllBytes(archive));
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(code(mismatch)).isEqualTo("CodeDigestMismatch");
        assertThat(https.send("GET", WS + "/codes/" + wrong + "/versions/1", admin, null).statusCode())
                .as("nothing recorded").isEqualTo(404);

        var escaping = work.resolve("escaping.tar");
        var evil = new ProcessBuilder("tar", "-cf", escaping.toString(), "-C", folder.toString(), "--transform",
                "s,^,../,", "a.txt").start();
        assertThat(evil.waitFor()).isZero();
        var refused = upload(digest, Files.readAllBytes(escaping));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(code(refused)).isEqualTo("InvalidCode");
        assertThat(upload(digest, "not an archive".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
        assertThat(code(upload("nothex", Files.readAllBytes(archive)))).isEqualTo("InvalidCodeName");

        var taken = upload(digest, Files.readAllBytes(archive));
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(201);
        assertThat(upload(digest, Files.readAllBytes(archive)).statusCode()).isEqualTo(200);
        var snapshot = https.send("GET", WS + "/codes/" + digest + "/versions/1", admin, null);
        assertThat(Https.json(snapshot).at("/properties/codeUri").asText()).endsWith("/snapshot");
    }

    static HttpResponse<String> upload(String digest, byte[] archive) {
        return https.sendBytes("PUT", WS + "/codes/" + digest + "/versions/1/snapshot", admin, archive,
                "application/gzip");
    }

    @Test
    void theInstanceShowsJobRunningWhileJobsRunAndHigherPrioritiesGoFirst() {
        assertThat(submit("fill", job("sleep 2", "\"resources\":{\"cores\":2},")).statusCode()).isEqualTo(201);
        awaitStatus("fill", "Running");
        assertThat(Https.json(https.send("GET", CI, admin, null)).at("/properties/properties/state").asText())
                .isEqualTo("JobRunning");
        // Each fills the instance, so they run one after the other.
        assertThat(submit("low", job("true", "\"resources\":{\"cores\":2},\"queueSettings\":{\"priority\":1},"))
                .statusCode()).isEqualTo(201);
        assertThat(submit("high", job("true", "\"resources\":{\"cores\":2},"
                + "\"queueSettings\":{\"jobTier\":\"Standard\",\"priority\":3},")).statusCode()).isEqualTo(201);
        awaitStatus("low", "Completed");
        awaitStatus("high", "Completed");
        assertThat(get("high").at("/properties/endTime").asText()).as("submitted later, run first")
                .isLessThanOrEqualTo(get("low").at("/properties/startTime").asText());
        assertThat(get("low").at("/properties/queueSettings/priority").asInt()).isEqualTo(1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Https.json(https.send("GET", CI, admin, null))
                .at("/properties/properties/state").asText().equals("Running"));
    }
}
