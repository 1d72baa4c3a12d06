package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.testkit.server.ServerProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} as a Prometheus server scrapes it: the text format parsed line by line, the meters moved by an
 * instance created and a job run through the API, and who may read it (an administrator, or a scraper with the
 * metrics token, which opens nothing else).
 */
class MetricsIT {
    static final String WS = WireFormatIT.WS;
    static final String CI = WS + "/computes/metrics-ci";
    static final String TOKEN = "scraper-" + "0123456789abcdef0123456789abcdef";
    private static final Pattern SAMPLE = Pattern.compile(
            "^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\d+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    @TempDir
    static Path data;
    static ServerProcess server;
    static Https https;
    static String admin;

    @BeforeAll
    static void start() throws Exception {
        var tokenFile = Files.writeString(Files.createDirectories(data.resolve("secrets")).resolve("metrics.token"),
                TOKEN + "\n");
        server = new ServerProcess(data.resolve("server"), Map.of("HANGAR_METRICS_TOKEN_FILE", tokenFile.toString(),
                "HANGAR_BACKEND_LOCAL_JUPYTER", "/nonexistent/jupyter")).start();
        https = new Https(server.url(), server.certificate());
        admin = server.adminToken();
    }

    @AfterAll
    static void stop() {
        Https.deleteAndStop(server, https, data.resolve("server"), CI, admin);
    }

    /** One sample of the exposition: its metric's name, its labels and its value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    /** Every sample, each line checked against the text format, and each metric declared by a TYPE line. */
    static List<Sample> parse(String text) {
        var samples = new ArrayList<Sample>();
        var typed = new HashSet<String>();
        for (var line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                typed.add(line.split(" ")[2]);
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            var matcher = SAMPLE.matcher(line);
            assertThat(matcher.matches()).as("a sample line of the text format: " + line).isTrue();
            var labels = new HashMap<String, String>();
            if (matcher.group(2) != null) {
                var label = LABEL.matcher(matcher.group(2));
                int at = 0;
                while (label.find() && label.start() == at) {
                    labels.put(label.group(1), label.group(2));
                    at = label.end();
                }
                assertThat(at).as("labels of " + line).isEqualTo(matcher.group(2).length());
            }
            var name = matcher.group(1);
            assertThat(typed).as("declared before its samples: " + name).anyMatch(family -> name.equals(family)
                    || name.startsWith(family + "_"));
            samples.add(new Sample(name, labels, Double.parseDouble(matcher.group(3))));
        }
        return samples;
    }

    static double value(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(sample -> sample.name().equals(name)
                        && sample.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).sum();
    }

    static List<Sample> scrape(String credential) {
        var response = https.send("GET", "/metrics", credential, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        return parse(response.body());
    }

    @Test
    void anInstanceAndAJobMoveTheMetersAPrometheusScrapeReads() {
        https.createInstance(CI, admin, QuotasIT.create("Standard_DS2_v2"));
        var submitted = https.send("PUT", WS + "/jobs/metered?api-version=2024-04-01", admin, """
                {"properties":{"jobType":"Command","command":"echo metered","computeId":"metrics-ci"}}""");
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                Https.json(https.send("GET", WS + "/jobs/metered", admin, null)).at("/properties/status").asText()
                        .equals("Completed"));

        var samples = scrape(admin);
        var create = Map.of("kind", "Create", "status", "Succeeded", "trigger", "User");
        assertThat(value(samples, "hangar_operations_seconds_count", create)).as("the create, ended").isEqualTo(1);
        assertThat(value(samples, "hangar_operations_seconds_sum", create)).as("it took a while").isPositive();
        assertThat(samples).as("a latency histogram").anyMatch(sample -> sample.name()
                .equals("hangar_operations_seconds_bucket") && sample.labels().containsKey("le"));
        assertThat(value(samples, "hangar_jobs_start_seconds_count", Map.of("target", "Instance")))
                .as("the job, from submission to running").isEqualTo(1);
        assertThat(value(samples, "hangar_jobs", Map.of("status", "Completed"))).isEqualTo(1);
        assertThat(value(samples, "hangar_jobs", Map.of("status", "Failed"))).isZero();
        assertThat(value(samples, "hangar_store_transactions_seconds_count", Map.of("type", "write"))).isPositive();
        assertThat(value(samples, "hangar_store_transactions_seconds_count", Map.of("type", "read"))).isPositive();
        assertThat(samples).as("the create's PUT, by its route").anyMatch(sample -> sample.name()
                .equals("hangar_http_requests_seconds_count") && sample.labels().get("route").endsWith(
                "/computes/{name}") && sample.labels().get("method").equals("PUT")
                && sample.labels().get("status").equals("201") && sample.value() >= 1);
        assertThat(value(samples, "hangar_backend_calls_seconds_count", Map.of("backend", "local",
                "call", "provision", "outcome", "ok"))).as("the instance provisioned by its backend").isEqualTo(1);
        assertThat(value(samples, "hangar_backend_calls_seconds_count", Map.of("call", "open")))
                .as("the job's session").isPositive();
        assertThat(samples).extracting(Sample::name).contains("hangar_reconcile_queue_depth", "hangar_reconcile_queue_lag_seconds",
                "jvm_memory_used_bytes", "jvm_threads_live_threads", "process_uptime_seconds");
    }

    @Test
    void onlyAnAdministratorOrTheMetricsTokenReadsThemAndTheTokenOpensNothingElse() {
        var alice = https.createUser(admin, "metrics-alice");
        assertThat(refusal(https.send("GET", "/metrics", alice, null))).isEqualTo("403 AuthorizationFailed");
        assertThat(https.send("GET", "/metrics", null, null).statusCode()).isEqualTo(401);
        assertThat(https.send("GET", "/metrics", "scraper-wrong-0123456789abcdef0123456789ab", null).statusCode())
                .isEqualTo(401);

        assertThat(scrape(TOKEN)).extracting(Sample::name).contains("hangar_store_transactions_seconds_count");
        assertThat(https.send("GET", "/hangar/v1/session", TOKEN, null).statusCode())
                .as("the token is no user's").isEqualTo(401);
        assertThat(https.send("GET", WS + "/computes", TOKEN, null).statusCode()).isEqualTo(401);
    }

    static String refusal(HttpResponse<String> response) {
        return response.statusCode() + " " + Https.json(response).at("/error/code").asText();
    }
}
