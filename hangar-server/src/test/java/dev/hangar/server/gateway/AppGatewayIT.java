package dev.hangar.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.RoleService;
import dev.hangar.core.access.User;
import dev.hangar.core.access.UserService;
import dev.hangar.core.audit.AuditLog;
import dev.hangar.core.compute.AppEndpoint;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.compute.InstanceRequest;
import dev.hangar.core.compute.InstanceState;
import dev.hangar.core.files.ShareDisk;
import dev.hangar.core.idle.IdleRules;
import dev.hangar.core.secret.SecretBox;
import dev.hangar.core.size.VmSizeCatalog;
import dev.hangar.core.store.Commits;
import dev.hangar.core.store.Store;
import dev.hangar.core.store.Transaction;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.http.AuditTrail;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.BrowserSession;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.metrics.RequestMetrics;
import dev.hangar.store.JdbcStore;
import dev.hangar.store.StoreConfig;
import dev.hangar.testkit.time.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway on a real store, a real Vert.x server and a real app behind it. Answers pass as the app made them. A
 * pass ({@link AppPasses}) spares the store only for the caller it was made for; the owner rule and the browser session's checks hold with a
 * pass as without; a change the server commits (a stop, a delete, a role taken away) refuses the very next request;
 * and a change the server does not see commit (another server on the same database) refuses requests once
 * {@link AppPasses#LIFETIME} has passed.
 */
class AppGatewayIT {
    static final String APP_TOKEN = "token app-secret";
    static final String JUPYTER = "/workspaces/ws/computes/box/apps/jupyter/";

    @TempDir
    Path directory;
    final TestClock clock = new TestClock(Instant.parse("2026-12-07T09:00:00Z"));
    // HTTP/1.1, as Hangar's HTTPS server speaks (the JDK would ask this plain one to upgrade to HTTP/2).
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    Vertx vertx;
    ExecutorService executor;
    /** The database itself: what another server on it writes, unseen by this server's count of commits. */
    Store database;
    ReadCounting reads;
    Workspace workspace;
    User admin;
    String adminToken;
    String alice;
    String bob;
    User aliceUser;
    ComputeService computes;
    RoleService roles;
    URI gateway;
    /** How many requests reached the app, by path. */
    final Map<String, AtomicInteger> asked = new java.util.concurrent.ConcurrentHashMap<>();

    /** Counts the store's reads and transactions, whoever makes them. */
    static final class ReadCounting implements Store {
        private final Store store;
        private final AtomicInteger count = new AtomicInteger();

        ReadCounting(Store store) {
            this.store = store;
        }

        int count() {
            return count.get();
        }

        @Override
        public <T> T inTransaction(Function<Transaction, T> work) {
            count.incrementAndGet();
            return store.inTransaction(work);
        }

        @Override
        public <T> T read(Function<Transaction, T> work) {
            count.incrementAndGet();
            return store.read(work);
        }

        @Override
        public void close() {
            store.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        database = JdbcStore.open(StoreConfig.embedded(directory.resolve("db")), SecretBox.generate());
        reads = new ReadCounting(database);
        var commits = new Commits();
        var store = commits.observing(reads);
        var access = new AccessPolicy();
        workspace = new Workspace(UUID.randomUUID(), "sub", "rg", "ws", "local", null, Map.of(), clock.instant());
        admin = new User(UUID.randomUUID(), "admin", null, true, clock.instant());
        store.inTransaction(tx -> {
            tx.insertWorkspace(workspace);
            tx.insertUser(admin);
            return null;
        });
        var users = new UserService(store, access, clock, "tenant");
        var madeAlice = users.create(admin, "alice", false, "Contributor", workspace);
        aliceUser = madeAlice.user();
        alice = madeAlice.token();
        bob = users.create(admin, "bob", false, "Contributor", workspace).token();
        adminToken = users.createToken(admin, null, "it", null).secret();
        roles = new RoleService(store, access, clock);
        var workspaces = new WorkspaceService(store, access, clock);
        computes = new ComputeService(store, VmSizeCatalog.defaults(), access, clock, "local", id -> { },
                new ShareDisk(directory.resolve("files"), null), IdleRules.DEFAULT);

        vertx = Vertx.vertx();
        executor = Executors.newVirtualThreadPerTaskExecutor();
        var app = await(vertx.createHttpServer().requestHandler(this::answerAsTheApp)
                .listen(0, "127.0.0.1"));
        computes.createOrUpdate(aliceUser, workspace, "box", new InstanceRequest("Standard_DS1_v2", null, null, null,
                null, null, null, null, null, List.of()));
        var created = compute();
        store.inTransaction(tx -> {
            tx.updateCompute(created.withState(InstanceState.Running, clock.instant()).withApps(List.of(
                    AppEndpoint.available("jupyter", "Jupyter", URI.create("http://127.0.0.1:" + app.actualPort()),
                            Map.of("Authorization", APP_TOKEN)))));
            tx.activeOperation(created.id()).ifPresent(operation -> tx.endOperation(operation.succeeded(
                    clock.instant())));
            return null;
        });

        var router = Router.router(vertx);
        var routes = new RouteTable(router, new AuditTrail(new AuditLog(store, access), workspaces, executor, clock),
                new RequestMetrics(new SimpleMeterRegistry()));
        var authentication = new Authentication(users, null, clock, new BrowserSession(null));
        // The terminal is not opened here, so it has no sessions to open.
        new AppGateway(vertx, workspaces, computes, authentication, null, executor, Duration.ofMinutes(1),
                commits::count, clock).mount(routes);
        // Compressing what it sends, as Hangar's server does.
        HttpServer server = await(vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true))
                .requestHandler(router).listen(0, "127.0.0.1"));
        gateway = URI.create("http://127.0.0.1:" + server.actualPort());
    }

    @AfterEach
    void stop() throws Exception {
        if (vertx != null) {
            await(vertx.close());
        }
        if (executor != null) {
            executor.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aPassSparesTheStoreForItsOwnCallerAlone() {
        var first = get(JUPYTER + "api", alice);
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).as("the app gets its own credential, not Alice's").isEqualTo("the app saw "
                + APP_TOKEN);
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("max-age=315360000");

        var before = reads.count();
        assertThat(get(JUPYTER + "static/main.js", alice).statusCode()).isEqualTo(200);
        assertThat(reads.count()).as("Alice's pass: no store read").isEqualTo(before);

        var other = get(JUPYTER + "api", bob);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(json(other, "/error/message")).contains("only for its owner ('alice')");
        var administrator = get(JUPYTER + "api", adminToken);
        assertThat(administrator.statusCode()).as("not even an administrator").isEqualTo(403);
        assertThat(reads.count()).as("Bob and the administrator were checked").isGreaterThan(before);

        var after = reads.count();
        assertThat(get(JUPYTER + "api", alice).statusCode()).isEqualTo(200);
        assertThat(reads.count()).as("refusals leave Alice's pass as it was").isEqualTo(after);
    }

    /**
     * What the app behind the gateway answers: a 304 to a revalidation, gzip where asked, an answer for one browser
     * alone under {@code private/}, else who it saw, which may be kept for ten years.
     */
    private void answerAsTheApp(HttpServerRequest request) {
        asked.computeIfAbsent(request.path(), path -> new AtomicInteger()).incrementAndGet();
        var response = request.response().putHeader("ETag", "\"v1\"");
        if (request.path().contains("/private/")) {
            response.putHeader("Cache-Control", "private, max-age=600").end("for one browser");
        } else if (request.getHeader("If-None-Match") != null) {
            response.setStatusCode(304).end();
        } else if (request.path().endsWith("/gzipped")) {
            response.putHeader("Content-Encoding", "gzip").end(Buffer.buffer(gzip("hello")));
        } else {
            response.putHeader("Cache-Control", "max-age=315360000").putHeader("Set-Cookie", "app-login=1; Path=/")
                    .end("the app saw "
                    + request.getHeader("Authorization"));
        }
    }

    @Test
    void answersPassAsTheAppMadeThem() throws IOException {
        var plain = send("GET", JUPYTER + "api", alice, "Accept-Encoding", "gzip");
        assertThat(plain.headers().firstValue("Content-Encoding")).as("not compressed by Hangar").isEmpty();
        assertThat(plain.body()).isEqualTo("the app saw " + APP_TOKEN);
        assertThat(plain.headers().firstValue("ETag")).hasValue("\"v1\"");
        assertThat(plain.headers().firstValue("Date")).as("the gateway's own clock").isPresent();

        var compressed = sendForBytes(JUPYTER + "gzipped", alice, "Accept-Encoding", "gzip");
        assertThat(compressed.headers().firstValue("Content-Encoding")).hasValue("gzip");
        try (var in = new GZIPInputStream(new ByteArrayInputStream(compressed.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).as("compressed once").isEqualTo("hello");
        }

        var revalidated = send("GET", JUPYTER + "gzipped", alice, "Accept-Encoding", "gzip", "If-None-Match",
                "\"v1\"");
        assertThat(revalidated.statusCode()).isEqualTo(304);
        assertThat(revalidated.headers().firstValue("Content-Encoding"))
                .as("a 304 leaves the encoding the browser keeps as it was").isEmpty();
    }

    @Test
    void theBrowserSessionsChecksHoldWithAPass() {
        var cookie = "hangar_session=" + alice;
        assertThat(send("GET", JUPYTER + "api", null, "Cookie", cookie).statusCode()).isEqualTo(200);
        var before = reads.count();

        var forged = send("POST", JUPYTER + "api/contents", null, "Cookie", cookie, "Origin", "https://evil.example");

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(json(forged, "/error/code")).isEqualTo("CrossOriginRefused");
        assertThat(reads.count()).isEqualTo(before);
        var same = send("POST", JUPYTER + "api/contents", null, "Cookie", cookie, "Origin", gateway.toString());
        assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
        assertThat(send("GET", JUPYTER + "api", null).statusCode()).as("no credential").isEqualTo(401);
    }

    /**
     * What the app lets a cache keep (Jupyter's versioned static files) is answered by the gateway without asking the
     * app again, after the same checks: others are refused it, and a stop refuses it. What the app keeps for one
     * browser, and a request that asks for a fresh answer, go to the app.
     */
    @Test
    void whatTheAppLetsBeKeptIsAnsweredWithoutAskingItAgain() {
        var path = JUPYTER + "static/main.js";
        var first = get(path + "?v=1", alice);
        var again = get(path + "?v=1", alice);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(first.body()).isEqualTo("the app saw " + APP_TOKEN);
        assertThat(again.headers().firstValue("Cache-Control")).hasValue("max-age=315360000");
        assertThat(again.headers().firstValue("ETag")).hasValue("\"v1\"");
        assertThat(again.headers().firstValue("Age")).as("kept, and for how long").hasValueSatisfying(age ->
                assertThat(Integer.parseInt(age)).isBetween(0, 30));
        assertThat(first.headers().firstValue("Age")).as("the first came from the app").isEmpty();
        assertThat(first.headers().firstValue("Set-Cookie")).as("with the cookie the app set").isPresent();
        assertThat(again.headers().firstValue("Set-Cookie")).as("which is never kept for another").isEmpty();
        assertThat(asked.get(path).get()).as("the app asked once").isEqualTo(1);

        assertThat(get(path + "?v=2", alice).statusCode()).isEqualTo(200);
        assertThat(asked.get(path).get()).as("another address is asked for").isEqualTo(2);
        assertThat(send("GET", path + "?v=1", alice, "Cache-Control", "no-cache").headers().firstValue("Age"))
                .as("a reload asks the app").isEmpty();
        assertThat(asked.get(path).get()).isEqualTo(3);

        var mine = JUPYTER + "private/notes";
        get(mine, alice);
        get(mine, alice);
        assertThat(asked.get(mine).get()).as("an answer for one browser is never kept").isEqualTo(2);

        assertThat(get(path + "?v=1", bob).statusCode()).as("kept, but not for Bob").isEqualTo(403);
        computes.stop(aliceUser, workspace, "box");
        assertThat(get(path + "?v=1", alice).statusCode()).as("nor once stopped").isEqualTo(409);
        assertThat(asked.get(path).get()).isEqualTo(3);
    }

    @Test
    void aStopRefusesTheNextRequest() {
        assertThat(get(JUPYTER + "api", alice).statusCode()).isEqualTo(200);

        computes.stop(aliceUser, workspace, "box");

        var refused = get(JUPYTER + "api", alice);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(json(refused, "/error/code")).isEqualTo("ComputeNotRunning");
    }

    @Test
    void aDeleteRefusesTheNextRequest() {
        assertThat(get(JUPYTER + "api", alice).statusCode()).isEqualTo(200);

        computes.delete(aliceUser, workspace, "box");

        var refused = get(JUPYTER + "api", alice);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(json(refused, "/error/message")).contains("is Deleting");
    }

    @Test
    void takingAwayTheOwnersRoleRefusesTheirNextRequest() {
        assertThat(get(JUPYTER + "api", alice).statusCode()).isEqualTo(200);

        for (var assignment : roles.assignments(admin, workspace)) {
            if (assignment.principalId().equals(aliceUser.id())) {
                roles.unassign(admin, workspace, assignment.id());
            }
        }

        var refused = get(JUPYTER + "api", alice);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused, "/error/code")).isEqualTo("AuthorizationFailed");
    }

    /**
     * Another server on the same database stops the instance: this server counts no commit, so Alice's pass holds
     * until its lifetime is over, and not a moment longer.
     */
    @Test
    void aChangeThisServerDoesNotSeeRefusesRequestsOnceThePassesLifetimeIsOver() {
        assertThat(get(JUPYTER + "api", alice).statusCode()).isEqualTo(200);
        var running = compute();
        database.inTransaction(tx -> tx.updateCompute(running.withState(InstanceState.Stopping, clock.instant())));

        clock.advance(AppPasses.LIFETIME.minusMillis(1));
        assertThat(get(JUPYTER + "api", alice).statusCode()).as("within the bound").isEqualTo(200);
        clock.advance(Duration.ofMillis(1));
        var refused = get(JUPYTER + "api", alice);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(json(refused, "/error/code")).isEqualTo("ComputeNotRunning");
    }

    private ComputeInstance compute() {
        return database.read(tx -> tx.findCompute(workspace.id(), "box")).orElseThrow();
    }

    private HttpResponse<String> get(String path, String token) {
        return send("GET", path, token);
    }

    private HttpResponse<String> send(String method, String path, String token, String... headers) {
        var request = HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<byte[]> sendForBytes(String path, String token, String... headers) {
        var request = HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] gzip(String text) {
        var bytes = new ByteArrayOutputStream();
        try (var out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static String json(HttpResponse<String> response, String pointer) {
        try {
            return new ObjectMapper().readTree(response.body()).at(pointer).asText();
        } catch (IOException e) {
            throw new IllegalStateException("Not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
