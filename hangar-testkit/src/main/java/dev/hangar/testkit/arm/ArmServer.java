package dev.hangar.testkit.arm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * A real HTTPS server on 127.0.0.1 answering canned ARM responses: a stand-in for the Hangar server on the wire.
 *
 * <p>Routes are {@code METHOD path[?query]}, the query without {@code api-version} (which every request must carry, as
 * ARM demands). A route answers its replies in turn and then repeats the last one. Unknown routes answer 404
 * {@code NoRoute}; a wrong bearer token answers 401. Every request is recorded.
 */
public final class ArmServer implements AutoCloseable {
    public static final String TOKEN = "test-token";
    public static final String SUBSCRIPTION = "00000000-0000-0000-0000-000000000001";
    public static final String WORKSPACE = "/subscriptions/" + SUBSCRIPTION
            + "/resourceGroups/rg1/providers/Microsoft.MachineLearningServices/workspaces/ws1";

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Deque<Reply>> routes = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    /** One canned answer; {@code body} may contain {@code {base}}, replaced by this server's base URL. */
    public record Reply(int status, Map<String, String> headers, String body) {
        public static Reply json(int status, String body) {
            return new Reply(status, Map.of(), body);
        }

        public static Reply empty(int status) {
            return new Reply(status, Map.of(), null);
        }

        /** The same reply with one more header; {@code {base}} in the value is replaced too. */
        public Reply header(String name, String value) {
            var more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Reply(status, more, body);
        }
    }

    /** A request as received. */
    public record Request(String method, String path, Map<String, String> query, Map<String, List<String>> headers,
                          String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    public ArmServer(TestCertificates.ServerCertificate certificate) {
        try {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext()));
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A server with the localhost certificate the tests trust. */
    public static ArmServer start() {
        return new ArmServer(TestCertificates.get("hangar-test", TestCertificates.LOCALHOST));
    }

    public URI uri() {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Absolute URL of a path on this server. */
    public String url(String pathAndQuery) {
        return uri() + pathAndQuery;
    }

    /** Registers (replacing) the replies of {@code METHOD path[?query]}. */
    public ArmServer on(String method, String pathAndQuery, Reply... replies) {
        routes.put(method + " " + pathAndQuery, new ArrayDeque<>(Arrays.asList(replies)));
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests to {@code METHOD path}, whatever their query. */
    public List<Request> requests(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var uri = exchange.getRequestURI();
            var query = parseQuery(uri.getRawQuery());
            var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var request = new Request(exchange.getRequestMethod(), uri.getPath(), query,
                    Map.copyOf(exchange.getRequestHeaders()), body);
            requests.add(request);
            send(exchange, answer(request));
        }
    }

    private Reply answer(Request request) {
        if (!("Bearer " + TOKEN).equals(request.header("Authorization"))) {
            return error(401, "AuthenticationFailed", "the bearer token is missing or unknown");
        }
        if (!request.query().containsKey("api-version")) {
            return error(400, "MissingApiVersionParameter", "The api-version query parameter is required");
        }
        var replies = routes.get(request.method() + " " + request.path() + query(request));
        if (replies == null) {
            return error(404, "NoRoute", "no canned reply for " + request.method() + " " + request.path()
                    + query(request));
        }
        synchronized (replies) {
            return replies.size() > 1 ? replies.poll() : replies.peek();
        }
    }

    private static String query(Request request) {
        var rest = request.query().entrySet().stream().filter(e -> !e.getKey().equals("api-version"))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
        return rest.isEmpty() ? "" : "?" + rest;
    }

    private void send(HttpExchange exchange, Reply reply) throws IOException {
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, expand(value)));
        if (reply.body() == null) {
            exchange.sendResponseHeaders(reply.status(), -1);
            return;
        }
        var bytes = expand(reply.body()).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private String expand(String text) {
        return text.replace("{base}", uri().toString());
    }

    private static Reply error(int status, String code, String message) {
        return Reply.json(status, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message
                + "\",\"target\":null,\"details\":[]}}");
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        var query = new LinkedHashMap<String, String>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (var pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            var key = java.net.URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            var value = equals < 0 ? "" : java.net.URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            query.put(key, value);
        }
        return query;
    }

    /** For listing in failure messages. */
    @Override
    public String toString() {
        return "ArmServer" + new ArrayList<>(routes.keySet());
    }
}
