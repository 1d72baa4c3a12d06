package dev.hangar.bench;

import dev.hangar.api.SessionInfo.WorkspaceRef;
import dev.hangar.client.ComputeClient;
import dev.hangar.client.HangarClient;
import dev.hangar.testkit.process.HostProcesses;
import dev.hangar.testkit.server.ServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.net.ssl.SSLContext;

/**
 * A real Hangar server process on a fresh temporary data directory, as a user runs it (the default settings, the
 * embedded database, the host-process backend unless told otherwise), with a client signed in as its admin.
 * {@link #close()} deletes every compute on it, stops it, checks that no instance process outlived it and removes the
 * data directory.
 */
final class BenchServer implements AutoCloseable {
    /** The local backend tags every process it starts with this variable, set to the compute's id. */
    static final String PROCESS_TAG = "HANGAR_COMPUTE_ID";
    private static final Duration DELETE_TIMEOUT = Duration.ofMinutes(2);
    private static final int LOG_LINES_ON_FAILURE = 40;

    private final Path data;
    private final ServerProcess process;
    private final HangarClient client;
    private final WorkspaceRef workspace;
    private final SSLContext tls;
    private final String installId;
    private final Set<UUID> instanceIds = new LinkedHashSet<>();
    private List<ProcessHandle> leftovers = List.of();
    // Ctrl+C mid-run: the server dies with the bench's process group, but Jupyter runs in sessions of its own.
    private final Thread onInterrupt = Thread.ofPlatform().unstarted(this::cleanUpAfterInterrupt);

    private BenchServer(Path data, ServerProcess process) {
        this.data = data;
        this.process = process;
        this.client = HangarClient.builder().server(process.url()).token(process.adminToken())
                .caCertificate(process.certificate()).requestTimeout(Duration.ofSeconds(60)).build();
        this.workspace = client.session().defaultWorkspace();
        this.tls = process.trustingContext();
        try {
            this.installId = Files.readString(data.resolve("install-id")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("The server wrote no install id in " + data, e);
        }
    }

    /** A server on the default settings: the host-process backend. */
    static BenchServer start() {
        return start(Map.of());
    }

    /**
     * A server on the default settings but those in {@code environment} ({@code HANGAR_*} variables), e.g. the
     * container backend.
     */
    static BenchServer start(Map<String, String> environment) {
        Path data;
        try {
            data = Files.createTempDirectory("hangar-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // The fixture shortens the resync interval for tests; the bench measures the shipped default.
        var settings = new HashMap<String, String>();
        settings.put("HANGAR_RECONCILE_RESYNC_INTERVAL", "PT30S");
        settings.putAll(environment);
        var process = new ServerProcess(data, settings);
        try {
            process.start();
            var server = new BenchServer(data, process);
            Runtime.getRuntime().addShutdownHook(server.onInterrupt);
            return server;
        } catch (RuntimeException | Error e) {
            // The process may be up although start() failed (e.g. no banner in time): it must not outlive the bench.
            process.close();
            deleteTree(data);
            throw e;
        }
    }

    URI url() {
        return process.url();
    }

    String token() {
        return process.adminToken();
    }

    SSLContext tls() {
        return tls;
    }

    WorkspaceRef workspace() {
        return workspace;
    }

    /** The administrator's client. */
    HangarClient client() {
        return client;
    }

    ComputeClient computes() {
        return client.workspace(workspace);
    }

    long pid() {
        return process.pid();
    }

    /**
     * The server's install id (its data directory's {@code install-id}), which the container backend puts on every
     * container and volume it makes (label {@code dev.hangar.install}).
     */
    String installId() {
        return installId;
    }

    /** Where the Jupyter that the gateway serves at {@code gatewayBase} really listens, with its own token. */
    DirectJupyter directJupyter(URI gatewayBase) {
        return DirectJupyter.behind(data, gatewayBase);
    }

    /** Remembers the ids of the instances the backend holds now, to look for their processes at the end. */
    void noteInstances() {
        var root = data.resolve("backends").resolve("local").resolve("instances");
        if (!Files.isDirectory(root)) {
            return;
        }
        try (var entries = Files.list(root)) {
            entries.map(path -> path.getFileName().toString()).forEach(name -> {
                try {
                    instanceIds.add(UUID.fromString(name));
                } catch (IllegalArgumentException notAnInstance) {
                    // not an instance directory
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Processes of this server's instances that were still running after everything was deleted. */
    List<ProcessHandle> leftovers() {
        return leftovers;
    }

    /** Deletes every compute (issued together, then awaited), stops the server and removes its data. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(onInterrupt);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to; it does no harm after this
        }
        try {
            deleteAllComputes();
        } catch (RuntimeException e) {
            // The data directory, and the log in it, go below: say now what the server was doing.
            var log = process.log().lines().toList();
            System.err.println("bench: deleting the computes failed; the server's last log lines:");
            log.subList(Math.max(0, log.size() - LOG_LINES_ON_FAILURE), log.size()).forEach(System.err::println);
            throw e;
        } finally {
            client.close();
            process.close();
            noteLeftovers();
            deleteTree(data);
        }
    }

    private void deleteAllComputes() {
        noteInstances();
        var computes = computes();
        var deletes = computes.list().stream().map(compute -> computes.delete(compute.name())).toList();
        deletes.forEach(delete -> delete.waitForCompletion(DELETE_TIMEOUT));
    }

    private void cleanUpAfterInterrupt() {
        process.close();
        noteInstances();
        noteLeftovers();
        deleteTree(data);
    }

    private void noteLeftovers() {
        leftovers = instanceIds.stream()
                .flatMap(id -> HostProcesses.withEnvironment(PROCESS_TAG, id.toString()).stream()).toList();
        if (!leftovers.isEmpty()) {
            // They belong to the server this bench started; end them so that the machine is left as found.
            HostProcesses.kill(leftovers, Duration.ofSeconds(10));
        }
    }

    /** Removes a folder the bench made, with all in it; a warning when it cannot. */
    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("WARNING: could not remove " + root + ": " + e.getMessage());
        }
    }
}
