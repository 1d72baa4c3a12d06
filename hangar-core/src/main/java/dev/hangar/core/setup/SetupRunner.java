package dev.hangar.core.setup;

import dev.hangar.core.files.FilePath;
import dev.hangar.core.files.FileShare;
import dev.hangar.core.files.ShareDisk;
import dev.hangar.core.spi.BackendException;
import dev.hangar.core.spi.ComputeBackend;
import dev.hangar.core.spi.InstanceContext;
import dev.hangar.core.spi.InstanceSession;
import dev.hangar.core.spi.SessionRequest;
import dev.hangar.core.workspace.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Runs one setup script in an instance, through its backend, as the backend's most privileged user
 * ({@link SessionRequest.AdminCommand}), and keeps what it writes in the workspace's file share,
 * {@code Logs/<instance>/<creation|startup>.log}, as it comes, so that it can be followed while it runs.
 *
 * <p>A script from the share runs as {@code bash <script> <arguments...>} in its own folder, as the instance sees
 * it ({@code ~/cloudfiles/code/...}); an inline one as {@code bash -c <text> <kind>-script <arguments...>} in the
 * instance user's home. Each argument is one word of {@code scriptArguments} ({@link ScriptArguments}), quoted: what
 * the arguments hold never becomes a command of Hangar's. The script gets {@code CI_RESOURCE_GROUP},
 * {@code CI_WORKSPACE}, {@code CI_NAME} and {@code CI_LOCAL_UBUNTU_USER}, as on Azure ML, and Hangar's marker
 * {@value #MARKER}, by which its processes are ended when it times out or is abandoned.
 *
 * <p>Blocking; one run per call.
 */
public final class SetupRunner {
    /** The variable that marks a setup script's processes: {@code HANGAR_SETUP=<compute id>}. */
    public static final String MARKER = "HANGAR_SETUP";
    private static final int TAIL_LINES = 20;
    private static final Duration LOOK_EVERY = Duration.ofSeconds(1);
    /** How long the output is read for after the script exited. */
    private static final Duration AFTER_EXIT = Duration.ofSeconds(3);

    private final ShareDisk shares;
    private final Clock clock;

    /** How a run ended. */
    public sealed interface Outcome {
        /** The share path of the run's log. */
        String log();

        /** The last lines the script wrote. */
        List<String> tail();

        /** The script ended by itself with {@code exitCode}. */
        record Exited(int exitCode, String log, List<String> tail) implements Outcome {
        }

        /** The script ran past its timeout and was ended. */
        record TimedOut(Duration timeout, String log, List<String> tail) implements Outcome {
        }

        /** Nobody wanted the run any more (the instance is being deleted or stopped): it was ended. */
        record Abandoned(String log, List<String> tail) implements Outcome {
        }
    }

    public SetupRunner(ShareDisk shares, Clock clock) {
        this.shares = shares;
        this.clock = clock;
    }

    /** The share path of the log of {@code kind} for the instance: {@code Logs/<instance>/<kind>.log}. */
    public static String logPath(String instanceName, SetupScripts.Kind kind) {
        return FileShare.LOGS + "/" + instanceName + "/" + kind.logName();
    }

    /**
     * Runs {@code script} and waits for it, looking at {@code wanted} once a second: when it turns false, the run is
     * abandoned. Fails with the backend's exception when the script cannot be started at all.
     */
    public Outcome run(ComputeBackend backend, InstanceContext instance, Workspace workspace, SetupScripts.Kind kind,
                       SetupScript script, BooleanSupplier wanted) {
        var logPath = logPath(instance.computeName(), kind);
        var logs = shares.folder(workspace.id()).resolve(FileShare.LOGS);
        shares.makeFolder(logs);
        var folder = logs.resolve(instance.computeName());
        if (!shares.makeFolder(folder)) {
            throw new UncheckedIOException(new IOException(folder + " is not a folder"));
        }
        var file = folder.resolve(kind.logName());
        var started = clock.instant();
        var environment = Map.of("CI_RESOURCE_GROUP", workspace.resourceGroup(), "CI_WORKSPACE", workspace.name(),
                "CI_NAME", instance.computeName(), "CI_LOCAL_UBUNTU_USER", backend.instanceUser(instance.computeId()),
                MARKER, instance.computeId().toString());
        try (var log = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            shares.own(file);
            var tail = new Tail();
            var sink = new LogSink(log, tail);
            sink.note("== Hangar: the " + kind + " script " + describe(script) + ", started at " + started + "\n");
            var session = await(backend.open(instance, new SessionRequest.AdminCommand(line(kind, script),
                    environment)));
            try (session) {
                session.input().close();
                var output = pump(session.output(), sink);
                var errors = pump(session.errors(), sink);
                var deadline = started.plus(script.timeout());
                while (true) {
                    try {
                        int exit = session.exitStatus().toCompletableFuture().get(LOOK_EVERY.toMillis(),
                                TimeUnit.MILLISECONDS);
                        // A service the script left running may hold its output open: what came is enough.
                        output.join(AFTER_EXIT);
                        errors.join(AFTER_EXIT);
                        sink.note("== Hangar: the " + kind + " script exited with " + exit + " after "
                                + seconds(started) + "\n");
                        return new Outcome.Exited(exit, logPath, tail.lines());
                    } catch (TimeoutException stillRunning) {
                        if (!clock.instant().isBefore(deadline)) {
                            end(backend, instance, session);
                            sink.note("\n== Hangar: the " + kind + " script ran past its timeout of "
                                    + script.timeout() + " and was ended\n");
                            return new Outcome.TimedOut(script.timeout(), logPath, tail.lines());
                        }
                        if (!wanted.getAsBoolean()) {
                            end(backend, instance, session);
                            sink.note("\n== Hangar: the " + kind + " script was ended: the instance is no longer"
                                    + " being set up\n");
                            return new Outcome.Abandoned(logPath, tail.lines());
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BackendException.retryable("Interrupted", "Interrupted while the " + kind
                    + " script ran", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("The " + kind + " script's exit status is unknown", e.getCause());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the " + kind + " script's log " + file, e);
        }
    }

    /** The command line: the script and its arguments, each one quoted word. */
    static String line(SetupScripts.Kind kind, SetupScript script) {
        var arguments = new StringBuilder();
        for (var word : ScriptArguments.split(script.arguments())) {
            arguments.append(' ').append(ScriptArguments.quote(word));
        }
        return switch (script.source()) {
            case workspaceStorage -> {
                var path = FilePath.of(script.data());
                var folder = InstanceContext.FILE_SHARE_MOUNT + (path.segments().size() > 1
                        ? "/" + String.join("/", path.segments().subList(0, path.segments().size() - 1)) : "");
                yield "cd -- " + ScriptArguments.quote(folder) + " && exec bash -- "
                        + ScriptArguments.quote("./" + path.name()) + arguments;
            }
            case inline -> "exec bash -c " + ScriptArguments.quote(SetupScriptRules.text(kind, script, ""))
                    + " " + kind + "-script" + arguments;
        };
    }

    private static String describe(SetupScript script) {
        var what = script.source() == SetupScript.Source.inline ? "(inline)" : script.data();
        return script.arguments() == null ? what : what + " with arguments " + script.arguments();
    }

    private static void end(ComputeBackend backend, InstanceContext instance, InstanceSession session) {
        session.close();
        try {
            await(backend.endProcesses(instance, Set.of(MARKER + "=" + instance.computeId())));
        } catch (RuntimeException | InterruptedException | ExecutionException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            // The session is closed; a stop or delete of the instance ends whatever is left.
        }
    }

    private static <T> T await(CompletionStage<T> stage)
            throws InterruptedException, ExecutionException {
        try {
            return stage.toCompletableFuture().get(2, TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            throw new ExecutionException(BackendException.retryable("BackendTimeout",
                    "The backend did not answer within 2 minutes", e));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    private String seconds(Instant since) {
        var took = Duration.between(since, clock.instant());
        return String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0);
    }

    private static Thread pump(InputStream from, LogSink sink) {
        return Thread.ofVirtual().start(() -> {
            var buffer = new byte[8192];
            try {
                for (int n; (n = from.read(buffer)) >= 0; ) {
                    sink.write(buffer, n);
                }
            } catch (IOException ignored) {
                // The session ended; what came is in the log.
            }
        });
    }

    /** The log file, written by both streams' pumps a chunk at a time, and flushed so a follower sees it at once. */
    private static final class LogSink {
        private final OutputStream log;
        private final Tail tail;

        LogSink(OutputStream log, Tail tail) {
            this.log = log;
            this.tail = tail;
        }

        synchronized void write(byte[] bytes, int length) throws IOException {
            log.write(bytes, 0, length);
            log.flush();
            tail.add(new String(bytes, 0, length, StandardCharsets.UTF_8));
        }

        synchronized void note(String text) throws IOException {
            log.write(text.getBytes(StandardCharsets.UTF_8));
            log.flush();
        }
    }

    /** The last lines of what the script wrote. */
    private static final class Tail {
        private final ArrayDeque<String> lines = new ArrayDeque<>();
        private final StringBuilder partial = new StringBuilder();

        synchronized void add(String text) {
            partial.append(text);
            for (int end; (end = partial.indexOf("\n")) >= 0; ) {
                keep(partial.substring(0, end));
                partial.delete(0, end + 1);
            }
        }

        private void keep(String line) {
            lines.addLast(line.length() > 500 ? line.substring(0, 500) + "…" : line);
            if (lines.size() > TAIL_LINES) {
                lines.removeFirst();
            }
        }

        synchronized List<String> lines() {
            var all = new ArrayList<>(lines);
            if (!partial.isEmpty()) {
                all.add(partial.toString());
                if (all.size() > TAIL_LINES) {
                    all.removeFirst();
                }
            }
            return all;
        }
    }
}
