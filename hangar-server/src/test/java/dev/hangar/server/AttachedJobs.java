package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.testkit.server.ServerProcess;
import dev.hangar.testkit.time.Waits;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The calls the attached-compute ITs make over the ARM API as one user in one workspace: attach and detach computes,
 * submit jobs and follow them.
 */
record AttachedJobs(Https https, String token, String workspace) {

    /** A server for the attached-compute ITs, in {@code data}: no Jupyter, its engines looked at every 0.2 s. */
    static ServerProcess startServer(Path data) {
        return new ServerProcess(data, Map.of("HANGAR_BACKEND_LOCAL_JUPYTER", "/nonexistent/jupyter",
                "HANGAR_RECONCILE_ENGINE_POLL_INTERVAL", "PT0.2S")).start();
    }

    /** Makes the workspace {@code path} (an ARM workspace path) in location {@code local}. */
    void createWorkspace(String path) {
        var made = https.send("PUT", path, token, "{\"location\":\"local\"}");
        assertThat(made.statusCode()).as(made.body()).isIn(200, 201);
    }

    /** Attaches {@code name} with {@code body}; the operation has succeeded once the PUT answered 201. */
    void attach(String name, String body) {
        var made = https.send("PUT", workspace + "/computes/" + name + "?api-version=2024-04-01", token, body);
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        var status = https.waitForOperation(made.headers().firstValue("Azure-AsyncOperation").orElseThrow(), token);
        assertThat(status.get("status").asText()).isEqualTo("Succeeded");
    }

    /** Detaches every compute of each of {@code workspaces}. */
    void detachAll(List<String> workspaces) {
        https.detachAll(token, workspaces.toArray(String[]::new));
    }

    /** A command job's PUT; {@code extra} is more of its properties, each with a leading comma. */
    HttpResponse<String> submit(String job, String compute, String command, String extra) {
        return https.send("PUT", workspace + "/jobs/" + job + "?api-version=2024-04-01", token, """
                {"properties":{"jobType":"Command","command":%s,"computeId":"%s"%s}}""".formatted(
                Https.JSON.valueToTree(command).toString(), compute, extra));
    }

    JsonNode job(String job) {
        return Https.json(https.send("GET", workspace + "/jobs/" + job, token, null));
    }

    /** Waits until the job's status is one of {@code statuses}, and returns it. */
    JsonNode awaitStatus(String job, String... statuses) {
        await().atMost(Waits.SCHEDULER_STEP).pollInterval(Duration.ofMillis(200)).until(() ->
                List.of(statuses).contains(job(job).at("/properties/status").asText()));
        return job(job);
    }

    String log(String job) {
        return https.send("GET", workspace + "/jobs/" + job + "/logs", token, null).body();
    }

    static String code(HttpResponse<String> response) {
        return Https.json(response).at("/error/code").asText();
    }
}
