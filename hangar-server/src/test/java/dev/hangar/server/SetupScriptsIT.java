package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.testkit.server.LocalInstances;
import dev.hangar.testkit.server.ServerProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Setup scripts on a real server, its host-process backend and a real Jupyter: a creation script from the file share
 * and an inline startup script see their arguments (quotes and all, never run by a shell of Hangar's), the four
 * {@code CI_*} variables and their working folders, and log to {@code Logs/<instance>/}; what the creation script
 * made is there after stop and start, and only the startup script runs again. A script that fails or runs past its
 * timeout leaves the instance SetupFailed and reachable; a delete while a script runs ends it; bad scripts are refused
 * with nothing recorded.
 */
class SetupScriptsIT {
    static final String WS = WireFormatIT.WS;

    @TempDir
    static Path data;
    static ServerProcess server;
    static Https https;
    static String token;

    @BeforeAll
    static void start() {
        server = new ServerProcess(data, Map.of()).start();
        https = new Https(server.url(), server.certificate());
        token = server.adminToken();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        new LocalInstances(data).processes().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void scriptsSeeTheirArgumentsVariablesAndFoldersAndOnlyTheStartupScriptRunsAgain() {
        upload("Users/admin/tools/setup.sh", """
                #!/bin/bash
                set -e
                printf 'arg[%s]\\n' "$@"
                echo "rg=$CI_RESOURCE_GROUP ws=$CI_WORKSPACE name=$CI_NAME user=$CI_LOCAL_UBUNTU_USER"
                echo "pwd=$PWD"
                echo "made by the creation script" > "$HOME/installed.txt"
                """);
        var startup = """
                echo "startup in $PWD with $# arguments: $*"
                cat "$HOME/installed.txt"
                date +%s%N >> "$HOME/starts"
                echo "starts=$(wc -l < "$HOME/starts")"
                """;
        var arguments = "\"one two\" 'it'\\''s' '$(touch /tmp/hangar-setup-injected)' plain";
        var created = https.send("PUT", WS + "/computes/setup1", token, body(
                script("creationScript", "workspaceStorage", "Users/admin/tools/setup.sh", arguments, "10m"),
                script("startupScript", "inline", base64(startup), "a \"b c\"", null)));
        assertOperation(created, 201, "Succeeded");

        var compute = get("setup1");
        assertThat(compute.at("/properties/properties/state").asText()).isEqualTo("Running");
        var scripts = compute.at("/properties/properties/setupScripts/scripts");
        assertThat(scripts.at("/creationScript/scriptSource").asText()).isEqualTo("workspaceStorage");
        assertThat(scripts.at("/creationScript/scriptData").asText()).isEqualTo("Users/admin/tools/setup.sh");
        assertThat(scripts.at("/creationScript/scriptArguments").asText()).isEqualTo(arguments);
        assertThat(scripts.at("/creationScript/timeout").asText()).isEqualTo("10m");
        assertThat(scripts.at("/startupScript/scriptSource").asText()).isEqualTo("inline");
        assertThat(scripts.at("/startupScript/timeout").asText()).isEqualTo("30m");

        var creation = file("Logs/setup1/creation.log");
        assertThat(creation).contains("arg[one two]\narg[it's]\narg[$(touch /tmp/hangar-setup-injected)]\narg[plain]\n",
                "rg=hangar ws=default name=setup1 user="
                        + compute.at("/properties/properties/sshSettings/adminUserName").asText(),
                "/cloudfiles/code/Users/admin/tools\n", "exited with 0");
        assertThat(Path.of("/tmp/hangar-setup-injected")).as("an argument is never run").doesNotExist();
        var first = file("Logs/setup1/startup.log");
        assertThat(first).contains("with 2 arguments: a b c", "made by the creation script", "starts=1");
        var home = new LocalInstances(data).home(id("setup1")).toString();
        assertThat(first).contains("startup in " + home + " ");

        operation("POST", "setup1/stop");
        operation("POST", "setup1/start");
        assertThat(file("Logs/setup1/startup.log")).contains("made by the creation script", "starts=2");
        assertThat(file("Logs/setup1/creation.log")).as("the creation script runs once").isEqualTo(creation);
        assertThat(get("setup1").at("/properties/properties/state").asText()).isEqualTo("Running");
        operation("DELETE", "setup1?underlyingResourceAction=Delete");
    }

    /** A service the script starts keeps running, and keeps the script's output open: the script is done at its exit. */
    @Test
    void aScriptThatLeavesAServiceRunningIsDoneWhenItExits() {
        var created = https.send("PUT", WS + "/computes/service", token, body(script("startupScript", "inline",
                base64("sleep 300 &\necho service started\n"), null, "PT2M")));
        assertOperation(created, 201, "Succeeded");
        assertThat(file("Logs/service/startup.log")).contains("service started", "exited with 0");
        assertThat(new LocalInstances(data).processes(id("service"))).as("the service still runs")
                .anySatisfy(process -> assertThat(process.info().commandLine().orElse("")).contains("sleep 300"));
        operation("DELETE", "service?underlyingResourceAction=Delete");
    }

    @Test
    void aFailingCreationScriptLeavesTheInstanceSetupFailedReachableAndStoppable() {
        var created = https.send("PUT", WS + "/computes/broken", token, body(script("creationScript", "inline",
                base64("echo preparing\necho 'the mirror is down' >&2\nexit 3\n"), null, null)));
        var status = assertOperation(created, 201, "Failed");
        assertThat(status.at("/error/code").asText()).isEqualTo("SetupScriptFailed");
        assertThat(status.at("/error/message").asText()).contains("exited with 3", "preparing",
                "the mirror is down", "Logs/broken/creation.log");

        var compute = get("broken");
        assertThat(compute.at("/properties/properties/state").asText()).isEqualTo("SetupFailed");
        assertThat(compute.at("/properties/provisioningState").asText()).isEqualTo("Succeeded");
        assertThat(compute.at("/properties/properties/errors/0/error/code").asText()).isEqualTo("SetupScriptFailed");
        assertThat(compute.at("/properties/properties/lastOperation/operationStatus").asText())
                .isEqualTo("CreateFailed");
        // Reachable, for its owner to see why: its apps are listed and answer.
        var jupyter = compute.at("/properties/properties/applications/0/endpointUri").asText();
        assertThat(https.send("GET", jupyter + "api", token, null).statusCode()).isEqualTo(200);
        assertThat(file("Logs/broken/creation.log")).contains("preparing", "the mirror is down", "exited with 3");

        operation("POST", "broken/stop");
        assertThat(get("broken").at("/properties/properties/state").asText()).isEqualTo("Stopped");
        operation("DELETE", "broken?underlyingResourceAction=Delete");
    }

    @Test
    void aScriptPastItsTimeoutIsEndedAndTheSetupFails() {
        var created = https.send("PUT", WS + "/computes/slow", token, body(script("creationScript", "inline",
                base64("echo waiting\nsleep 300\n"), null, "PT3S")));
        var status = assertOperation(created, 201, "Failed");
        assertThat(status.at("/error/code").asText()).isEqualTo("SetupScriptTimedOut");
        assertThat(status.at("/error/message").asText()).contains("PT3S", "waiting", "Logs/slow/creation.log");
        assertThat(get("slow").at("/properties/properties/state").asText()).isEqualTo("SetupFailed");
        await("the script's processes end").atMost(Duration.ofSeconds(20))
                .until(() -> setupProcesses(id("slow")).isEmpty());
        assertThat(file("Logs/slow/creation.log")).contains("waiting", "past its timeout");
        operation("DELETE", "slow?underlyingResourceAction=Delete");
    }

    @Test
    void deletingAnInstanceWhileItsScriptRunsEndsTheScript() {
        var created = https.send("PUT", WS + "/computes/doomed", token, body(script("creationScript", "inline",
                base64("echo long job\nsleep 600\n"), null, null)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        await("the script runs").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> get("doomed").at("/properties/properties/state").asText().equals("SettingUp"));
        var id = id("doomed");
        await().atMost(Duration.ofSeconds(10)).until(() -> !setupProcesses(id).isEmpty());

        operation("DELETE", "doomed?underlyingResourceAction=Delete");
        assertThat(https.send("GET", WS + "/computes/doomed", token, null).statusCode()).isEqualTo(404);
        assertThat(new LocalInstances(data).processes(id)).isEmpty();
    }

    @Test
    void badScriptsAreRefusedWithStableCodesAndNothingIsRecorded() {
        upload("Users/admin/notes.txt", "not a script");
        assertRefused(script("creationScript", "workspaceStorage", "Users/admin/missing.sh", null, null),
                "SetupScriptNotFound", "Users/admin/missing.sh");
        assertRefused(script("creationScript", "workspaceStorage", "Users/admin/notes.txt", null, null),
                "InvalidSetupScript", ".sh");
        assertRefused(script("startupScript", "workspaceStorage", "Users/../../etc/passwd.sh", null, null),
                "InvalidSetupScript", "not a path in the file share");
        assertRefused(script("startupScript", "workspaceStorage", "/etc/profile.sh", null, null),
                "InvalidSetupScript", "not a path in the file share");
        assertRefused(script("creationScript", "inline", "this is not base64!", null, null),
                "InvalidSetupScript", "base64");
        assertRefused(script("creationScript", "blobStorage", "eA==", null, null), "InvalidSetupScript",
                "workspaceStorage");
        assertRefused(script("creationScript", "inline", base64("true"), "'unclosed", null),
                "InvalidScriptArguments", "never closed");
        assertRefused(script("creationScript", "inline", base64("true"), null, "forever"), "InvalidScriptTimeout",
                "forever");
        assertRefused(script("creationScript", "inline", base64("true"), null, "PT25H"), "InvalidScriptTimeout",
                "24 hours");
    }

    private void assertRefused(String script, String code, String says) {
        var name = "bad" + UUID.randomUUID().toString().substring(0, 6);
        var refused = https.send("PUT", WS + "/computes/" + name, token, body(script));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        var error = Https.json(refused).get("error");
        assertThat(error.get("code").asText()).as(refused.body()).isEqualTo(code);
        assertThat(error.get("message").asText()).contains(says);
        assertThat(error.get("target").asText()).startsWith("properties.properties.setupScripts.scripts.");
        assertThat(https.send("GET", WS + "/computes/" + name, token, null).statusCode()).isEqualTo(404);
    }

    private static String body(String... scripts) {
        return """
                {"location":"local","properties":{"computeType":"ComputeInstance","properties":{
                "vmSize":"STANDARD_DS1_V2","setupScripts":{"scripts":{%s}}}}}""".formatted(String.join(",", scripts));
    }

    private static String script(String kind, String source, String data, String arguments, String timeout) {
        return "\"" + kind + "\":{\"scriptSource\":\"" + source + "\",\"scriptData\":\"" + data + "\""
                + (arguments == null ? "" : ",\"scriptArguments\":\"" + arguments.replace("\\", "\\\\")
                        .replace("\"", "\\\"") + "\"")
                + (timeout == null ? "" : ",\"timeout\":\"" + timeout + "\"") + "}";
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void upload(String path, String content) {
        var put = https.sendBytes("PUT", WS + "/files/" + path, token, content.getBytes(StandardCharsets.UTF_8),
                "application/octet-stream");
        assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
    }

    private static String file(String path) {
        var got = https.send("GET", WS + "/files/" + path, token, null);
        assertThat(got.statusCode()).as(path + ": " + got.body()).isEqualTo(200);
        return got.body();
    }

    private static JsonNode get(String name) {
        return Https.json(https.send("GET", WS + "/computes/" + name, token, null));
    }

    /** The compute id of the running instance {@code name}: its run record names its apps' paths. */
    private static UUID id(String name) {
        var ids = new HashSet<UUID>();
        var instances = new LocalInstances(data);
        for (var id : instances.computeIds()) {
            var record = instances.home(id).resolveSibling("run").resolve("apps.json");
            try {
                if (Files.exists(record) && Files.readString(record).contains("/computes/" + name + "/")) {
                    ids.add(id);
                }
            } catch (IOException e) {
                // Being rewritten: not this one.
            }
        }
        assertThat(ids).as("the instance directory of " + name).hasSize(1);
        return ids.iterator().next();
    }

    /** The instance's processes whose environment marks them as a setup script's. */
    private static List<ProcessHandle> setupProcesses(UUID computeId) {
        return new LocalInstances(data).processes(computeId).stream().filter(process -> {
            try {
                var environment = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "environ"));
                return new String(environment, StandardCharsets.UTF_8).contains("HANGAR_SETUP=" + computeId);
            } catch (IOException gone) {
                return false;
            }
        }).toList();
    }

    private static JsonNode assertOperation(HttpResponse<String> response, int status, String outcome) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        var ended = https.waitForOperation(response.headers().firstValue("Azure-AsyncOperation").orElseThrow(), token);
        assertThat(ended.get("status").asText()).as(ended.toString()).isEqualTo(outcome);
        return ended;
    }

    private static void operation(String method, String path) {
        var accepted = https.send(method, WS + "/computes/" + path, token, null);
        assertThat(accepted.statusCode()).as(accepted.body()).isIn(200, 202);
        if (accepted.statusCode() == 202) {
            var ended = https.waitForOperation(accepted.headers().firstValue("Azure-AsyncOperation").orElseThrow(),
                    token);
            assertThat(ended.get("status").asText()).as(ended.toString()).isEqualTo("Succeeded");
        }
    }
}
