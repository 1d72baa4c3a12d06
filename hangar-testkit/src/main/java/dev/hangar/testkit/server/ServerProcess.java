package dev.hangar.testkit.server;

import static org.awaitility.Awaitility.await;

import dev.hangar.testkit.process.Ports;
import dev.hangar.testkit.time.Waits;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real Hangar server process, started from the packaged jar as a user would start it, on a free loopback port
 * with its own data directory. It can be killed with SIGKILL and started again on the same data and address.
 *
 * <p>The jar is {@code hangar-server/target/hangar-server.jar} of the checkout the working directory is in (the
 * system property {@code hangar.server.jar} names another); the module using this fixture must build after
 * hangar-server.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Path JAR = locateJar();
    private static final Pattern SSH_BANNER = Pattern.compile("ssh gateway: +port (\\d+)");

    private final Path data;
    private final int port;
    private final int chosenSshPort;
    private int sshPort = -1;
    private final Map<String, String> environment;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private Process process;
    private String adminToken;

    public ServerProcess(Path data, Map<String, String> extraEnvironment) {
        this.data = data;
        this.port = Ports.freeLoopback();
        this.chosenSshPort = Ports.freeLoopback();
        this.environment = new HashMap<>(extraEnvironment);
    }

    /** Starts the server and waits until it printed its banner. */
    public ServerProcess start() {
        var java = ProcessHandle.current().info().command().orElse("java");
        var command = new ArrayList<String>();
        command.add(java);
        command.addAll(jvmOptions());
        command.addAll(List.of("-jar", JAR.toString()));
        var builder = new ProcessBuilder(command);
        builder.environment().put("HANGAR_DATA_DIRECTORY", data.toString());
        builder.environment().put("HANGAR_SERVER_PORT", Integer.toString(port));
        // Its own SSH port, kept across restarts like the HTTPS one, so that known_hosts entries stay valid.
        builder.environment().put("HANGAR_SSH_PORT", Integer.toString(chosenSshPort));
        builder.environment().put("HANGAR_RECONCILE_RESYNC_INTERVAL", "PT2S");
        builder.environment().putAll(environment);
        builder.redirectError(ProcessBuilder.Redirect.appendTo(data.resolve("server.log").toFile()));
        try {
            Files.createDirectories(data);
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start " + JAR, e);
        }
        output.clear();
        var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread.ofVirtual().start(() -> reader.lines().forEach(output::add));
        try {
            await().atMost(Waits.DAEMON_START).until(() -> banner() || !process.isAlive());
        } catch (RuntimeException e) {
            // A server that never came up is not left running behind the failed test.
            close();
            throw new IllegalStateException("Hangar did not print its banner within 60 s: " + log(), e);
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("Hangar exited with " + process.exitValue() + ": " + log());
        }
        var lines = new ArrayList<>(output);
        for (int i = 0; i < lines.size() - 1; i++) {
            if (lines.get(i).contains("Its API token is shown only now")) {
                adminToken = lines.get(i + 1).strip();
            }
        }
        sshPort = lines.stream().map(SSH_BANNER::matcher).filter(Matcher::find)
                .mapToInt(matcher -> Integer.parseInt(matcher.group(1))).findFirst().orElse(-1);
        return this;
    }

    private boolean banner() {
        return output.stream().anyMatch(line -> line.startsWith("Press Ctrl+C"));
    }

    public List<String> output() {
        return List.copyOf(output);
    }

    public String log() {
        try {
            return Files.readString(data.resolve("server.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGKILL: no shutdown hook runs, as in a crash. */
    public void kill() {
        process.destroyForcibly();
        await().atMost(Duration.ofSeconds(30)).until(() -> !process.isAlive());
    }

    public URI url() {
        return URI.create("https://127.0.0.1:" + port);
    }

    /** The port of the SSH gateway the banner names; -1 when it is off. */
    public int sshPort() {
        return sshPort;
    }

    /** The admin token printed at first start. */
    public String adminToken() {
        return adminToken;
    }

    public Path certificate() {
        return data.resolve("tls").resolve("server.crt");
    }

    /** A TLS context that trusts this server's certificate and nothing else. */
    public SSLContext trustingContext() {
        return trusting(certificate());
    }

    /** A TLS context that trusts the PEM certificate in {@code certificate} and nothing else. */
    public static SSLContext trusting(Path certificate) {
        try (InputStream in = Files.newInputStream(certificate)) {
            var store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("hangar", CertificateFactory.getInstance("X.509").generateCertificate(in));
            var trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            var context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot trust " + certificate, e);
        }
    }

    public Path data() {
        return data;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        // Run as root, the server made an account per instance: they are removed when the tests' JVM ends.
        LocalInstances.removeAccountsAtExit(data);
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** The options bin/hangar-server starts the server with: {@code hangar-server/jvm.options} beside the jar's target. */
    private static List<String> jvmOptions() {
        var file = JAR.getParent().getParent().resolve("jvm.options");
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return Files.readAllLines(file).stream().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + file, e);
        }
    }

    private static Path locateJar() {
        var named = System.getProperty("hangar.server.jar");
        if (named != null) {
            return Path.of(named).toAbsolutePath();
        }
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            var jar = dir.resolve("hangar-server").resolve("target").resolve("hangar-server.jar");
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        }
        throw new IllegalStateException("No hangar-server/target/hangar-server.jar above " + Path.of("").toAbsolutePath()
                + "; build hangar-server first (./mvnw package -pl hangar-server -am)");
    }
}
