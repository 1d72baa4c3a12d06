package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.testkit.jupyter.JupyterClient;
import dev.hangar.testkit.server.LocalInstances;
import dev.hangar.testkit.server.ServerProcess;
import dev.hangar.testkit.terminal.TerminalClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle shutdown on a real server, real Jupyters and a real terminal, with the shortest idle time lowered to seconds
 * through the configuration (as only tests do) and a look every second: an instance nobody uses is warned of, then
 * stopped by an operation whose trigger is IdleShutdown; one with a busy kernel, an open terminal, a running job or a
 * keep-alive lease stays up, and stops once that use has ended for its idle time.
 */
class IdleShutdownIT {
    static final String WS = WireFormatIT.WS;

    @TempDir
    static Path data;
    static ServerProcess server;
    static Https https;
    static String token;

    @BeforeAll
    static void start() {
        server = new ServerProcess(data, Map.of("HANGAR_IDLE_MINIMUM", "PT1S", "HANGAR_IDLE_CHECK_INTERVAL", "PT1S"))
                .start();
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
    void onlyAnInstanceNothingUsesIsStoppedAndEveryKindOfUseKeepsOneUp() throws Exception {
        // quiet has a short idle time from its creation on. The others get a longer one only once their use has
        // begun (a kernel seen busy by Jupyter itself, a terminal open, a job running, a lease taken): their idle
        // clock then starts from that moment, however long a loaded machine took to start the use.
        var creates = List.of(create("quiet", "PT4S"), create("kernel", null), create("terminal", null),
                create("job", null), create("leased", null));
        for (var created : creates) {
            var status = https.waitForOperation(created.headers().firstValue("Azure-AsyncOperation").orElseThrow(),
                    token);
            assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("Succeeded");
        }

        // Each kind of use, one at a time, each seen under way before the next begins; each lasts until the test ends
        // it (the cell and the job would run 4 minutes; the lease runs 90 s), however long a loaded machine takes to start them.
        var jupyter = JupyterClient.builder(URI.create(app("kernel", "Jupyter")))
                .header("Authorization", "Bearer " + token).sslContext(Https.trusting(server.certificate()))
                .timeout(Duration.ofMinutes(5)).build(); // the cell's answer comes when the test interrupts it
        var kernel = jupyter.startKernel();
        var session = jupyter.connect(kernel);
        // On a thread of its own: the common pool has one worker on 2 cores, and a cell that blocks it for minutes
        // stalls every other asynchronous step of this test (an HTTP call then seemed to hang).
        var busy = CompletableFuture.supplyAsync(() -> session.execute(
                        "import time; open('cell-started', 'w').close(); time.sleep(240); 'slept'"),
                runnable -> Thread.ofVirtual().start(runnable));
        try {
            await("the kernel busy").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (busy.isDone()) {
                    busy.join(); // the cell failed: say why
                }
                // Busy, as Jupyter says; or, when Jupyter missed the kernel's first messages (its subscription came
                // after them), still "starting" with this client connected, which Hangar counts as "cannot tell".
                var kernels = new ObjectMapper().readTree(jupyter.get("api/kernels").body());
                for (var seen : kernels) {
                    var state = seen.path("execution_state").asText();
                    if (state.equals("busy") || state.equals("starting") && seen.path("connections").asInt() > 0
                            && cellStarted()) {
                        return true;
                    }
                }
                return false;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("The kernel was not seen busy. api/kernels: " + jupyter.get("api/kernels").body()
                    + "\nJupyter's log:\n" + jupyterLog() + "\nThe instances' processes:\n" + processes(), e);
        }
        var job = https.send("PUT", WS + "/jobs/keeps-busy", token, """
                {"properties":{"jobType":"Command","command":"sleep 240","computeId":"job"}}""");
        assertThat(job.statusCode()).as(job.body()).isEqualTo(201);
        await("the job running").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() ->
                Https.json(https.send("GET", WS + "/jobs/keeps-busy", token, null))
                        .at("/properties/status").asText().equals("Running"));
        var terminal = TerminalClient.open(URI.create(app("terminal", "Terminal")),
                Https.trusting(server.certificate()), token, 24, 80);
        var lease = https.send("POST", WS + "/computes/leased/keepAlive", token, "{\"duration\":\"PT90S\"}");
        assertThat(lease.statusCode()).as(lease.body()).isEqualTo(200);
        var leaseEnds = Instant.parse(Https.json(lease).get("keepAliveUntil").asText());
        assertThat(leaseEnds).isAfter(Instant.now());
        for (var name : List.of("kernel", "terminal", "job", "leased")) {
            var set = https.send("POST", WS + "/computes/" + name + "/updateIdleShutdownSetting", token,
                    "{\"idleTimeBeforeShutdown\":\"PT12S\"}");
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        }
        var used = Instant.now();
        assertThat(get("kernel").at("/properties/properties/idleTimeBeforeShutdown").asText()).isEqualTo("PT12S");

        // quiet: warned, then stopped by idle shutdown.
        await("quiet stops").atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500))
                .until(() -> state("quiet").equals("Stopped"));
        var last = get("quiet").at("/properties/properties/lastOperation");
        assertThat(last.get("operationName").asText()).isEqualTo("Stop");
        assertThat(last.get("operationTrigger").asText()).isEqualTo("IdleShutdown");
        assertThat(last.get("operationStatus").asText()).isEqualTo("Succeeded");
        var events = Https.json(https.send("GET", "/hangar/v1/events?target=quiet&top=50", token, null)).get("value");
        var warning = find(events, "Hangar/computes/idleShutdownWarning");
        assertThat(warning.get("trigger").asText()).isEqualTo("IdleShutdown");
        assertThat(warning.get("detail").asText()).contains("will stop at");
        var stopEvent = find(events, "Hangar/computes/stateTransition", "Stopping -> Stopped");
        assertThat(stopEvent.get("trigger").asText()).isEqualTo("IdleShutdown");
        assertThat(Instant.parse(warning.get("time").asText())).isBefore(Instant.parse(stopEvent.get("time").asText()));

        // Past their idle time since their use began, the used ones still run.
        await().atMost(Duration.ofSeconds(30)).until(() ->
                Duration.between(used, Instant.now()).compareTo(Duration.ofSeconds(16)) >= 0);
        for (var name : List.of("kernel", "terminal", "job", "leased")) {
            assertThat(state(name)).as(() -> name + ", still in use: " + get(name).at("/properties/properties")
                    + "\nevents: " + https.send("GET", "/hangar/v1/events?target=" + name + "&top=20", token, null)
                    .body() + "\nserver log: " + tail(server.log(), 40)).isIn("Running", "JobRunning");
        }

        // Once each use ends (the cell interrupted, the terminal closed, the job cancelled, the lease run out), each
        // instance stops after its idle time, by idle shutdown.
        var interrupted = jupyter.post("api/kernels/" + kernel + "/interrupt");
        assertThat(interrupted.statusCode()).as(interrupted.body()).isEqualTo(204);
        assertThat(busy.get(1, java.util.concurrent.TimeUnit.MINUTES).error()).contains("KeyboardInterrupt");
        session.close();
        jupyter.close();
        terminal.close();
        var cancel = https.send("POST", WS + "/jobs/keeps-busy/cancel", token, null);
        assertThat(cancel.statusCode()).as(cancel.body()).isIn(200, 202);
        for (var name : List.of("kernel", "terminal", "job", "leased")) {
            await(name + " stops").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                    .until(() -> state(name).equals("Stopped"));
            assertThat(get(name).at("/properties/properties/lastOperation/operationTrigger").asText())
                    .isEqualTo("IdleShutdown");
        }
    }

    @Test
    void idleTimesOutOfRangeAreRefusedAndTheSettingIsUpdated() {
        var refused = https.send("PUT", WS + "/computes/never", token, body("P4D"));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(Https.json(refused).at("/error/code").asText()).isEqualTo("InvalidIdleTime");
        assertThat(https.send("GET", WS + "/computes/never", token, null).statusCode()).isEqualTo(404);
        var garbled = https.send("PUT", WS + "/computes/never", token, body("half an hour"));
        assertThat(Https.json(garbled).at("/error/code").asText()).isEqualTo("InvalidIdleTime");

        var created = https.send("PUT", WS + "/computes/tunable", token, WireFormatIT.CREATE);
        https.waitForOperation(created.headers().firstValue("Azure-AsyncOperation").orElseThrow(), token);
        assertThat(get("tunable").at("/properties/properties/idleTimeBeforeShutdown").isNull()).isTrue();
        var update = https.send("POST", WS + "/computes/tunable/updateIdleShutdownSetting", token,
                "{\"idleTimeBeforeShutdown\":\"PT120M\"}");
        assertThat(update.statusCode()).as(update.body()).isEqualTo(200);
        assertThat(get("tunable").at("/properties/properties/idleTimeBeforeShutdown").asText()).isEqualTo("PT2H");
        var tooLong = https.send("POST", WS + "/computes/tunable/updateIdleShutdownSetting", token,
                "{\"idleTimeBeforeShutdown\":\"PT73H\"}");
        assertThat(Https.json(tooLong).at("/error/code").asText()).isEqualTo("InvalidIdleTime");
        var off = https.send("POST", WS + "/computes/tunable/updateIdleShutdownSetting", token,
                "{\"idleTimeBeforeShutdown\":\"\"}");
        assertThat(off.statusCode()).as(off.body()).isEqualTo(200);
        assertThat(get("tunable").at("/properties/properties/idleTimeBeforeShutdown").isNull()).isTrue();
        var badLease = https.send("POST", WS + "/computes/tunable/keepAlive", token, "{\"duration\":\"forever\"}");
        assertThat(Https.json(badLease).at("/error/code").asText()).isEqualTo("InvalidKeepAlive");
        var delete = https.send("DELETE", WS + "/computes/tunable?underlyingResourceAction=Delete", token, null);
        https.waitForOperation(delete.headers().firstValue("Azure-AsyncOperation").orElseThrow(), token);
    }

    private static java.net.http.HttpResponse<String> create(String name, String idleTime) {
        var created = https.send("PUT", WS + "/computes/" + name, token, body(idleTime));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return created;
    }

    private static String body(String idleTime) {
        return """
                {"location":"local","properties":{"computeType":"ComputeInstance","properties":{
                "vmSize":"STANDARD_DS1_V2","idleTimeBeforeShutdown":%s}}}""".formatted(
                idleTime == null ? "null" : "\"" + idleTime + "\"");
    }

    private static JsonNode find(JsonNode events, String action, String... detail) {
        for (var event : events) {
            if (event.get("action").asText().equals(action) && (detail.length == 0
                    || event.get("detail").asText().startsWith(detail[0]))) {
                return event;
            }
        }
        throw new AssertionError("No event " + action + " in " + events.toPrettyString());
    }

    /** Whether the cell has begun: it leaves a file in the instance's home first. */
    private static boolean cellStarted() {
        return new LocalInstances(data).computeIds().stream().anyMatch(id -> java.nio.file.Files.exists(
                new LocalInstances(data).home(id).resolve("cell-started")));
    }

    private static String jupyterLog() throws java.io.IOException {
        var logs = new StringBuilder();
        for (var directory : new LocalInstances(data).directories()) {
            var log = directory.resolve("run").resolve("jupyter.log");
            if (java.nio.file.Files.exists(log)) {
                logs.append(directory.getFileName()).append(":\n").append(tail(java.nio.file.Files.readString(log), 30));
            }
        }
        return logs.toString();
    }

    /** Each process of the instances: its state, CPU time and what it waits in (from /proc), and its command. */
    private static String processes() {
        var lines = new StringBuilder();
        for (var process : new LocalInstances(data).processes()) {
            var pid = process.pid();
            String stat;
            String wchan;
            try {
                stat = java.nio.file.Files.readString(Path.of("/proc/" + pid + "/stat")).strip();
                wchan = java.nio.file.Files.readString(Path.of("/proc/" + pid + "/wchan")).strip();
            } catch (java.io.IOException gone) {
                stat = "gone";
                wchan = "";
            }
            var fields = stat.substring(stat.lastIndexOf(')') + 1).strip().split(" ");
            lines.append(pid).append(" state ").append(fields.length > 0 ? fields[0] : "?")
                    .append(" cpu ").append(process.info().totalCpuDuration().map(Duration::toMillis).orElse(-1L))
                    .append(" ms, waits in ").append(wchan).append(": ")
                    .append(process.info().commandLine().orElse("?")).append('\n');
        }
        return lines.toString();
    }

    private static String tail(String text, int lines) {
        var all = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    private static JsonNode get(String name) {
        return Https.json(https.send("GET", WS + "/computes/" + name, token, null));
    }

    private static String state(String name) {
        return get(name).at("/properties/properties/state").asText();
    }

    private static String app(String name, String displayName) {
        for (var app : get(name).at("/properties/properties/applications")) {
            if (app.get("displayName").asText().equals(displayName)) {
                return app.get("endpointUri").asText();
            }
        }
        throw new AssertionError(name + " has no " + displayName);
    }
}
