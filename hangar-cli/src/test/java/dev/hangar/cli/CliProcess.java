package dev.hangar.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the packaged {@code hangar} command ({@code java -jar target/hangar-cli.jar}, the system property
 * {@code hangar.cli.jar} names another) in a child process, as a user does: its own config file and home, no
 * {@code HANGAR_*} variable of the caller's environment, stdout and stderr captured apart, and the exit code.
 */
final class CliProcess {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    private final Path jar;
    private final Path home;
    private final Map<String, String> environment = new HashMap<>();
    private final AtomicInteger runs = new AtomicInteger();

    /** @param home a scratch directory: the user's home, the config file and the captured output go there */
    CliProcess(Path home) {
        this.jar = Path.of(System.getProperty("hangar.cli.jar", "target/hangar-cli.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No " + jar + ": package hangar-cli first");
        }
        this.home = home;
        environment.put("HANGAR_CONFIG", configFile().toString());
    }

    Path configFile() {
        return home.resolve(".hangar").resolve("config.json");
    }

    /** This variable for the next runs, on top of {@code HANGAR_CONFIG}. */
    CliProcess env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    Cli.Result run(String... args) {
        int run = runs.incrementAndGet();
        var out = home.resolve("run-" + run + ".out");
        var err = home.resolve("run-" + run + ".err");
        // C1 only and no GC threads: a command that lives a second starts faster, and a test runs a dozen of them.
        // Ctrl-C as a terminal delivers it: a suite started in the background (nohup, a CI runner, `cmd &`) passes
        // on SIGINT ignored, and a JVM that starts with it ignored never runs its shutdown hooks on it.
        var command = new ArrayList<>(List.of("env", "--default-signal=INT", JAVA, "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-jar", jar.toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("HANGAR_"));
        builder.environment().put("HOME", home.toString());
        builder.environment().putAll(environment);
        Process process = null;
        try {
            Files.createDirectories(home);
            process = builder.start();
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("hangar " + String.join(" ", args) + " did not end within " + TIMEOUT
                        + "; its output: " + Files.readString(out) + Files.readString(err));
            }
            return new Cli.Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running hangar " + String.join(" ", args), e);
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }
}
