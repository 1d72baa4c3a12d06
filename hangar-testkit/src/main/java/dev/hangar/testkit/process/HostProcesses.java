package dev.hangar.testkit.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;

/**
 * The processes of this host, read from {@code /proc} (Linux only), independently of the code under test: tests count
 * an instance's processes by an environment entry the backend tags them with, and end what a failed test left behind.
 */
public final class HostProcesses {
    private static final Path PROC = Path.of("/proc");

    private HostProcesses() {
    }

    /** Live processes (zombies excluded) whose environment holds {@code name=value}, other than this JVM. */
    public static List<ProcessHandle> withEnvironment(String name, String value) {
        var entry = "\0" + name + "=" + value + "\0";
        var self = ProcessHandle.current().pid();
        try (var entries = Files.list(PROC)) {
            return entries.map(path -> path.getFileName().toString())
                    .filter(file -> file.chars().allMatch(Character::isDigit))
                    .mapToLong(Long::parseLong)
                    .filter(pid -> pid != self && ("\0" + environment(pid)).contains(entry))
                    .mapToObj(ProcessHandle::of).flatMap(Optional::stream)
                    .filter(HostProcesses::isRunning)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Alive and not a zombie (an ended process nobody has reaped yet). */
    public static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            var stat = Files.readString(PROC.resolve(process.pid() + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Sends SIGKILL to each process, by pid, and waits until none runs. */
    public static void kill(List<ProcessHandle> processes, Duration atMost) {
        processes.forEach(ProcessHandle::destroyForcibly);
        Awaitility.await("processes " + processes.stream().map(ProcessHandle::pid).toList() + " to end")
                .atMost(atMost).pollInterval(Duration.ofMillis(50))
                .until(() -> processes.stream().noneMatch(HostProcesses::isRunning));
    }

    private static String environment(long pid) {
        try {
            return new String(Files.readAllBytes(PROC.resolve(pid + "/environ")), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }
}
