package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.testkit.server.LocalInstances;
import dev.hangar.testkit.server.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input, bounded and repeatable: every route the server lists at {@code GET /hangar/v1/routes}, called as an
 * administrator (who passes every access check, so the input reaches the deepest code) with mutated path values,
 * queries, headers and bodies grown from valid ones ({@link FuzzInput}); then raw request lines and headers over a
 * TLS socket ({@link RawHttps}). It fails on any 5xx, on any answer slower than {@value #SLOW_SECONDS} s or none at
 * all, and on a refused PUT that left a record behind.
 *
 * <p>The seed is {@code -Dhangar.fuzz.seed} (default fixed, so a failure repeats), the number of requests per route
 * {@code -Dhangar.fuzz.perRoute}. Core quotas are set to 0 first, so that an instance the mutations happen to make
 * valid is refused by the quota (after every other check) instead of starting Jupyter.
 */
class FuzzIT {
    static final String WS = WireFormatIT.WS;
    static final long SEED = Long.getLong("hangar.fuzz.seed", 20261207L);
    static final int PER_ROUTE = Integer.getInteger("hangar.fuzz.perRoute", 40);
    static final int SLOW_SECONDS = 10;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");

    @TempDir
    static Path data;
    static ServerProcess server;
    static Https https;
    static HttpClient client;
    static String admin;

    @BeforeAll
    static void start() {
        server = new ServerProcess(data, Map.of()).start();
        https = new Https(server.url(), server.certificate());
        client = HttpClient.newBuilder().sslContext(Https.trusting(server.certificate()))
                .connectTimeout(Duration.ofSeconds(SLOW_SECONDS)).followRedirects(HttpClient.Redirect.NEVER).build();
        admin = server.adminToken();
        var quotas = https.send("POST", "/subscriptions/00000000-0000-0000-0000-000000000000/providers/"
                + "Microsoft.MachineLearningServices/locations/local/updateQuotas", admin, """
                {"value":[
                {"id":"/subscriptions/00000000-0000-0000-0000-000000000000/quotas/Total_Cluster_Dedicated_Regional_vCPUs","limit":0},
                {"id":"/subscriptions/00000000-0000-0000-0000-000000000000/quotas/Total_Cluster_LowPriority_Regional_vCPUs","limit":0}]}""");
        assertThat(quotas.statusCode()).as(quotas.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        new LocalInstances(data).processes().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void noRouteAnswers5xxOrHangsOrKeepsWhatItRefusedWhateverItIsSent() {
        var routes = Https.json(https.send("GET", "/hangar/v1/routes", admin, null)).get("value");
        var random = new Random(SEED);
        var input = new FuzzInput(random);
        var failures = new ArrayList<String>();
        var refusedPuts = new LinkedHashMap<String, String>();
        var counts = new int[6];
        for (var route : routes) {
            var method = route.get("method").asText();
            var template = route.get("template").asText();
            if (method.equals("*") || template.contains("{app}")) {
                continue; // the app gateway: Jupyter's own answers, tried by the gateway's tests
            }
            for (int i = 0; i < PER_ROUTE; i++) {
                var path = path(template, input, i == 0);
                var body = i == 0 ? input.seed(method, template) : input.body(method, template);
                var headers = i == 0 ? List.<String>of() : input.headers();
                var response = send(method, path, body, headers);
                counts[Math.min(response.status / 100, 5)]++;
                if (response.status >= 500 || response.status < 0 || response.seconds > SLOW_SECONDS) {
                    failures.add(method + " " + path + " " + headers + " " + abbreviate(body) + " -> "
                            + response.status + " in " + response.seconds + " s: " + abbreviate(response.body));
                } else if (method.equals("PUT") && response.status >= 400 && path.contains("/fuzz-")
                        && !template.contains("{path}")) {
                    refusedPuts.put(path, method + " " + abbreviate(body) + " -> " + response.status);
                }
            }
        }
        for (var refused : refusedPuts.entrySet()) {
            var get = send("GET", refused.getKey(), null, List.of());
            if (get.status == 200) {
                failures.add("a refused " + refused.getValue() + " left " + refused.getKey() + ": "
                        + abbreviate(get.body));
            }
        }
        failures.addAll(new RawHttps(server.url(), server.certificate(), admin, SLOW_SECONDS).tryAll(random));
        System.out.printf("FuzzIT: seed %d, %d routes, %d requests: 2xx %d, 3xx %d, 4xx %d, 5xx %d%n",
                SEED, routes.size(), counts[1] + counts[2] + counts[3] + counts[4] + counts[5] + counts[0],
                counts[2], counts[3], counts[4], counts[5]);
        assertThat(failures).as("answers that were 5xx, slow or missing, and records a refusal left").isEmpty();
    }

    /** The template with a value for each placeholder: a valid one on the route's first call, then hostile ones. */
    private static String path(String template, FuzzInput input, boolean valid) {
        var values = Map.of("sub", "00000000-0000-0000-0000-000000000000", "rg", "hangar", "ws", "default",
                "loc", "local", "name", "fuzz-" + input.name(), "id", java.util.UUID.randomUUID().toString(),
                "op", java.util.UUID.randomUUID().toString(), "size", "Fuzz_Size", "version", "1",
                "path", "Users/admin/fuzz.txt");
        var matcher = PLACEHOLDER.matcher(template);
        var path = new StringBuilder();
        while (matcher.find()) {
            var value = values.getOrDefault(matcher.group(1), "x");
            if (!valid && input.chance(0.35)) {
                value = input.pathValue();
            }
            matcher.appendReplacement(path, java.util.regex.Matcher.quoteReplacement(value));
        }
        matcher.appendTail(path);
        return path + (valid ? "?api-version=2024-04-01" : input.query());
    }

    private record Answer(int status, long seconds, String body) {
    }

    private static Answer send(String method, String path, String body, List<String> headers) {
        var started = System.nanoTime();
        try {
            var request = HttpRequest.newBuilder(URI.create(server.url() + path))
                    .timeout(Duration.ofSeconds(SLOW_SECONDS + 5))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                    .header("Authorization", "Bearer " + admin);
            var typed = false;
            for (int i = 0; i + 1 < headers.size(); i += 2) {
                request.header(headers.get(i), headers.get(i + 1));
                typed |= headers.get(i).equalsIgnoreCase("Content-Type");
            }
            if (body != null && !typed) {
                request.header("Content-Type", "application/json");
            }
            var response = Https.textOrStream(client, request.build());
            return new Answer(response.statusCode(), seconds(started), response.body());
        } catch (IllegalArgumentException refusedByTheClient) {
            return new Answer(400, 0, "not sendable by java.net.http: " + refusedByTheClient.getMessage());
        } catch (java.io.IOException e) {
            return new Answer(-1, seconds(started), "no answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long seconds(long started) {
        return Duration.ofNanos(System.nanoTime() - started).toSeconds();
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        var shown = text.length() > 160 ? text.substring(0, 160) + "...(" + text.length() + ")" : text;
        return shown.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
    }

    static JsonNode json(String text) {
        try {
            return Https.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
