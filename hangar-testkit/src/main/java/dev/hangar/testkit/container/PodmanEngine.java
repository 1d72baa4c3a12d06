package dev.hangar.testkit.container;

import dev.hangar.testkit.process.CommandResult;
import dev.hangar.testkit.process.Commands;
import dev.hangar.testkit.time.Waits;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.awaitility.Awaitility;

/**
 * A Docker-compatible engine for tests: Podman's API service ({@code podman system service}) on a Unix socket of its
 * own in a temporary folder, run with Hangar's {@code containers.conf} (runc, cgroupfs, file events, default ulimits
 * within this host's hard limits), the file {@code bin/lib/containers.sh} writes for {@code bin/test} too. Docker
 * clients (docker-java) connect to {@link #dockerHost()}; tests inspect and clean up with {@link #podman(String...)},
 * which runs the CLI with the same configuration.
 *
 * <pre>{@code
 * static PodmanEngine engine;
 * @BeforeAll static void start() { engine = PodmanEngine.start(); }   // ~150 ms
 * @AfterAll static void stop() { engine.removeLabelled("test", RUN); engine.close(); }
 * ... DockerClient on engine.dockerHost() ...
 * }</pre>
 *
 * <p>Podman runs rootful on the host's image and container storage, so images built by
 * {@code images/instance/build.sh} are there, and containers outlive the service by design: {@link #close()} stops
 * only the service. Tests remove what they create, by a label of their own ({@link #removeLabelled}). One engine per
 * test class is the intended use; every method is thread-safe.
 */
public final class PodmanEngine implements AutoCloseable {
    private static final Duration START_TIMEOUT = Waits.DAEMON_START;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final String CONFIGURATION_SCRIPT = "bin/lib/containers.sh";
    private static final int MAX_SOCKET_PATH = 100;
    private static final byte[] PING =
            "GET /_ping HTTP/1.0\r\nHost: podman\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private static Path configuration;

    private final Path podman;
    private final Path containersConf;
    private final Path directory;
    private final Process service;
    private final Thread shutdownHook;
    private boolean closed;

    private PodmanEngine(Path podman, Path containersConf, Path directory, Process service) {
        this.podman = podman;
        this.containersConf = containersConf;
        this.directory = directory;
        this.service = service;
        this.shutdownHook = new Thread(this::stopAndDelete, "podman-engine-stop");
    }

    /**
     * Writes the configuration (when it changed), starts the API service with its socket in a new temporary folder and
     * waits until it answers {@code GET /_ping}.
     *
     * @throws IllegalStateException when Podman or what it needs is not installed (the message names the
     *     {@code apt-get} line), or when the service does not start (the message holds its log)
     */
    public static PodmanEngine start() {
        var podman = PodmanInstallation.podman();
        var containersConf = configuration();
        var directory = socketFolder();
        var socket = directory.resolve("podman.sock");
        var log = directory.resolve("service.log");
        var builder = new ProcessBuilder(podman.toString(), "system", "service", "--time=0", "unix://" + socket)
                .redirectInput(new File("/dev/null"))
                .redirectErrorStream(true)
                // A file, not a pipe: nobody reads the service's output while it runs.
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("CONTAINERS_CONF", containersConf.toString());
        Process service;
        try {
            service = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + podman, e);
        }
        var engine = new PodmanEngine(podman, containersConf, directory, service);
        Runtime.getRuntime().addShutdownHook(engine.shutdownHook);
        try {
            engine.awaitPing(log);
            return engine;
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    // One source for scripts and tests, in one place that outlives every engine: conmon runs `podman container
    // cleanup` with this CONTAINERS_CONF whenever a container exits, long after the service that started it is gone.
    // Its content depends on this process's hard limits only, so once per JVM is enough.
    private static synchronized Path configuration() {
        if (configuration == null) {
            var script = Checkout.file(CONFIGURATION_SCRIPT);
            var written = Commands.run(List.of("bash", "-c", ". \"$1\" && hangar_write_containers_conf", "bash",
                    script.toString()), Map.of()).requireSuccess().lines();
            configuration = Path.of(written.getLast());
        }
        return configuration;
    }

    // A Unix socket's path must fit in 108 bytes (sun_path), which a deep java.io.tmpdir may not leave.
    private static Path socketFolder() {
        try {
            var folder = Files.createTempDirectory("hangar-podman-");
            if (folder.resolve("podman.sock").toString().length() <= MAX_SOCKET_PATH) {
                return folder;
            }
            Files.delete(folder);
            return Files.createTempDirectory(Path.of("/tmp"), "hangar-podman-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a folder for Podman's socket", e);
        }
    }

    private void awaitPing(Path log) {
        Awaitility.await("Podman's API service on " + socket() + " to answer GET /_ping")
                .atMost(START_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    if (!service.isAlive()) {
                        throw new IllegalStateException("Podman's API service exited with code " + service.exitValue()
                                + ":\n" + Files.readString(log).strip());
                    }
                    return ping();
                });
    }

    /** Whether the service answers {@code GET /_ping} with {@code OK}, within a second. */
    boolean ping() {
        if (!Files.exists(socket())) {
            return false;
        }
        try (var channel = SocketChannel.open(UnixDomainSocketAddress.of(socket()))) {
            channel.write(ByteBuffer.wrap(PING));
            // HTTP/1.0: the service closes the connection after its answer. Closing the channel ends a stuck read.
            var reply = new FutureTask<>(() -> new String(Channels.newInputStream(channel).readAllBytes(),
                    StandardCharsets.US_ASCII));
            Thread.ofVirtual().start(reply);
            var text = reply.get(1, TimeUnit.SECONDS);
            return text.matches("(?s)HTTP/1\\.[01] 200 [^\\r]*\\r\\n.*") && text.endsWith("\r\n\r\nOK");
        } catch (IOException | ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The temporary folder of this engine: its socket and the service's log. */
    public Path directory() {
        return directory;
    }

    /** The service's Unix socket; its path fits a socket address (under 100 bytes). */
    public Path socket() {
        return directory.resolve("podman.sock");
    }

    /**
     * The address a Docker client connects to, {@code unix:///tmp/hangar-podman-.../podman.sock}: docker-java's
     * {@code withDockerHost(engine.dockerHost())} with the httpclient5 or zerodep transport. Podman serves API
     * version 1.41 and unversioned paths.
     */
    public String dockerHost() {
        return "unix://" + socket();
    }

    /**
     * The configuration the service and {@link #podman(String...)} run with (as {@code CONTAINERS_CONF}):
     * {@code ~/.cache/hangar/containers.conf}, shared with {@code bin/test} and kept after {@link #close()}.
     */
    public Path containersConf() {
        return containersConf;
    }

    /**
     * Runs the podman CLI with this engine's configuration, for example {@code podman("inspect", "--format",
     * "{{.State.Status}}", name)}, and returns how it ended; it never throws on a non-zero exit code (see
     * {@link CommandResult#requireSuccess()}).
     */
    public CommandResult podman(String... arguments) {
        var command = new ArrayList<String>();
        command.add(podman.toString());
        command.addAll(List.of(arguments));
        return Commands.run(command, Map.of("CONTAINERS_CONF", containersConf().toString()));
    }

    /**
     * Force-removes every container, running or not, and then every volume that carries the label
     * {@code key=value}. Does nothing when there is none.
     *
     * @throws IllegalStateException when podman fails to remove one
     */
    public void removeLabelled(String key, String value) {
        var filter = "label=" + key + "=" + value;
        var containers = podman("ps", "--all", "--quiet", "--filter", filter).requireSuccess().lines();
        if (!containers.isEmpty()) {
            podman(concat(List.of("rm", "--force", "--time", "0"), containers)).requireSuccess();
        }
        var volumes = podman("volume", "ls", "--quiet", "--filter", filter).requireSuccess().lines();
        if (!volumes.isEmpty()) {
            podman(concat(List.of("volume", "rm", "--force"), volumes)).requireSuccess();
        }
    }

    /**
     * Stops the API service (SIGTERM, then SIGKILL after 10 s) and deletes this engine's folder. Containers keep
     * running. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            return; // the hook is running and stops the service itself
        }
        stopAndDelete();
    }

    private void stopAndDelete() {
        stopService();
        deleteDirectory();
    }

    private void stopService() {
        service.destroy();
        try {
            if (!service.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                service.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            service.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void deleteDirectory() {
        try (var paths = Files.walk(directory)) {
            for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + directory, e);
        }
    }

    private static String[] concat(List<String> first, List<String> second) {
        var all = new ArrayList<>(first);
        all.addAll(second);
        return all.toArray(String[]::new);
    }
}
