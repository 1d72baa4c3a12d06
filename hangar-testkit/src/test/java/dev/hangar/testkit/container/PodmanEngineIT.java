package dev.hangar.testkit.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine fixture and the instance image together, the way the container backend uses them: Podman's service,
 * and an instance container with Jupyter, limits, an init, the two volumes, a published loopback port and sudo.
 */
class PodmanEngineIT {
    private static final String LABEL = "dev.hangar.test";
    private static final String RUN = "podman-engine-it-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String TOKEN = "it-" + UUID.randomUUID();
    private static final String BASE = "/workspaces/it/computes/c1/apps/jupyter/";
    private static final HttpClient HTTP = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(1)).build();

    private static PodmanEngine engine;
    private static String image;

    @BeforeAll
    static void start() {
        var started = System.nanoTime();
        engine = PodmanEngine.start();
        report("engine start (service answers /_ping)", started);
        image = InstanceImage.reference();
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            try {
                engine.removeLabelled(LABEL, RUN);
            } finally {
                engine.close();
            }
        }
    }

    @Test
    void servesTheDockerApiOnItsSocketAndStopsOnClose() throws IOException {
        assertThat(engine.ping()).isTrue();
        assertThat(engine.dockerHost()).isEqualTo("unix://" + engine.socket());
        assertThat(Files.readString(engine.containersConf()))
                .contains("runtime = \"runc\"", "cgroup_manager = \"cgroupfs\"", "events_logger = \"file\"",
                        "\"nofile=", "\"nproc=");
        assertThat(engine.podman("info", "--format", "{{.Host.OCIRuntime.Name}}").requireSuccess().output().strip())
                .isEqualTo("runc");

        var started = System.nanoTime();
        var second = PodmanEngine.start();
        report("second engine start", started);
        var directory = second.directory();
        assertThat(second.ping()).isTrue();
        second.close();
        assertThat(second.ping()).isFalse();
        assertThat(directory).doesNotExist();
    }

    @Test
    void runsAnInstanceWhoseJupyterAnswersAndWhoseHomeOutlivesAStop() {
        var name = RUN + "-instance";
        var home = volume(name + "-home");
        var envs = volume(name + "-envs");
        var port = freePort();

        var created = System.nanoTime();
        engine.podman("run", "--detach", "--name", name, "--label", LABEL + "=" + RUN, "--init",
                "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=2048:2048",
                "--memory", "512m", "--memory-swap", "512m", "--cpus", "1", "--pids-limit", "256",
                "--network", "bridge", "--publish", "127.0.0.1:" + port + ":8888",
                "--volume", home + ":/home/azureuser", "--volume", envs + ":/opt/hangar/envs",
                "--env", "JUPYTER_TOKEN=" + TOKEN, "--env", "HANGAR_BASE_URL=" + BASE,
                image).requireSuccess();
        awaitJupyter(port);
        report("create+start -> Jupyter ready", created);

        assertThat(get(port, "api/kernels", null).statusCode()).as("without the token").isEqualTo(403);
        assertThat(inspect(name, "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}"
                + " {{.HostConfig.Init}}")).isEqualTo("536870912 1000000000 256 true");
        assertThat(exec(name, "root", "id", "azureuser"))
                .startsWith("uid=1000(azureuser) gid=1000(azureuser)");
        assertThat(exec(name, "azureuser", "sudo", "-n", "true")).isEmpty();
        assertThat(exec(name, "azureuser", "bash", "-c", "ulimit -n; ulimit -u")).isEqualTo("4096\n2048");
        assertThat(exec(name, "root", "sh", "-c", "ps -o uid=,ppid= -p $(pgrep -f -o jupyter-notebook)"))
                .as("Jupyter runs as azureuser, right under the init").matches("1000\\s+1");
        exec(name, "azureuser", "sh", "-c", "echo kept > ~/kept.txt && mkdir /opt/hangar/envs/venvs");

        timed("stop (SIGTERM to Jupyter)", () -> engine.podman("stop", "--time", "10", name).requireSuccess());
        assertThat(inspect(name, "{{.State.ExitCode}}")).as("Jupyter ended on SIGTERM, not killed").isEqualTo("0");
        var restarted = System.nanoTime();
        engine.podman("start", name).requireSuccess();
        awaitJupyter(port);
        report("start (stopped) -> Jupyter ready", restarted);
        assertThat(exec(name, "azureuser", "sh", "-c", "cat ~/kept.txt && stat -c %U /opt/hangar/envs/venvs"))
                .isEqualTo("kept\nazureuser");

        engine.removeLabelled(LABEL, RUN);
        assertThat(engine.podman("ps", "--all", "--quiet", "--filter", "label=" + LABEL + "=" + RUN)
                .requireSuccess().lines()).isEmpty();
        assertThat(engine.podman("volume", "ls", "--quiet", "--filter", "label=" + LABEL + "=" + RUN)
                .requireSuccess().lines()).isEmpty();
    }

    @Test
    void seedsAnEmptyHomeAndGivesItToTheUser() throws IOException {
        var empty = Files.createTempDirectory("hangar-empty-home-");
        try {
            var result = engine.podman("run", "--rm", "--label", LABEL + "=" + RUN, "--init", "--network", "none",
                    "--volume", empty + ":/home/azureuser", image,
                    "sh", "-c", "stat -c %U /home/azureuser && ls -A /home/azureuser").requireSuccess();
            assertThat(result.lines()).containsExactly("azureuser", ".bash_logout", ".bashrc", ".profile");
        } finally {
            deleteRecursively(empty);
        }
    }

    private static String volume(String name) {
        engine.podman("volume", "create", "--label", LABEL + "=" + RUN, name).requireSuccess();
        return name;
    }

    private static void awaitJupyter(int port) {
        Awaitility.await("Jupyter on 127.0.0.1:" + port + BASE + "api").atMost(Duration.ofSeconds(60))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> {
                    var response = get(port, "api", TOKEN);
                    return response.statusCode() == 200 && response.body().contains("\"version\"");
                });
    }

    private static HttpResponse<String> get(int port, String path, String token) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + BASE + path))
                .timeout(Duration.ofSeconds(2));
        if (token != null) {
            request.header("Authorization", "token " + token);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String exec(String container, String user, String... command) {
        var arguments = new String[command.length + 4];
        arguments[0] = "exec";
        arguments[1] = "--user";
        arguments[2] = user;
        arguments[3] = container;
        System.arraycopy(command, 0, arguments, 4, command.length);
        return engine.podman(arguments).requireSuccess().output().strip();
    }

    private static String inspect(String container, String format) {
        return engine.podman("inspect", "--format", format, container).requireSuccess().output().strip();
    }

    private static void timed(String what, Runnable action) {
        var started = System.nanoTime();
        action.run();
        report(what, started);
    }

    private static void report(String what, long startedNanos) {
        System.out.printf("[PodmanEngineIT] %s: %d ms%n", what, (System.nanoTime() - startedNanos) / 1_000_000);
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
