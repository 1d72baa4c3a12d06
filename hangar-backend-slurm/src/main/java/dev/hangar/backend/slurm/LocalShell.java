package dev.hangar.backend.slurm;

import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.ssh.client.CommandShell;
import dev.hangar.ssh.client.ShellQuoting;
import dev.hangar.ssh.client.ShellResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Runs Slurm's commands as processes of Hangar's own host. */
final class LocalShell implements CommandShell {

    @Override
    public ShellResult run(List<String> command, InputStream input, OutputStream output, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw EngineException.fatal(SlurmFailures.COMMAND_FAILED, "Cannot run "
                    + ShellQuoting.commandLine(command) + ": " + e.getMessage());
        }
        // Every pipe is served at once: a command that fills one while we wait on another would never end.
        var feeding = async(() -> {
            try (var stdin = process.getOutputStream()) {
                input.transferTo(stdin);
            }
        });
        var reading = async(() -> {
            try (var stdout = process.getInputStream()) {
                stdout.transferTo(output);
            }
        });
        var errors = new ByteArrayOutputStream();
        var readingErrors = async(() -> {
            try (var stderr = process.getErrorStream()) {
                stderr.transferTo(errors);
            }
        });
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw EngineException.transientFailure(SlurmFailures.COMMAND_FAILED, "No end after "
                        + timeout.toSeconds() + " s: " + ShellQuoting.commandLine(command), null);
            }
            reading.get();
            readingErrors.get();
            // A command may end without reading all of its input (tar on a bad archive): that is its to report.
            feeding.exceptionally(failure -> null).get();
            return new ShellResult(process.exitValue(), errors.toString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw EngineException.transientFailure(SlurmFailures.COMMAND_FAILED, "Interrupted while running "
                    + ShellQuoting.commandLine(command), e);
        } catch (ExecutionException e) {
            throw EngineException.transientFailure(SlurmFailures.COMMAND_FAILED, "Cannot pass the output of "
                    + ShellQuoting.commandLine(command) + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public Map<String, String> learned() {
        return Map.of();
    }

    @Override
    public void close() {
        // Nothing is held between commands.
    }

    private static CompletableFuture<Void> async(Transfer transfer) {
        var done = new CompletableFuture<Void>();
        Thread.ofVirtual().start(() -> {
            try {
                transfer.run();
                done.complete(null);
            } catch (IOException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    private interface Transfer {
        void run() throws IOException;
    }
}
