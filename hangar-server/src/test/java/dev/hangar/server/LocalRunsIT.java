package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.testkit.server.ServerProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local runs ({@code computeId: local}) against a real server and store: the job is recorded and waits for its
 * submitter's reports (start, log pieces by offset, outputs, end), which only the submitter or an administrator may
 * make; bad reports change nothing; a cancel is answered on the next report; a run whose CLI stops reporting ends
 * Failed. No compute is made: nothing runs on the server's side.
 */
class LocalRunsIT {
    static final String WS = WireFormatIT.WS;

    @TempDir
    static Path data;
    @TempDir
    static Path work;
    static ServerProcess server;
    static Https https;
    static String admin;
    static String bob;
    static String reader;

    @BeforeAll
    static void start() {
        server = new ServerProcess(data, Map.of("HANGAR_BACKEND_LOCAL_JUPYTER", "/nonexistent/jupyter",
                "HANGAR_JOBS_LOCAL_REPORT_TIMEOUT", "PT4S", "HANGAR_JOBS_LOCAL_CHECK_INTERVAL", "PT1S")).start();
        https = new Https(server.url(), server.certificate());
        admin = server.adminToken();
        bob = https.createUser(admin, "bob");
        reader = https.createUser(admin, "rita", "Reader");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static HttpResponse<String> submit(String name, String token) {
        return https.send("PUT", WS + "/jobs/" + name + "?api-version=2024-04-01", token,
                "{\"properties\":{\"jobType\":\"Command\",\"command\":\"make test\",\"computeId\":\"azureml:local\"}}");
    }

    static HttpResponse<String> report(String token, String name, String what, String body) {
        return https.send("POST", WS + "/jobs/" + name + "/local/" + what, token, body);
    }

    static HttpResponse<String> log(String token, String name, long offset, String text) {
        return https.sendBytes("POST", WS + "/jobs/" + name + "/local/log?offset=" + offset, token,
                text.getBytes(StandardCharsets.UTF_8), "application/octet-stream");
    }

    static HttpResponse<String> outputs(String token, String name, byte[] archive) {
        return https.sendBytes("PUT", WS + "/jobs/" + name + "/local/outputs", token, archive, "application/gzip");
    }

    static HttpResponse<String> end(String token, String name, int exitCode) {
        return report(token, name, "end", "{\"exitCode\":" + exitCode + "}");
    }

    static JsonNode job(String name) {
        return Https.json(https.send("GET", WS + "/jobs/" + name, admin, null));
    }

    static String logOf(String name) {
        return https.send("GET", WS + "/jobs/" + name + "/logs", admin, null).body();
    }

    static String code(HttpResponse<String> response) {
        return Https.json(response).at("/error/code").asText();
    }

    /** A tar.gz of {@code outputs/<name>} holding {@code text}, made by tar as the CLI's would be. */
    static byte[] tarball(String name, String text, String... tarOptions) throws IOException, InterruptedException {
        var folder = Files.createTempDirectory(work, "out");
        Files.createDirectories(folder.resolve("outputs"));
        Files.writeString(folder.resolve("outputs").resolve(name), text);
        var archive = folder.resolve("outputs.tar.gz");
        var command = new java.util.ArrayList<>(List.of("tar", "-czf", archive.toString(), "-C", folder.toString()));
        command.addAll(List.of(tarOptions));
        command.add("outputs/" + name);
        assertThat(new ProcessBuilder(command).start().waitFor()).isZero();
        return Files.readAllBytes(archive);
    }

    @Test
    void aLocalRunIsRecordedFromItsSubmittersReports() throws Exception {
        var submitted = submit("here-1", admin);
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
        assertThat(Https.json(submitted).at("/properties/status").asText()).isEqualTo("Queued");
        assertThat(Https.json(submitted).at("/properties/computeId").asText()).endsWith("/computes/local");

        var started = report(admin, "here-1", "start", null);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
        var answer = Https.json(started);
        assertThat(answer.get("status").asText()).isEqualTo("Running");
        assertThat(answer.get("logLength").asLong()).isZero();
        assertThat(answer.get("cancelRequested").asBoolean()).isFalse();
        assertThat(answer.at("/environment/AZUREML_RUN_ID").asText()).as("the variables every job gets")
                .isEqualTo("here-1");
        assertThat(answer.at("/environment/HANGAR_JOB_ID").asText()).matches("[0-9a-f-]{36}");
        assertThat(report(admin, "here-1", "start", null).statusCode()).as("a retried start").isEqualTo(200);

        assertThat(Https.json(log(admin, "here-1", 0, "hello\n")).get("logLength").asLong()).isEqualTo(6);
        assertThat(Https.json(log(admin, "here-1", 0, "hello\n")).get("logLength").asLong()).as("a retry")
                .isEqualTo(6);
        assertThat(Https.json(log(admin, "here-1", 3, "lo\nworld\n")).get("logLength").asLong())
                .as("a piece partly sent before").isEqualTo(12);
        var gap = log(admin, "here-1", 20, "lost?");
        assertThat(gap.statusCode()).isEqualTo(409);
        assertThat(code(gap)).isEqualTo("LogOffsetMismatch");
        assertThat(logOf("here-1")).isEqualTo("hello\nworld\n");
        assertThat(job("here-1").at("/properties/status").asText()).isEqualTo("Running");

        var kept = outputs(admin, "here-1", tarball("score.txt", "0.93"));
        assertThat(kept.statusCode()).as(kept.body()).isEqualTo(200);
        var ended = end(admin, "here-1", 0);
        assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);
        assertThat(Https.json(ended).get("status").asText()).isEqualTo("Completed");

        var job = job("here-1").get("properties");
        assertThat(job.get("status").asText()).isEqualTo("Completed");
        assertThat(job.get("exitCode").asInt()).isZero();
        assertThat(job.get("startTime").isNull()).isFalse();
        assertThat(job.get("endTime").isNull()).isFalse();
        var history = Https.json(https.send("GET", WS + "/jobs/here-1/history", admin, null)).get("value");
        assertThat(history.findValuesAsText("to")).containsExactly("Queued", "Starting", "Running", "Completed");
        var download = https.download(WS + "/jobs/here-1/outputs", admin, work.resolve("here-1.tar.gz"));
        assertThat(download.statusCode()).isEqualTo(200);
        var unpacked = Files.createDirectories(work.resolve("here-1"));
        assertThat(new ProcessBuilder("tar", "-xzf", download.body().toString(), "-C", unpacked.toString()).start()
                .waitFor()).isZero();
        assertThat(unpacked.resolve("outputs/score.txt")).hasContent("0.93");

        // After the end: a retried end is answered; any other report is refused and changes nothing.
        assertThat(end(admin, "here-1", 0).statusCode()).isEqualTo(200);
        for (var late : List.of(log(admin, "here-1", 12, "late\n"), end(admin, "here-1", 1),
                outputs(admin, "here-1", tarball("late.txt", "late")), report(admin, "here-1", "start", null))) {
            assertThat(late.statusCode()).as(late.body()).isEqualTo(409);
            assertThat(code(late)).isEqualTo("LocalRunEnded");
        }
        assertThat(logOf("here-1")).isEqualTo("hello\nworld\n");
        assertThat(job("here-1").at("/properties/exitCode").asInt()).isZero();
    }

    @Test
    void aFailingCommandFailsTheJobWithItsExitCode() {
        assertThat(submit("here-3", admin).statusCode()).isEqualTo(201);
        report(admin, "here-3", "start", null);
        var ended = end(admin, "here-3", 3);
        assertThat(Https.json(ended).get("status").asText()).isEqualTo("Failed");
        var job = job("here-3").get("properties");
        assertThat(job.get("exitCode").asInt()).isEqualTo(3);
        assertThat(job.at("/error/code").asText()).isEqualTo("JobFailed");
    }

    @Test
    void onlyTheSubmitterOrAnAdministratorReports() throws Exception {
        assertThat(submit("admins-run", admin).statusCode()).isEqualTo(201);
        for (var refused : List.of(report(bob, "admins-run", "start", null), log(bob, "admins-run", 0, "x"),
                end(bob, "admins-run", 0), outputs(bob, "admins-run", tarball("x.txt", "x")))) {
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(code(refused)).isEqualTo("NotJobSubmitter");
            assertThat(Https.json(refused).at("/error/message").asText()).contains("admin");
        }
        var read = report(reader, "admins-run", "start", null);
        assertThat(read.statusCode()).as("a Reader may not write jobs at all").isEqualTo(403);
        assertThat(job("admins-run").at("/properties/status").asText()).as("nothing changed").isEqualTo("Queued");
        assertThat(logOf("admins-run")).isEmpty();
        assertThat(https.send("GET", WS + "/jobs/admins-run/outputs", admin, null).statusCode()).isEqualTo(404);

        // A Contributor runs their own local jobs; an administrator may report on them too.
        assertThat(submit("bobs-run", bob).statusCode()).isEqualTo(201);
        assertThat(report(bob, "bobs-run", "start", null).statusCode()).isEqualTo(200);
        assertThat(log(admin, "bobs-run", 0, "by the admin\n").statusCode()).isEqualTo(200);
        assertThat(report(bob, "no-such-run", "start", null).statusCode()).isEqualTo(404);
    }

    @Test
    void badReportsAreRefusedWithNothingHalfWritten() throws Exception {
        assertThat(submit("here-bad", admin).statusCode()).isEqualTo(201);
        var early = log(admin, "here-bad", 0, "too soon");
        assertThat(early.statusCode()).isEqualTo(409);
        assertThat(code(early)).isEqualTo("LocalRunNotStarted");
        report(admin, "here-bad", "start", null);

        var big = https.sendBytes("POST", WS + "/jobs/here-bad/local/log?offset=0", admin,
                new byte[1024 * 1024 + 1], "application/octet-stream");
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(code(big)).isEqualTo("LogPieceTooLarge");
        for (var offset : List.of("-1", "x", "")) {
            var odd = https.sendBytes("POST", WS + "/jobs/here-bad/local/log?offset=" + offset, admin,
                    "a".getBytes(StandardCharsets.UTF_8), "application/octet-stream");
            assertThat(odd.statusCode()).as("offset '" + offset + "'").isEqualTo(400);
        }
        assertThat(logOf("here-bad")).isEmpty();

        var escaping = outputs(admin, "here-bad", tarball("x.txt", "x", "--transform", "s,^,../,"));
        assertThat(escaping.statusCode()).as(escaping.body()).isEqualTo(400);
        assertThat(code(escaping)).isEqualTo("InvalidOutputs");
        var garbage = outputs(admin, "here-bad", "not a tarball".getBytes(StandardCharsets.UTF_8));
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(https.send("GET", WS + "/jobs/here-bad/outputs", admin, null).statusCode()).as("nothing kept")
                .isEqualTo(404);

        for (var body : List.of("{\"exitCode\":\"zero\"}", "{}", "{\"exitCode\":null}", "{\"exitCode\":[0]}",
                "not json")) {
            var odd = report(admin, "here-bad", "end", body);
            assertThat(odd.statusCode()).as(body + ": " + odd.body()).isEqualTo(400);
        }
        assertThat(job("here-bad").at("/properties/status").asText()).isEqualTo("Running");
        end(admin, "here-bad", 0);
    }

    @Test
    void aCancelIsAnsweredOnTheNextReport() {
        assertThat(submit("here-cancel", admin).statusCode()).isEqualTo(201);
        report(admin, "here-cancel", "start", null);
        var canceled = https.send("POST", WS + "/jobs/here-cancel/cancel", admin, null);
        assertThat(canceled.statusCode()).isEqualTo(202);
        assertThat(job("here-cancel").at("/properties/status").asText()).isEqualTo("CancelRequested");

        var next = log(admin, "here-cancel", 0, "still here\n");
        assertThat(Https.json(next).get("cancelRequested").asBoolean()).isTrue();
        var ended = end(admin, "here-cancel", 143);
        assertThat(Https.json(ended).get("status").asText()).isEqualTo("Canceled");
        assertThat(job("here-cancel").at("/properties/error/code").asText()).isEqualTo("JobCanceled");

        // Canceled before its CLI started it: the start is refused, so the command never runs.
        assertThat(submit("here-never", admin).statusCode()).isEqualTo(201);
        https.send("POST", WS + "/jobs/here-never/cancel", admin, null);
        var start = report(admin, "here-never", "start", null);
        assertThat(start.statusCode()).isEqualTo(409);
        assertThat(code(start)).isEqualTo("LocalRunEnded");
    }

    @Test
    void aRunWhoseCliStopsReportingEndsFailed() {
        assertThat(submit("here-lost", admin).statusCode()).isEqualTo(201);
        report(admin, "here-lost", "start", null);
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> job("here-lost").at("/properties/status").asText().equals("Failed"));
        assertThat(job("here-lost").at("/properties/error/code").asText()).isEqualTo("LocalRunLost");
    }

    @Test
    void localIsNoComputeNameAndALocalRunTakesNoImage() {
        var named = https.send("PUT", WS + "/computes/local", admin, """
                {"location":"local","properties":{"computeType":"ComputeInstance","properties":{
                 "vmSize":"STANDARD_DS1_V2"}}}""");
        assertThat(named.statusCode()).isEqualTo(400);
        assertThat(Https.json(named).at("/error/message").asText()).contains("reserved");

        var imaged = https.send("PUT", WS + "/jobs/here-image", admin, "{\"properties\":{\"jobType\":\"Command\","
                + "\"command\":\"true\",\"computeId\":\"local\",\"environmentId\":\"azureml:py:1\"}}");
        assertThat(imaged.statusCode()).isEqualTo(400);
        assertThat(code(imaged)).isEqualTo("ImagesUnsupported");
        assertThat(https.send("GET", WS + "/jobs/here-image", admin, null).statusCode()).isEqualTo(404);

        var nodes = https.send("PUT", WS + "/jobs/here-nodes", admin, "{\"properties\":{\"jobType\":\"Command\","
                + "\"command\":\"true\",\"computeId\":\"local\",\"resources\":{\"instanceCount\":2}}}");
        assertThat(nodes.statusCode()).isEqualTo(400);
        assertThat(Https.json(nodes).at("/error/message").asText()).contains("local run");
    }
}
