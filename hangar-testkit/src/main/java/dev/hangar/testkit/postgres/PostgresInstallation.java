package dev.hangar.testkit.postgres;

import dev.hangar.testkit.time.Waits;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * The PostgreSQL binaries of Debian's packages ({@code /usr/lib/postgresql/<version>/bin}, highest version), and how
 * to run them: as the {@code postgres} OS user when this JVM is root, because PostgreSQL refuses to run as root.
 */
record PostgresInstallation(Path binDirectory, boolean asPostgresUser) {
    static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");
    static final String INSTALL_HINT = "apt-get install -y postgresql";
    private static final String OS_USER = "postgres";
    private static final Duration COMMAND_TIMEOUT = Waits.DAEMON_START.plusMinutes(1);

    static PostgresInstallation find() {
        var binDirectory = highestVersion().orElseThrow(() -> new IllegalStateException(
                "PostgreSQL is not installed: found no initdb and pg_ctl under " + DEBIAN_ROOT + "/*/bin."
                        + " Install it with: " + INSTALL_HINT));
        return new PostgresInstallation(binDirectory, isRoot());
    }

    private static Optional<Path> highestVersion() {
        if (!Files.isDirectory(DEBIAN_ROOT)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_ROOT)) {
            return versions
                    .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)*"))
                    .map(v -> v.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("initdb"))
                            && Files.isExecutable(bin.resolve("pg_ctl")))
                    .max(Comparator.comparing(PostgresInstallation::versionOf, Arrays::compare));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] versionOf(Path bin) {
        var version = bin.getParent().getFileName().toString();
        return Arrays.stream(version.split("\\.")).mapToInt(Integer::parseInt).toArray();
    }

    private static boolean isRoot() {
        try {
            // /proc/self belongs to the uid this process runs as.
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    Path bin(String program) {
        return binDirectory.resolve(program);
    }

    /** Gives {@code directory} to the user the server runs as. */
    void handOver(Path directory) {
        if (!asPostgresUser) {
            return;
        }
        UserPrincipal postgres;
        try {
            postgres = directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
        } catch (IOException e) {
            throw new IllegalStateException("Running as root, PostgreSQL must run as the '" + OS_USER
                    + "' OS user, which does not exist. Debian's package creates it: " + INSTALL_HINT, e);
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (var path : paths.toList()) {
                Files.setOwner(path, postgres);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot give " + directory + " to " + OS_USER, e);
        }
    }

    /** Runs a PostgreSQL program in {@code directory}, appending its output to {@code log}; fails unless it exits 0. */
    void run(Path directory, Path log, Object... command) {
        var line = new ArrayList<String>();
        if (asPostgresUser) {
            line.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        for (var part : command) {
            line.add(part.toString());
        }
        int exit;
        try {
            var process = new ProcessBuilder(line)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    // A file, not a pipe: pg_ctl's server outlives pg_ctl and must not hold a pipe we read to its end.
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Timed out after " + COMMAND_TIMEOUT + ": " + String.join(" ", line)
                        + details(directory, log));
            }
            exit = process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + String.join(" ", line), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", line), e);
        }
        if (exit != 0) {
            throw new IllegalStateException("Exit code " + exit + " from: " + String.join(" ", line)
                    + details(directory, log));
        }
    }

    /** Stops the server of {@code dataDirectory}; if pg_ctl cannot, ends its postmaster by the PID it wrote. */
    void stop(Path directory, Path log, Path dataDirectory) {
        var postmaster = postmasterPid(dataDirectory);
        try {
            run(directory, log, bin("pg_ctl"), "stop", "-D", dataDirectory, "-m", "fast", "-w", "-t", "60");
        } catch (RuntimeException e) {
            postmaster.flatMap(ProcessHandle::of).ifPresent(PostgresInstallation::kill);
            throw e;
        }
    }

    private static Optional<Long> postmasterPid(Path dataDirectory) {
        try (var lines = Files.lines(dataDirectory.resolve("postmaster.pid"))) {
            return lines.findFirst().map(String::strip).map(Long::parseLong);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void kill(ProcessHandle postmaster) {
        postmaster.destroyForcibly();
        try {
            postmaster.onExit().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Nothing more to do: the caller reports the failed stop.
        }
    }

    private static String details(Path directory, Path log) {
        return "\n--- " + log.getFileName() + " ---\n" + tail(log)
                + "\n--- postgres.log ---\n" + tail(directory.resolve("postgres.log"));
    }

    private static String tail(Path file) {
        try {
            var lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(none)";
        }
    }
}
