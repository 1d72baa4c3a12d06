package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.testkit.server.LocalInstances;
import dev.hangar.testkit.server.ServerProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH gateway against a real server process with the host-process backend, driven by OpenSSH's own clients
 * ({@code ssh}, {@code scp}, {@code sftp}): key login, commands and their exit status, a terminal on request, the
 * refusals (password, another key, an instance without SSH, an unknown one, a stopped one), file copies both ways,
 * {@code ssh -L} to a port inside the instance, the API's view of SSH, and a host key that outlives a restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SshGatewayIT {
    static final String WS = WireFormatIT.WS;
    static final String WITH_SSH = "sshbox";
    static final String WITHOUT_SSH = "plainbox";
    private static final String BODY = """
            {"properties":{"computeType":"ComputeInstance","properties":{"vmSize":"Standard_DS1_v2"%s}}}""";
    /** Runs argv[1:] on a 100x40 terminal, makes it 120x50 once a first line came, and prints what it showed. */
    private static final String PTY_DRIVER = """
            import os, pty, sys, fcntl, termios, struct, time, select, signal
            pid, fd = pty.fork()
            if pid == 0:
                # Sized before ssh starts, so that ssh reads 40x100 when it asks for the terminal.
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
                os.execvp(sys.argv[1], sys.argv[1:])
            out, start, resized = b"", time.time(), False
            while time.time() - start < 30:
                if not resized and b"\\n" in out:
                    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 120, 0, 0))
                    os.kill(pid, signal.SIGWINCH)
                    resized = True
                if select.select([fd], [], [], 0.2)[0]:
                    try:
                        data = os.read(fd, 4096)
                    except OSError:
                        break
                    if not data:
                        break
                    out += data
            sys.stdout.write(out.decode().replace("\\r\\n", "\\n"))
            sys.exit(os.waitpid(pid, 0)[1] >> 8)
            """;

    @TempDir
    static Path scratch;
    static ServerProcess server;
    static Https https;
    static OpenSsh openSsh;
    static Path key;
    static Path otherKey;

    @BeforeAll
    static void startServerAndInstances() throws IOException {
        // Without Jupyter: the instances are only what SSH reaches, and they come up at once
        server = new ServerProcess(scratch.resolve("data"), Map.of("HANGAR_BACKEND_LOCAL_JUPYTER",
                "/nonexistent/jupyter")).start();
        https = new Https(server.url(), server.certificate());
        openSsh = new OpenSsh(scratch, server.sshPort());
        key = openSsh.keygen("key");
        otherKey = openSsh.keygen("other");
        create(WITH_SSH, sshSettings("Enabled", OpenSsh.publicKey(key)));
        create(WITHOUT_SSH, "");
    }

    @AfterAll
    static void stopEverything() {
        if (openSsh != null) {
            openSsh.close();
        }
        if (server != null) {
            server.close();
        }
        new LocalInstances(scratch.resolve("data")).processes().forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    @Order(1)
    void aKeyLoginRunsCommandsInTheInstanceAndReturnsTheirStatus() throws IOException {
        var whoami = ssh("-o", "SetEnv=LC_PROBE=passed SECRET_PROBE=kept-out", login(WITH_SSH),
                "id -un; pwd; printf '%s|%s' \"$LC_PROBE\" \"$SECRET_PROBE\"");
        assertThat(whoami.exit()).as(whoami.err()).isZero();
        var lines = whoami.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).as("the instance's own account, which the API names").matches(
                LocalInstances.userPattern()).isEqualTo(get(WITH_SSH).at("/properties/properties/sshSettings/adminUserName")
                .asText());
        var instances = server.data().toRealPath().resolve("backends/local/instances");
        assertThat(lines.get(1)).as("the instance's home").startsWith(instances.toString()).endsWith("/home");
        assertThat(lines.get(2)).as("LC_* passes, other variables do not").isEqualTo("passed|");

        var failing = ssh(login(WITH_SSH), "echo to-stderr >&2; exit 7");
        assertThat(failing.exit()).isEqualTo(7);
        assertThat(failing.err()).contains("to-stderr");

        var input = scratch.resolve("stdin.txt");
        Files.writeString(input, "through stdin\n");
        var cat = openSsh.run(sshCommand(login(WITH_SSH), "cat"), input);
        assertThat(cat.out()).isEqualTo("through stdin\n");

        var bare = ssh(WITH_SSH + "@127.0.0.1", "echo bare");
        assertThat(bare.out()).as("the bare compute name, when one workspace has it").isEqualTo("bare\n");
    }

    @Test
    @Order(2)
    void aTerminalOnlyWhenAsked() {
        var tty = ssh("-tt", login(WITH_SSH), "tty; echo $TERM");
        assertThat(tty.exit()).as(tty.err()).isZero();
        assertThat(tty.out()).startsWith("/dev/pts/").contains("xterm");

        var plain = ssh("-T", login(WITH_SSH), "tty");
        assertThat(plain.out()).contains("not a tty");
    }

    @Test
    @Order(2)
    void theTerminalHasTheClientsSizeAndFollowsItsWindow() throws IOException {
        // The JDK cannot open a pseudo-terminal for the client; Python's pty module can.
        var driver = scratch.resolve("pty-driver.py");
        Files.writeString(driver, PTY_DRIVER);
        var command = new ArrayList<>(List.of("python3", driver.toString()));
        command.addAll(sshCommand("-tt", login(WITH_SSH), "stty size; sleep 2; stty size"));

        var sized = openSsh.run(command, null);

        assertThat(sized.exit()).as(sized.err()).isZero();
        assertThat(sized.out().lines().limit(2).toList()).containsExactly("40 100", "50 120");
    }

    @Test
    @Order(3)
    void everythingButTheRegisteredKeyIsRefusedAlike() {
        var password = ssh("-o", "PreferredAuthentications=password,keyboard-interactive", login(WITH_SSH), "true");
        var otherKeyLogin = openSsh.ssh(otherKey, login(WITH_SSH), "true");
        var withoutSsh = ssh(login(WITHOUT_SSH), "true");
        var unknown = ssh("nothing-here.default@127.0.0.1", "true");
        var unknownWorkspace = ssh(WITH_SSH + ".elsewhere@127.0.0.1", "true");

        for (var refused : List.of(password, otherKeyLogin, withoutSsh, unknown, unknownWorkspace)) {
            assertThat(refused.exit()).isEqualTo(255);
            assertThat(refused.err()).contains("Permission denied (publickey)");
        }
        assertThat(server.log()).contains("refused: SSH access is disabled on the instance",
                "refused: the key offered is not the instance's registered key");
    }

    @Test
    @Order(4)
    void scpAndSftpCopyFilesBothWays() throws IOException {
        var original = scratch.resolve("payload.bin");
        var bytes = new byte[300_000];
        new Random(7).nextBytes(bytes);
        Files.write(original, bytes);
        var destination = login(WITH_SSH);

        for (var mode : List.of(List.<String>of(), List.of("-O"))) {
            var name = mode.isEmpty() ? "via-sftp.bin" : "via-scp.bin";
            var up = openSsh.scp(key, mode, original.toString(), destination + ":" + name);
            assertThat(up.exit()).as(up.err()).isZero();
            var back = scratch.resolve("back-" + name);
            var down = openSsh.scp(key, mode, destination + ":" + name, back.toString());
            assertThat(down.exit()).as(down.err()).isZero();
            assertThat(Files.readAllBytes(back)).isEqualTo(bytes);
        }

        var batch = scratch.resolve("sftp-batch");
        var fromSftp = scratch.resolve("from-sftp.bin");
        Files.writeString(batch, "put " + original + " sftp.bin\nget sftp.bin " + fromSftp + "\nls\n");
        var sftp = openSsh.sftp(key, batch, destination);
        assertThat(sftp.exit()).as(sftp.err()).isZero();
        assertThat(sftp.out()).contains("sftp.bin", "via-scp.bin");
        assertThat(Files.readAllBytes(fromSftp)).isEqualTo(bytes);
    }

    @Test
    @Order(5)
    void localForwardingReachesAPortInsideTheInstanceAndNothingElse() throws Exception {
        var inside = freePort();
        var serve = ssh(login(WITH_SSH), "echo forwarded > marker.txt; nohup python3 -m http.server --bind"
                + " 127.0.0.1 " + inside + " > /dev/null 2>&1 & echo $! > http.pid");
        assertThat(serve.exit()).as(serve.err()).isZero();
        try {
            assertThat(fetchThroughForward(openSsh, key, login(WITH_SSH), inside, "/marker.txt"))
                    .isEqualTo("forwarded\n");
        } finally {
            ssh(login(WITH_SSH), "kill $(cat http.pid)");
        }

        var elsewhere = freePort();
        var refused = openSsh.start(sshCommand("-N", "-L", elsewhere + ":example.invalid:80", login(WITH_SSH)));
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            try (var socket = new Socket("127.0.0.1", elsewhere)) {
                socket.setSoTimeout(10_000);
                return socket.getInputStream().read() == -1;
            }
        });
        refused.process().destroy();
        refused.process().waitFor(10, TimeUnit.SECONDS);
        assertThat(Files.readString(refused.err())).contains("administratively prohibited");

        var remote = ssh("-o", "ExitOnForwardFailure=yes", "-R", "0:localhost:22", login(WITH_SSH), "true");
        assertThat(remote.exit()).isEqualTo(255);
        assertThat(remote.err()).contains("remote port forwarding failed");
    }

    @Test
    @Order(6)
    void theApiShowsHowToConnectAndSshIsFixedAtCreation() {
        var compute = get(WITH_SSH).at("/properties/properties");
        assertThat(compute.at("/sshSettings/sshPublicAccess").asText()).isEqualTo("Enabled");
        assertThat(compute.at("/sshSettings/adminUserName").asText()).matches(LocalInstances.userPattern());
        assertThat(compute.at("/sshSettings/sshPort").asInt()).isEqualTo(server.sshPort());
        assertThat(compute.at("/sshSettings/adminPublicKey").asText()).isEqualTo(OpenSsh.publicKey(key));
        assertThat(compute.at("/connectivityEndpoints/publicIpAddress").asText()).isEqualTo("127.0.0.1");
        var plain = get(WITHOUT_SSH).at("/properties/properties/sshSettings");
        assertThat(plain.get("sshPublicAccess").asText()).isEqualTo("Disabled");
        assertThat(plain.get("sshPort").isNull()).isTrue();

        var renamed = OpenSsh.publicKey(key).replaceAll(" [^ ]*$", " renamed@laptop");
        var same = put(WITH_SSH, sshSettings("Enabled", renamed));
        assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
        var withoutSettings = put(WITH_SSH, "");
        assertThat(withoutSettings.statusCode()).as(withoutSettings.body()).isEqualTo(200);
        for (var change : List.of(sshSettings("Enabled", OpenSsh.publicKey(otherKey)), sshSettings("Disabled", null))) {
            var refused = put(WITH_SSH, change);
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(Https.json(refused).at("/error/code").asText()).isEqualTo("SshSettingsCannotBeUpdated");
        }
        var enable = put(WITHOUT_SSH, sshSettings("Enabled", OpenSsh.publicKey(key)));
        assertThat(enable.statusCode()).isEqualTo(400);
        assertThat(Https.json(enable).at("/error/code").asText()).isEqualTo("SshSettingsCannotBeUpdated");
        assertThat(ssh(login(WITH_SSH), "true").exit()).as("the key still works").isZero();
    }

    @Test
    @Order(7)
    void aStoppedInstanceSaysSoAndTheHostKeyOutlivesARestart() {
        var stop = https.send("POST", WS + "/computes/" + WITH_SSH + "/stop", server.adminToken(), null);
        assertThat(stop.statusCode()).as(stop.body()).isEqualTo(202);
        https.waitForOperation(stop.headers().firstValue("Azure-AsyncOperation").orElseThrow(), server.adminToken());

        var stopped = ssh(login(WITH_SSH), "true");
        assertThat(stopped.exit()).isEqualTo(1);
        assertThat(stopped.err()).contains("Compute instance '" + WITH_SSH + "' is Stopped; start it first.");

        var fingerprint = hostKeyLine(server.output());
        server.close();
        server.start();
        assertThat(hostKeyLine(server.output())).isEqualTo(fingerprint);
        // known_hosts holds the first start's key, and now nothing else is accepted
        var again = ssh("-o", "StrictHostKeyChecking=yes", login(WITH_SSH), "true");
        assertThat(again.err()).doesNotContain("HOST IDENTIFICATION HAS CHANGED")
                .contains("Compute instance '" + WITH_SSH + "' is Stopped; start it first.");
        assertThat(again.exit()).isEqualTo(1);
    }

    /**
     * GETs {@code path} from an HTTP server on {@code port} inside the instance through {@code ssh -N -L}, retrying
     * until it answers 200; the tunnel ends with {@code openSsh}.
     */
    static String fetchThroughForward(OpenSsh openSsh, Path key, String destination, int port, String path)
            throws IOException, InterruptedException {
        var local = freePort();
        openSsh.start(openSsh.sshCommand(key, List.of("-N", "-o", "ExitOnForwardFailure=yes", "-L",
                local + ":localhost:" + port, destination)));
        var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + local + path))
                .timeout(Duration.ofSeconds(10)).build();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                .until(() -> http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        String body = null;
        for (int i = 0; i < 3; i++) {
            var again = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(body == null || body.equals(again.body())).isTrue();
            body = again.body();
        }
        return body;
    }

    // ---- helpers ----

    static String login(String compute) {
        return compute + ".default@127.0.0.1";
    }

    static String sshSettings(String access, String publicKey) {
        return ",\"sshSettings\":{\"sshPublicAccess\":\"" + access + "\"" + (publicKey == null ? ""
                : ",\"adminPublicKey\":\"" + publicKey.strip() + "\"") + "}";
    }

    private static void create(String name, String settings) {
        var created = put(name, settings);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        var status = https.waitForOperation(created.headers().firstValue("Azure-AsyncOperation").orElseThrow(),
                server.adminToken());
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("Succeeded");
    }

    private static HttpResponse<String> put(String name, String settings) {
        return https.send("PUT", WS + "/computes/" + name, server.adminToken(), BODY.formatted(settings));
    }

    private static JsonNode get(String name) {
        var response = https.send("GET", WS + "/computes/" + name, server.adminToken(), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Https.json(response);
    }

    private static String hostKeyLine(List<String> output) {
        return output.stream().filter(line -> line.contains("ssh gateway:")).findFirst().orElseThrow();
    }

    /** ssh with the registered key: options, the destination, a command. */
    private static OpenSsh.Result ssh(String... arguments) {
        return openSsh.ssh(key, arguments);
    }

    private static List<String> sshCommand(String... arguments) {
        return openSsh.sshCommand(key, List.of(arguments));
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
