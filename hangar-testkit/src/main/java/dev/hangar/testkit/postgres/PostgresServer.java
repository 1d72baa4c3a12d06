package dev.hangar.testkit.postgres;

import dev.hangar.testkit.time.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A throwaway PostgreSQL cluster for tests, run from Debian's {@code postgresql} package: its own data directory in a
 * temporary folder, listening only on 127.0.0.1 on a free port, with trust authentication for loopback. It never
 * touches the distribution's default cluster.
 *
 * <pre>{@code
 * try (var postgres = PostgresServer.start()) {
 *     var url = postgres.createDatabase("t1");   // a fresh, empty database
 *     ... connect to url as postgres.username(), no password
 * }
 * }</pre>
 *
 * <p>PostgreSQL refuses to run as root, so as root the cluster runs as the {@code postgres} OS user. {@link #close()}
 * stops the server ({@code pg_ctl stop -m fast}) and deletes its folder; a JVM shutdown hook does the same if a test
 * forgets. Thread-safe.
 */
public final class PostgresServer implements AutoCloseable {
    private static final String USERNAME = "hangar";
    private static final String DEFAULT_DATABASE = "hangar";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final PostgresInstallation installation;
    private final Path directory;
    private final int port;
    private final Thread shutdownHook;
    private boolean closed;

    private PostgresServer(PostgresInstallation installation, Path directory, int port) {
        this.installation = installation;
        this.directory = directory;
        this.port = port;
        this.shutdownHook = new Thread(this::stopAndDelete, "postgres-server-stop");
    }

    /**
     * Creates, starts and returns a new cluster with one empty database ({@link #jdbcUrl()}).
     *
     * @throws IllegalStateException when PostgreSQL is not installed (the message names the fix) or will not start
     */
    public static PostgresServer start() {
        var installation = PostgresInstallation.find();
        Path directory;
        try {
            directory = Files.createTempDirectory("hangar-postgres-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var server = new PostgresServer(installation, directory, freePort());
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        try {
            server.initialize();
            server.createDatabase(DEFAULT_DATABASE);
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void initialize() {
        installation.handOver(directory);
        installation.run(directory, commandLog(), installation.bin("initdb"), "-D", dataDirectory().toString(),
                "-U", USERNAME, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync");
        appendSettings();
        installation.run(directory, commandLog(), installation.bin("pg_ctl"), "start", "-D", dataDirectory().toString(),
                "-l", directory.resolve("postgres.log").toString(), "-w", "-t",
                String.valueOf(Waits.DAEMON_START.toSeconds()));
    }

    // Loopback only, the socket in our own folder, and speed over durability: the data is thrown away.
    private void appendSettings() {
        var settings = String.join("\n",
                "",
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = '" + directory + "'",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "max_connections = 200",
                "");
        try {
            Files.writeString(dataDirectory().resolve("postgresql.conf"), settings, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates an empty database and returns its JDBC URL. */
    public synchronized String createDatabase(String name) {
        installation.run(directory, commandLog(), installation.bin("createdb"), "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-U", USERNAME, name);
        return jdbcUrl(name);
    }

    /** Creates an empty database with a name of its own and returns its JDBC URL. */
    public String createDatabase() {
        return createDatabase("db" + DATABASES.incrementAndGet());
    }

    /** The JDBC URL of the database created at start. */
    public String jdbcUrl() {
        return jdbcUrl(DEFAULT_DATABASE);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The superuser; it needs no password. */
    public String username() {
        return USERNAME;
    }

    public String password() {
        return "";
    }

    public int port() {
        return port;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it stops the server itself.
            return;
        }
        stopAndDelete();
    }

    private void stopAndDelete() {
        try {
            if (Files.exists(dataDirectory().resolve("postmaster.pid"))) {
                installation.stop(directory, commandLog(), dataDirectory());
            }
        } finally {
            deleteRecursively(directory);
        }
    }

    private Path dataDirectory() {
        return directory.resolve("data");
    }

    private Path commandLog() {
        return directory.resolve("commands.log");
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot find a free port on 127.0.0.1", e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            List<Path> all = new ArrayList<>(paths.toList());
            for (int i = all.size() - 1; i >= 0; i--) {
                Files.deleteIfExists(all.get(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + root, e);
        }
    }
}
