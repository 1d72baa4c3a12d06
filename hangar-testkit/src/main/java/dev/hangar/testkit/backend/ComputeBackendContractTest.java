package dev.hangar.testkit.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.hangar.core.compute.AppEndpoint;
import dev.hangar.core.compute.InstanceApps;
import dev.hangar.core.files.ShareDisk;
import dev.hangar.core.size.VmSizeCatalog;
import dev.hangar.core.spi.BackendException;
import dev.hangar.core.spi.ComputeBackend;
import dev.hangar.core.spi.HeldInstance;
import dev.hangar.core.spi.InstanceContext;
import dev.hangar.core.spi.InstanceSession;
import dev.hangar.core.spi.Observation;
import dev.hangar.core.spi.SessionRequest;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * What every {@link ComputeBackend} promises, run against the real thing: a backend's {@code *IT} extends this class,
 * creates the backend and answers the hooks that look at the instance from outside (its home, its processes).
 *
 * <p>Each test starts from a backend made by {@link #createBackend()}; a second call must give a new object over the
 * same state, as Hangar has after a restart. Every instance a test makes with {@link #newInstance()} is deleted
 * afterwards, even when the test failed, and then {@link #cleanUpAfter(List)} may end whatever a broken backend left.
 * The environment must let at least one app run (the local backend's needs a real Jupyter).
 */
public abstract class ComputeBackendContractTest {
    private final List<ComputeBackend> backends = new ArrayList<>();
    private final List<InstanceContext> instances = new ArrayList<>();
    private HttpClient http;
    private ComputeBackend backend;
    private Path sharesRoot;
    private ShareDisk shares;

    /** A new backend object over the same state as every other one this test created. */
    protected abstract ComputeBackend createBackend();

    protected abstract void writeFileInHome(InstanceContext instance, String name, String content) throws IOException;

    protected abstract String readFileInHome(InstanceContext instance, String name) throws IOException;

    /** How many processes of this instance run now, seen from outside the backend. */
    protected abstract int processesOf(InstanceContext instance);

    /** Ends whatever the backend left of these instances after it deleted them; by default nothing. */
    protected void cleanUpAfter(List<InstanceContext> instances) {
    }

    /** The uid an {@link SessionRequest.AdminCommand} runs as in the instance: by default Hangar's own. */
    protected int administratorUid(InstanceContext instance) {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How long one backend call may take; provision and start include waiting for the apps. */
    protected Duration callTimeout() {
        return Duration.ofMinutes(2);
    }

    /** The path under an app's base path that answers 200 once the app serves. */
    protected String probePath(AppEndpoint app) {
        return "api";
    }

    @BeforeEach
    final void createFirstBackend() {
        http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(10))
                .build();
        backend = track(createBackend());
        try {
            sharesRoot = Files.createTempDirectory("hangar-contract-shares-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // As Hangar does when it runs as root, which the tests do where a backend's user is another.
        shares = new ShareDisk(sharesRoot, backend.shareOwner().orElse(null), backend.sharesByGroup());
    }

    @AfterEach
    final void deleteEverything() {
        var failures = new ArrayList<Throwable>();
        try {
            var cleaner = track(createBackend());
            for (var instance : instances) {
                try {
                    result(cleaner.delete(instance));
                } catch (RuntimeException | AssertionError e) {
                    failures.add(e);
                }
            }
        } finally {
            backends.forEach(ComputeBackend::close);
            http.close();
            cleanUpAfter(List.copyOf(instances));
            deleteTree(sharesRoot);
        }
        if (!failures.isEmpty()) {
            var failure = new AssertionError("Cleaning up the test's instances failed");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    @Test
    void instanceLivesThroughProvisionStopStartAndDelete(TestReporter reporter) throws IOException {
        var instance = newInstance();
        var provisioning = System.nanoTime();
        var endpoints = result(backend.provision(instance));
        reporter.publishEntry("provisionToReadyMillis", millisSince(provisioning));

        assertThat(endpoints).extracting(AppEndpoint::name)
                .containsExactlyElementsOf(instance.apps().stream().map(InstanceContext.AppSpec::name).toList());
        assertThat(endpoints).anyMatch(AppEndpoint::isAvailable);
        assertThat(result(backend.observe(instance))).isEqualTo(new Observation.Running(endpoints));
        assertAppsAnswer(instance, endpoints);
        assertThat(processesOf(instance)).isPositive();
        writeFileInHome(instance, "notes.txt", "kept across stop and start");

        result(backend.stop(instance));
        assertThat(result(backend.observe(instance))).isEqualTo(new Observation.Stopped());
        awaitNoProcessOf(instance);

        var starting = System.nanoTime();
        var restarted = result(backend.start(instance));
        reporter.publishEntry("startToReadyMillis", millisSince(starting));
        assertThat(readFileInHome(instance, "notes.txt")).isEqualTo("kept across stop and start");
        assertThat(result(backend.observe(instance))).isEqualTo(new Observation.Running(restarted));
        assertAppsAnswer(instance, restarted);

        result(backend.stop(instance));
        result(backend.stop(instance));
        assertThat(result(backend.observe(instance))).isEqualTo(new Observation.Stopped());

        result(backend.delete(instance));
        assertThat(result(backend.observe(instance))).isEqualTo(new Observation.Missing());
        assertThat(heldIds(backend)).doesNotContain(instance.computeId());
        result(backend.delete(instance));
        awaitNoProcessOf(instance);
    }

    @Test
    void provisionAndStartOfARunningInstanceChangeNothing() {
        var instance = newInstance();
        var endpoints = result(backend.provision(instance));
        var processes = processesOf(instance);

        assertThat(result(backend.provision(instance))).isEqualTo(endpoints);
        assertThat(result(backend.start(instance))).isEqualTo(endpoints);
        assertThat(processesOf(instance)).isEqualTo(processes);
        assertAppsAnswer(instance, endpoints);
    }

    @Test
    void newBackendAdoptsARunningInstanceAndStopsIt() {
        var instance = newInstance();
        var endpoints = result(backend.provision(instance));
        // Hangar going away: closing its backend (or kill -9) must leave the instance running.
        backend.close();
        assertThat(processesOf(instance)).isPositive();

        var restarted = track(createBackend());
        assertThat(result(restarted.observe(instance))).isEqualTo(new Observation.Running(endpoints));
        assertAppsAnswer(instance, endpoints);
        assertThat(result(restarted.start(instance))).isEqualTo(endpoints);

        result(restarted.stop(instance));
        assertThat(result(restarted.observe(instance))).isEqualTo(new Observation.Stopped());
        awaitNoProcessOf(instance);
    }

    @Test
    void heldListsAnInstanceNoRecordOwnsAndRemoveClearsIt() {
        var instance = newInstance();
        result(backend.provision(instance));

        var orphan = result(backend.held()).stream()
                .filter(held -> held.computeId().equals(instance.computeId())).findFirst();
        assertThat(orphan).isPresent();
        result(backend.remove(orphan.get()));

        assertThat(result(backend.observe(instance))).isEqualTo(new Observation.Missing());
        assertThat(heldIds(backend)).doesNotContain(instance.computeId());
        awaitNoProcessOf(instance);
        result(backend.remove(orphan.get()));
    }

    @Test
    void instanceNeverProvisionedIsMissingAndDeletingItSucceeds() {
        var instance = newInstance();

        assertThat(result(backend.observe(instance))).isEqualTo(new Observation.Missing());
        assertThat(heldIds(backend)).doesNotContain(instance.computeId());
        result(backend.delete(instance));
    }

    @Test
    void commandRunsInTheHomeWithItsStreamsAndExitStatus() throws Exception {
        var instance = newInstance();
        result(backend.provision(instance));
        writeFileInHome(instance, "in-home.txt", "hello from home");

        try (var session = open(instance, new SessionRequest.Command("cat in-home.txt; echo oops >&2; exit 3",
                null, Map.of()))) {
            var output = drain(session.output());
            var errors = drain(session.errors());
            assertThat(output.get(30, TimeUnit.SECONDS)).isEqualTo("hello from home");
            assertThat(errors.get(30, TimeUnit.SECONDS)).isEqualTo("oops\n");
            assertThat(result(session.exitStatus())).isEqualTo(3);
        }
    }

    @Test
    void aCommandsFoldersAreTheUsersAndMadeBeforeItRuns() throws Exception {
        var instance = newInstance();
        result(backend.provision(instance));

        try (var session = open(instance, new SessionRequest.Command("cd jobs/j1 && [ -O outputs ] && [ -O . ]"
                + " && echo made > outputs/it && cat outputs/it", null, Map.of(), List.of("jobs/j1/outputs")))) {
            var output = drain(session.output());
            var errors = drain(session.errors());
            assertThat(output.get(30, TimeUnit.SECONDS)).isEqualTo("made\n");
            assertThat(errors.get(30, TimeUnit.SECONDS)).isEmpty();
            assertThat(result(session.exitStatus())).isZero();
        }
        // Made again, with what is in them kept.
        try (var session = open(instance, new SessionRequest.Command("cat jobs/j1/outputs/it", null, Map.of(),
                List.of("jobs/j1/outputs")))) {
            var output = drain(session.output());
            assertThat(output.get(30, TimeUnit.SECONDS)).isEqualTo("made\n");
            assertThat(result(session.exitStatus())).isZero();
        }
    }

    @Test
    void theWorkspacesFileShareIsInTheHomeAtCloudfilesCodeForTheUserToChange() throws Exception {
        var instance = newInstance();
        result(backend.provision(instance));
        var own = instance.fileShare().resolve("Users").resolve("alice");
        assertThat(shares.makeFolder(own)).isTrue();
        var uploaded = own.resolve("notes one.txt");
        Files.writeString(uploaded, "from Hangar\n");
        shares.own(uploaded);

        var folder = InstanceContext.FILE_SHARE_MOUNT + "/Users/alice";
        try (var session = open(instance, new SessionRequest.Command("cd " + folder + " && cat 'notes one.txt'"
                + " && echo more >> 'notes one.txt' && mkdir -p made && echo new > made/it", null, Map.of()))) {
            var output = drain(session.output());
            var errors = drain(session.errors());
            assertThat(output.get(30, TimeUnit.SECONDS)).isEqualTo("from Hangar\n");
            assertThat(errors.get(30, TimeUnit.SECONDS)).isEmpty();
            assertThat(result(session.exitStatus())).isZero();
        }
        assertThat(Files.readString(uploaded)).isEqualTo("from Hangar\nmore\n");
        assertThat(Files.readString(own.resolve("made").resolve("it"))).isEqualTo("new\n");

        // Still there after a stop and a start, as the same share.
        result(backend.stop(instance));
        result(backend.start(instance));
        try (var session = open(instance, new SessionRequest.Command("cat " + folder + "/made/it", null, Map.of()))) {
            assertThat(drain(session.output()).get(30, TimeUnit.SECONDS)).isEqualTo("new\n");
            assertThat(result(session.exitStatus())).isZero();
        }
    }

    @Test
    void anAdminCommandRunsAsTheMostPrivilegedUserInTheUsersHomeWithItsVariables() throws Exception {
        var instance = newInstance();
        result(backend.provision(instance));
        writeFileInHome(instance, "in-home.txt", "the user's");

        try (var session = open(instance, new SessionRequest.AdminCommand("echo \"$(id -u)|$SETUP_NOTE\";"
                + " cat in-home.txt; echo; echo err >&2; exit 4", Map.of("SETUP_NOTE", "as root")))) {
            session.input().close();
            var output = drain(session.output());
            var errors = drain(session.errors());
            assertThat(output.get(30, TimeUnit.SECONDS)).isEqualTo(administratorUid(instance) + "|as root\nthe user's\n");
            assertThat(errors.get(30, TimeUnit.SECONDS)).isEqualTo("err\n");
            assertThat(result(session.exitStatus())).isEqualTo(4);
        }
        assertThat(backend.instanceUser(instance.computeId())).isNotBlank();
    }

    @Test
    void aCommandGetsTheVariablesItAsksForButKeepsTheUsersHome() throws Exception {
        var instance = newInstance();
        result(backend.provision(instance));

        try (var session = open(instance, new SessionRequest.Command("echo \"$GREETING|$EPOCHS|$PWD\"; [ \"$HOME\" = \"$PWD\" ]",
                null, Map.of("GREETING", "hi there", "EPOCHS", "3", "HOME", "/nowhere")))) {
            var output = drain(session.output());
            assertThat(output.get(30, TimeUnit.SECONDS)).startsWith("hi there|3|/").doesNotContain("/nowhere");
            assertThat(result(session.exitStatus())).as("HOME is the user's home, the working directory").isZero();
        }
    }

    @Test
    void processesMarkedByTheirEnvironmentAreEndedAfterTheirSessionIsLost() throws Exception {
        var instance = newInstance();
        result(backend.provision(instance));
        var marker = "HANGAR_JOB_ID=" + UUID.randomUUID();
        var split = marker.indexOf('=');
        int child;
        var lost = open(instance, new SessionRequest.Command("sleep 300 & echo $!; wait", null,
                Map.of(marker.substring(0, split), marker.substring(split + 1))));
        // The session is never closed here: Hangar lost it (it was restarted), but its processes run on.
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(lost.output(), StandardCharsets.UTF_8));
        child = Integer.parseInt(reader.readLine().strip());
        // Ended means gone or a zombie: where no init reaps orphans, an ended process stays a zombie.
        var running = "s=$(cut -d' ' -f3 /proc/" + child + "/stat 2>/dev/null); [ -n \"$s\" ] && [ \"$s\" != Z ]";
        try (var alive = open(instance, new SessionRequest.Command(running, null, Map.of()))) {
            assertThat(result(alive.exitStatus())).as("the marked process runs").isZero();
        }
        try (var other = open(instance, new SessionRequest.Command("sleep 300", null, Map.of("HANGAR_JOB_ID", "x")))) {
            result(backend.endProcesses(instance, java.util.Set.of(marker, "HANGAR_JOB_ID=another")));
            try (var gone = open(instance, new SessionRequest.Command(running, null, Map.of()))) {
                assertThat(result(gone.exitStatus())).as("the marked process was ended").isNotZero();
            }
            assertThat(other.exitStatus().toCompletableFuture().isDone()).as("another marker's runs on").isFalse();
        }
        result(backend.endProcesses(instance, java.util.Set.of(marker, "HANGAR_JOB_ID=another")));
        lost.close();
    }

    @Test
    void endOfInputEndsACommand() throws Exception {
        var instance = newInstance();
        result(backend.provision(instance));

        try (var session = open(instance, new SessionRequest.Command("wc -c", null, Map.of()))) {
            var output = drain(session.output());
            session.input().write("12345".getBytes(StandardCharsets.UTF_8));
            session.input().close();
            assertThat(output.get(30, TimeUnit.SECONDS).strip()).isEqualTo("5");
            assertThat(result(session.exitStatus())).isZero();
        }
    }

    @Test
    void terminalShellHasATtyFollowsResizesAndEndsWithItsStatus() throws Exception {
        var instance = newInstance();
        result(backend.provision(instance));

        try (var session = open(instance, new SessionRequest.Shell(new SessionRequest.Tty("xterm", 80, 24),
                Map.of()))) {
            var screen = new Screen(session.output());
            session.input().write("stty size; tty\n".getBytes(StandardCharsets.UTF_8));
            session.input().flush();
            screen.await("24 80");
            screen.await("/dev/pts/");
            session.resize(100, 30);
            session.input().write("stty size; exit 5\n".getBytes(StandardCharsets.UTF_8));
            session.input().flush();
            screen.await("30 100");
            assertThat(result(session.exitStatus())).isEqualTo(5);
        }
    }

    @Test
    void closingATerminalEndsItsProcesses() throws Exception {
        var instance = newInstance();
        result(backend.provision(instance));
        var before = processesOf(instance);

        var session = open(instance, new SessionRequest.Shell(new SessionRequest.Tty(null, 80, 24), Map.of()));
        var screen = new Screen(session.output());
        session.input().write("sleep 600 & echo started-$((6*7))\n".getBytes(StandardCharsets.UTF_8));
        session.input().flush();
        screen.await("started-42");
        assertThat(processesOf(instance)).isGreaterThan(before);

        session.close();
        result(session.exitStatus());
        await("the terminal's processes end").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> processesOf(instance) == before);
    }

    @Test
    void stoppingTheInstanceEndsItsSessions() throws Exception {
        var instance = newInstance();
        result(backend.provision(instance));
        var session = open(instance, new SessionRequest.Shell(new SessionRequest.Tty(null, 80, 24), Map.of()));

        result(backend.stop(instance));
        try {
            session.exitStatus().toCompletableFuture().get(15, TimeUnit.SECONDS);
        } finally {
            session.close();
        }
        awaitNoProcessOf(instance);
    }

    @Test
    void forwardReachesAPortOnTheInstancesOwnLoopback() throws Exception {
        var instance = newInstance();
        result(backend.provision(instance));
        writeFileInHome(instance, "served.txt", "served from inside");
        var port = freePort();

        try (var server = open(instance, new SessionRequest.Command(
                "exec python3 -m http.server --bind 127.0.0.1 " + port, null, Map.of()))) {
            drain(server.output());
            drain(server.errors());
            var response = await("the instance's web server answers through a forward").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> get(instance, port, "/served.txt"), body -> body.contains("200"));
            assertThat(response).contains("served from inside");
        }
    }

    @Test
    void forwardToAPortNobodyListensOnFails() {
        var instance = newInstance();
        result(backend.provision(instance));
        var port = freePort();

        var failure = catchThrowable(() -> {
            try (var session = result(backend.open(instance, new SessionRequest.Forward(port)))) {
                // A backend that relays through the instance may only notice when the relay ends.
                assertThat(drain(session.output()).get(30, TimeUnit.SECONDS)).isEmpty();
                throw BackendException.fatal("PortNotListening", "the relay ended without a byte");
            }
        });
        assertThat(failure).isInstanceOf(BackendException.class);
    }

    @Test
    void sftpSessionSpeaksTheSftpProtocol() throws Exception {
        var instance = newInstance();
        result(backend.provision(instance));

        try (var session = open(instance, new SessionRequest.Sftp())) {
            // SSH_FXP_INIT, version 3: length 5, type 1, version 3.
            session.input().write(new byte[] {0, 0, 0, 5, 1, 0, 0, 0, 3});
            session.input().flush();
            var reply = new DataInputStream(session.output());
            var length = reply.readInt();
            assertThat(length).isGreaterThanOrEqualTo(5);
            assertThat(reply.readUnsignedByte()).as("SSH_FXP_VERSION").isEqualTo(2);
            assertThat(reply.readInt()).isEqualTo(3);
        }
    }

    @Test
    void sessionsNeedARunningInstance() {
        var instance = newInstance();
        var request = new SessionRequest.Command("true", null, Map.of());

        assertThatThrownBy(() -> result(backend.open(instance, request))).isInstanceOf(BackendException.class)
                .extracting(failure -> ((BackendException) failure).code()).isEqualTo("InstanceNotRunning");
        result(backend.provision(instance));
        result(backend.stop(instance));
        assertThatThrownBy(() -> result(backend.open(instance, request))).isInstanceOf(BackendException.class)
                .extracting(failure -> ((BackendException) failure).code()).isEqualTo("InstanceNotRunning");
    }

    /** A session the test closes; a session still open when the test ends is closed by deleting its instance. */
    protected final InstanceSession open(InstanceContext instance, SessionRequest request) {
        return result(backend.open(instance, request));
    }

    /** Everything the stream gives until its end, read on a thread of its own. */
    protected static CompletableFuture<String> drain(InputStream stream) {
        var text = new CompletableFuture<String>();
        Thread.ofVirtual().start(() -> {
            try {
                text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                text.completeExceptionally(e);
            }
        });
        return text;
    }

    /** What a terminal has shown so far, read continuously. */
    protected static final class Screen {
        private final StringBuffer text = new StringBuffer();

        Screen(InputStream output) {
            Thread.ofVirtual().start(() -> {
                var buffer = new byte[4096];
                try {
                    for (int n; (n = output.read(buffer)) >= 0; ) {
                        text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException ignored) {
                    // The terminal went away; what it showed stays.
                }
            });
        }

        void await(String expected) {
            try {
                Awaitility.await("the terminal shows " + expected).atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(50)).until(() -> text.toString().contains(expected));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("The terminal did not show '" + expected + "'; it showed:\n" + text, e);
            }
        }
    }

    private String get(InstanceContext instance, int port, String path) throws IOException {
        try (var session = result(backend.open(instance, new SessionRequest.Forward(port)))) {
            session.input().write(("GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            session.input().flush();
            session.input().close();
            return new String(session.output().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path top) {
        if (top == null || !Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var all = Files.walk(top)) {
            for (var each : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(each);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + top, e);
        }
    }

    /** The first backend of this test. */
    protected final ComputeBackend backend() {
        return backend;
    }

    /** Closes {@code extra} after the test. */
    protected final <B extends ComputeBackend> B track(B extra) {
        backends.add(extra);
        return extra;
    }

    /** A new instance with Hangar's apps under their gateway paths; deleted after the test. */
    protected final InstanceContext newInstance() {
        var name = "ci" + UUID.randomUUID().toString().substring(0, 8);
        var size = VmSizeCatalog.defaults().find("Standard_DS1_v2").orElseThrow();
        var instance = new InstanceContext(UUID.randomUUID(), "contract", name, size, "alice",
                InstanceApps.of("contract", name), shares.folder(UUID.randomUUID()));
        instances.add(instance);
        return instance;
    }

    /** Each available app answers 200 at {@code target + basePath + probePath}, with the endpoint's headers. */
    protected final void assertAppsAnswer(InstanceContext instance, List<AppEndpoint> endpoints) {
        for (var app : endpoints.stream().filter(AppEndpoint::isAvailable).toList()) {
            var spec = instance.apps().stream().filter(s -> s.name().equals(app.name())).findFirst().orElseThrow();
            var url = URI.create(app.target() + spec.basePath() + probePath(app));
            var request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).GET();
            app.headers().forEach(request::header);
            try {
                var response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as("GET %s", url).isEqualTo(200);
            } catch (IOException e) {
                throw new AssertionError(app.displayName() + " does not answer at " + url, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted", e);
            }
        }
    }

    protected final void awaitNoProcessOf(InstanceContext instance) {
        await("no process of " + instance.computeName()).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100)).until(() -> processesOf(instance) == 0);
    }

    /** The stage's value; its failure (e.g. a BackendException) is rethrown as it is. */
    protected final <T> T result(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(callTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new AssertionError(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("The backend call did not complete within " + callTimeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", e);
        }
    }

    private List<UUID> heldIds(ComputeBackend from) {
        return result(from.held()).stream().map(HeldInstance::computeId).toList();
    }

    private static String millisSince(long startNanos) {
        return Long.toString(Duration.ofNanos(System.nanoTime() - startNanos).toMillis());
    }
}
