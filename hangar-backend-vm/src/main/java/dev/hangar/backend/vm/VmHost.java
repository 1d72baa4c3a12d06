package dev.hangar.backend.vm;

import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.ssh.client.CommandShell;
import dev.hangar.ssh.client.ShellResult;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;

/**
 * The machine's commands, over one {@link CommandShell}. A command that only reads, or that does the same when run
 * twice, is retried when the connection was lost (the shell reconnects), after {@link #BACKOFF} and then twice as long
 * each time, {@link #ATTEMPTS} times in all; the last failure is the caller's, still marked retryable. At most
 * {@value #CHANNELS} commands run at once: OpenSSH's server refuses an eleventh channel of a connection
 * ({@code MaxSessions 10} by default, counting channels it has not finished closing), and a refused channel ends
 * without an exit status.
 *
 * <p>Thread-safe.
 */
final class VmHost {
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    /** Code snapshots and outputs may be large and the link slow; they get longer than one command. */
    static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(30);
    static final Duration BACKOFF = Duration.ofMillis(500);
    static final int ATTEMPTS = 4;
    static final int CHANNELS = 6;

    private final CommandShell shell;
    private final Semaphore channels = new Semaphore(CHANNELS, true);

    VmHost(CommandShell shell) {
        this.shell = shell;
    }

    /**
     * Runs {@code sh -c script} with {@code arguments} as {@code $1...}, retried as above, and returns what it printed.
     *
     * @throws EngineException {@value VmFailures#COMMAND_FAILED} when it exits non-zero
     */
    String script(String script, String... arguments) {
        return new String(bytes(script, arguments), StandardCharsets.UTF_8);
    }

    /** As {@link #script}, the output as it was written. */
    byte[] bytes(String script, String... arguments) {
        var command = command(script, arguments);
        var text = new ByteArrayOutputStream();
        var result = retried(() -> {
            text.reset();
            return run(command, InputStream.nullInputStream(), text, COMMAND_TIMEOUT);
        });
        if (!result.succeeded()) {
            throw VmFailures.of(VmFailures.COMMAND_FAILED, command, result);
        }
        return text.toByteArray();
    }

    /**
     * Runs {@code sh -c script} with a fresh {@code input} each attempt, retried as {@link #script} is: only for a
     * script that does the same when run twice. What it prints is dropped.
     */
    ShellResult retriedWith(String script, InputSource input, Duration timeout, String... arguments) {
        var command = command(script, arguments);
        return retried(() -> {
            try (var in = input.open()) {
                return run(command, in, OutputStream.nullOutputStream(), timeout);
            } catch (java.io.IOException e) {
                throw EngineException.fatal(VmFailures.SUBMIT_FAILED, "Cannot read the input of a command for "
                        + arguments[0] + ": " + e);
            }
        });
    }

    /** Where a command's standard input comes from, opened again for each attempt. */
    @FunctionalInterface
    interface InputSource {
        InputStream open() throws java.io.IOException;
    }

    /** Runs {@code sh -c script} once, with {@code input} and {@code output} streamed; a failure is not retried. */
    ShellResult stream(String script, InputStream input, OutputStream output, Duration timeout, String... arguments) {
        return run(command(script, arguments), input, output, timeout);
    }

    private ShellResult run(List<String> command, InputStream input, OutputStream output, Duration timeout) {
        channels.acquireUninterruptibly();
        try {
            return shell.run(command, input, output, timeout);
        } finally {
            channels.release();
        }
    }

    /** Settings the shell learned (the host key it trusted first). */
    java.util.Map<String, String> learned() {
        return shell.learned();
    }

    void close() {
        shell.close();
    }

    private static List<String> command(String script, String... arguments) {
        var command = new java.util.ArrayList<>(List.of("sh", "-c", script, "hangar"));
        command.addAll(List.of(arguments));
        return command;
    }

    private static ShellResult retried(java.util.function.Supplier<ShellResult> attempt) {
        var wait = BACKOFF;
        for (int tried = 1; ; tried++) {
            try {
                return attempt.get();
            } catch (EngineException e) {
                if (!e.retryable() || !e.code().equals(VmFailures.UNREACHABLE) || tried == ATTEMPTS) {
                    throw e;
                }
            }
            LockSupport.parkNanos(wait.toNanos());
            if (Thread.currentThread().isInterrupted()) {
                throw EngineException.transientFailure(VmFailures.UNREACHABLE, "Interrupted while waiting to reach"
                        + " the machine again", null);
            }
            wait = wait.multipliedBy(2);
        }
    }
}
