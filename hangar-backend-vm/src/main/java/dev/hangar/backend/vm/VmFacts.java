package dev.hangar.backend.vm;

import dev.hangar.core.spi.engine.EngineException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a machine says of itself when probed ({@link #PROBE}, one command of POSIX sh and what every Linux has): its
 * system, name, CPUs, memory, NVIDIA GPUs (through {@code nvidia-smi}, when it is there), the account and its home, and
 * which of the tools Hangar's jobs need or may use are on the account's {@code PATH}. A container engine counts when
 * it answers: Docker when {@code docker version} reaches its daemon; Podman when {@code podman version} works for root,
 * or for an account that has used rootless Podman already (a first rootless call would write its storage into the
 * home folder, and the probe writes nothing).
 *
 * @param memoryKiB {@code MemTotal} of {@code /proc/meminfo}
 * @param tools     of {@link #REQUIRED}, {@code python3}, and the container engine that answers ({@code docker} or
 *                  {@code podman}): those found
 */
record VmFacts(String os, String hostname, int cpus, long memoryKiB, int gpus, String account, String home,
               Set<String> tools) {
    /** What a job's runner needs on the machine: it waits for a place with flock and detaches with setsid. */
    static final List<String> REQUIRED = List.of("bash", "tar", "gzip", "flock", "setsid", "nohup");
    /** The facts kept with the attachment and shown back ({@link #learned()}). */
    static final Set<String> KEYS = Set.of("os", "cpus", "memoryGB", "gpus", "containerEngine", "python");

    static final String PROBE = """
            . /etc/os-release 2>/dev/null; echo "os=${PRETTY_NAME:-$(uname -s)} ($(uname -r))"
            echo "hostname=$(uname -n)"
            echo "cpus=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN)"
            echo "memoryKiB=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo 2>/dev/null)"
            if command -v nvidia-smi >/dev/null 2>&1; then echo "gpus=$(nvidia-smi -L 2>/dev/null | grep -c '^GPU')"; fi
            echo "account=$(id -un)"
            echo "home=$HOME"
            for tool in bash tar gzip flock setsid nohup python3; do
              if command -v "$tool" >/dev/null 2>&1; then echo "tool=$tool"; fi
            done
            if command -v docker >/dev/null 2>&1 && docker version >/dev/null 2>&1; then echo "tool=docker"
            elif command -v podman >/dev/null 2>&1 && { [ "$(id -u)" = 0 ] || [ -d "$HOME/.local/share/containers" ]; } \
                && podman version >/dev/null 2>&1; then echo "tool=podman"
            fi
            """;

    /**
     * Reads what {@link #PROBE} printed.
     *
     * @throws EngineException {@value VmFailures#UNSUITABLE} when the machine lacks a tool jobs need, or has neither
     *     Python nor a container engine to run them in
     */
    static VmFacts parse(String printed, String where) {
        var values = new LinkedHashMap<String, String>();
        var tools = new TreeSet<String>();
        printed.lines().map(line -> line.split("=", 2)).filter(pair -> pair.length == 2).forEach(pair -> {
            if (pair[0].equals("tool")) {
                tools.add(pair[1].strip());
            } else {
                values.put(pair[0], pair[1].strip());
            }
        });
        var missing = REQUIRED.stream().filter(tool -> !tools.contains(tool)).toList();
        if (!missing.isEmpty()) {
            throw EngineException.fatal(VmFailures.UNSUITABLE, where + " lacks " + String.join(", ", missing)
                    + ", which Hangar's jobs need there (Debian and Ubuntu: apt-get install bash tar gzip"
                    + " util-linux coreutils).");
        }
        if (!tools.contains("python3") && !tools.contains("docker") && !tools.contains("podman")) {
            throw EngineException.fatal(VmFailures.UNSUITABLE, where + " has neither python3 nor Docker or Podman"
                    + " on the PATH of its account: jobs would have nothing to run Python in.");
        }
        var home = values.getOrDefault("home", "");
        if (!home.startsWith("/") || home.contains("\n")) {
            throw EngineException.fatal(VmFailures.UNSUITABLE, where + " gives its account no home folder ($HOME is '"
                    + home + "'), where Hangar keeps its jobs.");
        }
        return new VmFacts(values.getOrDefault("os", "Linux"), values.getOrDefault("hostname", ""),
                number(values.get("cpus"), 1), number(values.get("memoryKiB"), 0L), (int) number(values.get("gpus"), 0),
                values.getOrDefault("account", ""), home.length() > 1 ? home.replaceAll("/+$", "") : home, tools);
    }

    /** The container engine jobs may use: Docker, else Podman, else none. */
    String containerEngine() {
        return tools.contains("docker") ? "docker" : tools.contains("podman") ? "podman" : "none";
    }

    /** What is kept with the attachment and shown back on a GET. */
    Map<String, String> learned() {
        var learned = new LinkedHashMap<String, String>();
        learned.put("os", os);
        learned.put("cpus", Integer.toString(cpus));
        learned.put("memoryGB", String.format(Locale.ROOT, "%.1f", memoryKiB / 1024.0 / 1024.0));
        learned.put("gpus", Integer.toString(gpus));
        learned.put("containerEngine", containerEngine());
        learned.put("python", Boolean.toString(tools.contains("python3")));
        return learned;
    }

    private static int number(String value, int fallback) {
        return (int) number(value, (long) fallback);
    }

    private static long number(String value, long fallback) {
        try {
            return value == null ? fallback : Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
