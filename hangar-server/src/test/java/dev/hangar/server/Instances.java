package dev.hangar.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the host backend holds on disk and in the process table for a server's data directory. */
final class Instances {
    private Instances() {
    }

    static Path root(Path data) {
        return data.resolve("backends").resolve("local").resolve("instances");
    }

    static List<Path> directories(Path data) {
        var root = root(data);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (var entries = Files.list(root)) {
            return entries.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Processes whose command line names a path under this data directory's instances (Jupyter, kernels). */
    static List<ProcessHandle> processes(Path data) {
        var marker = root(data).toString();
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().map(line -> line.contains(marker)).orElse(false))
                .toList();
    }
}
