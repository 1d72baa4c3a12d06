package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * OpenSSH's own clients ({@code ssh}, {@code scp}, {@code sftp}, {@code ssh-keygen}) run against a Hangar SSH gateway
 * as a user runs them, kept to the test: no user configuration ({@code -F /dev/null}), a {@code known_hosts} of its own
 * (new host keys accepted, changed ones refused), no prompts, only the key given. Output is captured in files under
 * the scratch directory. {@link #close()} ends every process {@link #start started}.
 */
final class OpenSsh implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path scratch;
    private final int port;
    private final AtomicInteger runs = new AtomicInteger();
    private final List<Process> started = new CopyOnWriteArrayList<>();

    OpenSsh(Path scratch, int port) {
        this.scratch = scratch;
        this.port = port;
    }

    record Result(int exit, String out, String err) {
    }

    record Started(Process process, Path out, Path err) {
    }

    /** A new Ed25519 key pair: the private key's path ({@code .pub} beside it). */
    Path keygen(String name) {
        var file = scratch.resolve("keys").resolve(name);
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var result = run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name + "@test", "-f",
                file.toString()), null);
        assertThat(result.exit()).as(result.err()).isZero();
        return file;
    }

    static String publicKey(Path key) {
        try {
            return Files.readString(key.resolveSibling(key.getFileName() + ".pub")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code ssh} with the key and then {@code arguments} (options, the destination, a command). */
    Result ssh(Path key, String... arguments) {
        return run(sshCommand(key, List.of(arguments)), null);
    }

    List<String> sshCommand(Path key, List<String> arguments) {
        var rest = new ArrayList<>(List.of("-p", Integer.toString(port)));
        rest.addAll(arguments);
        return command("ssh", key, rest);
    }

    /** {@code scp} ({@code mode} empty: over SFTP, as OpenSSH 9 does by default; {@code -O}: the legacy protocol). */
    Result scp(Path key, List<String> mode, String from, String to) {
        var rest = new ArrayList<>(mode);
        rest.addAll(List.of("-P", Integer.toString(port), from, to));
        return run(command("scp", key, rest), null);
    }

    /** {@code sftp -b batch}. */
    Result sftp(Path key, Path batch, String destination) {
        return run(command("sftp", key, List.of("-P", Integer.toString(port), "-b", batch.toString(), destination)),
                null);
    }

    private List<String> command(String program, Path key, List<String> rest) {
        var command = new ArrayList<>(List.of(program, "-F", "/dev/null",
                "-o", "UserKnownHostsFile=" + scratch.resolve("known_hosts"),
                "-o", "StrictHostKeyChecking=accept-new", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes",
                "-o", "ConnectTimeout=10", "-i", key.toString()));
        command.addAll(rest);
        return command;
    }

    /** Runs {@code command} to its end (at most a minute), {@code stdin} null for none. */
    Result run(List<String> command, Path stdin) {
        var run = runs.incrementAndGet();
        var out = scratch.resolve("run-" + run + ".out");
        var err = scratch.resolve("run-" + run + ".err");
        Process process = null;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(
                            stdin == null ? new File("/dev/null") : stdin.toFile()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError(String.join(" ", command) + " did not end within " + TIMEOUT + ": "
                        + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while running " + command, e);
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /** Starts {@code command} in the background (e.g. {@code ssh -N -L}); {@link #close()} ends it. */
    Started start(List<String> command) {
        var run = runs.incrementAndGet();
        var out = scratch.resolve("run-" + run + ".out");
        var err = scratch.resolve("run-" + run + ".err");
        try {
            var process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            started.add(process);
            return new Started(process, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command, e);
        }
    }

    @Override
    public void close() {
        for (var process : started) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
