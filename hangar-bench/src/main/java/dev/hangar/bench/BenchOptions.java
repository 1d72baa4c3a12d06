package dev.hangar.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What the report runs: how many instances go through create and start, and the shape of the GET load.
 *
 * @param instances     instances created one after another, then stopped and started again
 * @param clients       concurrent GET clients
 * @param warmup        GET load before the measured window (connections, TLS, JIT)
 * @param window        the measured GET window
 * @param rate          requests a second of the paced GET run (its p99 is the one with a target); 0 skips it
 * @param output        where the Markdown report is written (it is also printed)
 * @param strict        exit with {@link Report#EXIT_TARGET_MISSED} when a target is missed
 * @param backend       which backends' instances are timed
 * @param jobs          trivial jobs in the job queue's throughput run (the host-process backend); 0 skips the jobs
 * @param studio        instances behind the studio's compute list in its section; 0 skips the section
 * @param gatewayRequests requests of each Jupyter path each way in the gateway comparison; 0 skips it
 * @param gatewayOnly   only the gateway comparison, on one instance of a server of its own
 * @param memory        instances (and ten times as many ended jobs) the server holds at rest when its memory is read;
 *                      0 skips the memory section
 * @param vmJobs        trivial jobs onto an attached VirtualMachine over SSH, beside ssh in a loop; 0 skips them
 * @param vmOnly        only the VirtualMachine figures, on a server of their own
 */
record BenchOptions(int instances, int clients, Duration warmup, Duration window, int rate, Path output,
                    boolean strict, Backend backend, int jobs, int studio, int gatewayRequests, boolean gatewayOnly,
                    int memory, int vmJobs, boolean vmOnly) {
    static final int DEFAULT_MEMORY = 1_000;
    static final int QUICK_MEMORY = 100;
    static final int DEFAULT_INSTANCES = 20;
    static final int DEFAULT_CLIENTS = 64;
    static final Duration DEFAULT_WARMUP = Duration.ofSeconds(5);
    static final Duration DEFAULT_WINDOW = Duration.ofSeconds(20);
    static final int DEFAULT_RATE = 2_000;
    static final int DEFAULT_JOBS = 1_000;
    static final int QUICK_JOBS = 100;
    static final int DEFAULT_VM_JOBS = 200;
    static final int QUICK_VM_JOBS = 20;
    static final int DEFAULT_STUDIO = 1_000;
    static final int QUICK_STUDIO = 100;
    static final int QUICK_INSTANCES = 2;
    static final Duration QUICK_WARMUP = Duration.ofSeconds(1);
    static final Duration QUICK_WINDOW = Duration.ofSeconds(2);

    /** Which backends the instance figures are taken on. */
    enum Backend {
        /** Both when Podman and the instance image are there, else the host-process backend alone (saying why). */
        AUTO,
        /** The host-process backend only. */
        LOCAL,
        /** The container backend on a Podman of the bench's own, beside the raw engine; no host-process figures. */
        DOCKER,
        /** Both; a missing Podman or image fails the bench. */
        BOTH;

        boolean local() {
            return this != DOCKER;
        }

        boolean containers() {
            return this != LOCAL;
        }

        /** Whether the container section was asked for explicitly, so that it must run. */
        boolean containersRequired() {
            return this == DOCKER || this == BOTH;
        }

        static Backend parse(String raw) {
            return switch (raw.strip().toLowerCase(Locale.ROOT)) {
                case "auto" -> AUTO;
                case "local" -> LOCAL;
                case "docker" -> DOCKER;
                case "both" -> BOTH;
                default -> throw new IllegalArgumentException("--backend takes local, docker, both or auto, not '"
                        + raw + "'");
            };
        }
    }

    static final String USAGE = """
            Usage: bin/bench [options]
              --instances N      instances to create, stop and start (default 20)
              --clients C        concurrent GET clients (default 64)
              --get-seconds S    measured GET window in seconds (default 20)
              --warmup-seconds S GET warm-up before the window (default 5)
              --get-rate R       requests/s of the paced GET run that checks p99 (default 2000; 0 skips it)
              --backend B        local, docker (containers on Podman, beside the raw engine), both, or auto
                                 (default: both when Podman and the instance image are there, else local)
              --jobs N           trivial jobs through the job queue at once (default 1000; 0 skips the jobs)
              --studio N         instances behind the studio's compute list, timed as a browser gets it
                                 (default 1000; 0 skips the studio's section)
              --gateway-requests N
                                 requests of a Jupyter static file and API call, through the app gateway and
                                 straight, each (default 1000; 0 skips the comparison)
              --memory N         instances, and ten times as many ended jobs, a server holds at rest when its
                                 memory is read (default 1000; 0 skips it)
              --gateway-only     only the gateway comparison, on one instance (host-process backend)
              --vm-jobs N        trivial jobs onto an attached VirtualMachine over SSH, beside the same commands
                                 by ssh in a loop (default 200; 0 skips them)
              --vm-only          only the VirtualMachine figures
              --quick            a smoke run: 2 instances, 1 s warm-up, 2 s window, 100 jobs, 100 instances in
                                 the studio's list, 200 gateway requests, 100 instances at rest (explicit options
                                 still win)
              --output FILE      where to write the report (default hangar-bench/target/bench-report.md)
              --strict           exit 2 when a target is missed
              --help             this text
            """;

    BenchOptions {
        if (instances < 1 || clients < 1) {
            throw new IllegalArgumentException("--instances and --clients must be at least 1");
        }
        if (vmOnly && vmJobs == 0) {
            throw new IllegalArgumentException("--vm-only needs --vm-jobs above 0");
        }
        if (rate < 0 || jobs < 0 || studio < 0 || gatewayRequests < 0 || memory < 0 || vmJobs < 0) {
            throw new IllegalArgumentException("--get-rate, --jobs, --studio, --gateway-requests, --memory and"
                    + " --vm-jobs must not be negative");
        }
        if (gatewayOnly && gatewayRequests == 0) {
            throw new IllegalArgumentException("--gateway-only needs --gateway-requests above 0");
        }
        Objects.requireNonNull(backend, "backend");
        if (window.isZero() || window.isNegative() || warmup.isNegative()) {
            throw new IllegalArgumentException("--get-seconds must be positive and --warmup-seconds not negative");
        }
    }

    /** Reads the command line; explicit options win over {@code --quick} whatever their order. */
    static BenchOptions parse(List<String> args) {
        var values = new HashMap<String, String>();
        var quick = false;
        var strict = false;
        var gatewayOnly = false;
        var vmOnly = false;
        for (int i = 0; i < args.size(); i++) {
            var arg = args.get(i);
            switch (arg) {
                case "--quick" -> quick = true;
                case "--strict" -> strict = true;
                case "--gateway-only" -> gatewayOnly = true;
                case "--vm-only" -> vmOnly = true;
                case "--instances", "--clients", "--get-seconds", "--warmup-seconds", "--get-rate",
                     "--output", "--backend", "--jobs", "--studio", "--gateway-requests", "--memory", "--vm-jobs" -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException(arg + " needs a value");
                    }
                    values.put(arg, args.get(++i));
                }
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return new BenchOptions(
                number(values, "--instances", quick ? QUICK_INSTANCES : DEFAULT_INSTANCES),
                number(values, "--clients", DEFAULT_CLIENTS),
                seconds(values, "--warmup-seconds", quick ? QUICK_WARMUP : DEFAULT_WARMUP),
                seconds(values, "--get-seconds", quick ? QUICK_WINDOW : DEFAULT_WINDOW),
                number(values, "--get-rate", DEFAULT_RATE),
                values.containsKey("--output") ? Path.of(values.get("--output")) : defaultOutput(),
                strict,
                values.containsKey("--backend") ? Backend.parse(values.get("--backend")) : Backend.AUTO,
                number(values, "--jobs", quick ? QUICK_JOBS : DEFAULT_JOBS),
                number(values, "--studio", quick ? QUICK_STUDIO : DEFAULT_STUDIO),
                number(values, "--gateway-requests",
                        quick ? GatewayBench.QUICK_REQUESTS : GatewayBench.DEFAULT_REQUESTS),
                gatewayOnly,
                number(values, "--memory", quick ? QUICK_MEMORY : DEFAULT_MEMORY),
                number(values, "--vm-jobs", quick ? QUICK_VM_JOBS : DEFAULT_VM_JOBS),
                vmOnly);
    }

    private static int number(Map<String, String> values, String key, int fallback) {
        var raw = values.get(key);
        try {
            return raw == null ? fallback : Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " takes a whole number, not '" + raw + "'");
        }
    }

    private static Duration seconds(Map<String, String> values, String key, Duration fallback) {
        var raw = values.get(key);
        try {
            return raw == null ? fallback : Duration.ofMillis(Math.round(Double.parseDouble(raw.strip()) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " takes a number of seconds, not '" + raw + "'");
        }
    }

    /** {@code hangar-bench/target/bench-report.md} of the checkout the working directory is in. */
    private static Path defaultOutput() {
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("hangar-bench").resolve("pom.xml"))) {
                return dir.resolve("hangar-bench").resolve("target").resolve("bench-report.md");
            }
            if (dir.getFileName() != null && dir.getFileName().toString().equals("hangar-bench")) {
                return dir.resolve("target").resolve("bench-report.md");
            }
        }
        return Path.of("bench-report.md").toAbsolutePath();
    }
}
