package dev.hangar.testkit.process;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs a short command to its end and collects both of its outputs. */
public final class Commands {
    public static final Duration TIMEOUT = Duration.ofMinutes(5);

    private Commands() {
    }

    public static CommandResult run(List<String> command, Map<String, String> environment) {
        var builder = new ProcessBuilder(command).redirectInput(new File("/dev/null"));
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + String.join(" ", command), e);
        }
        // Both pipes are drained while we wait: a command that fills one and blocks would otherwise never end.
        var output = readAsync(process.getInputStream());
        var errors = readAsync(process.getErrorStream());
        try {
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Timed out after " + TIMEOUT + ": " + String.join(" ", command));
            }
            return new CommandResult(command, process.exitValue(), output.get(), errors.get());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", command), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot read the output of " + String.join(" ", command), e.getCause());
        }
    }

    private static CompletableFuture<String> readAsync(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> read(stream), runnable -> Thread.ofVirtual().start(runnable));
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
