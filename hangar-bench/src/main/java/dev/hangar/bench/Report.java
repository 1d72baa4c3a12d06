package dev.hangar.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The one-command performance report ({@code bin/bench}): starts a real Hangar server on a fresh data directory, times
 * create → first cell and start → Running for a series of instances, puts a concurrent GET load on the API, deletes
 * everything; then does the same on the container backend beside the raw engine ({@link ContainerBench}); and prints
 * a Markdown table of the results against the targets (also written to a file).
 *
 * <p>Exit codes: 0 the report was produced, 1 the bench could not run, 2 a target was missed (with {@code --strict}),
 * 64 a bad option.
 */
public final class Report {
    static final int EXIT_FAILED = 1;
    static final int EXIT_TARGET_MISSED = 2;
    static final int EXIT_USAGE = 64;
    static final String API_VERSION = "2024-04-01";

    private Report() {
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help")) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("ERROR: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(EXIT_USAGE);
            return;
        }
        MarkdownReport.Measurements measured;
        try {
            var began = System.nanoTime();
            measured = measure(options, line -> System.err.printf(Locale.ROOT, "bench [%5.1f s] %s%n",
                    (System.nanoTime() - began) / 1e9, line));
        } catch (RuntimeException e) {
            System.err.println("ERROR: the bench failed: " + e);
            e.printStackTrace();
            System.exit(EXIT_FAILED);
            return;
        }
        var markdown = MarkdownReport.render(measured);
        System.out.print(markdown);
        write(options.output(), markdown);
        System.err.println("bench: report written to " + options.output());
        if (options.strict() && !MarkdownReport.allMet(MarkdownReport.rows(measured))) {
            System.exit(EXIT_TARGET_MISSED);
        }
    }

    /**
     * Runs every phase and returns what was measured: the host-process backend's instances and the GET load on a
     * server of their own, then the container section on another (the GET load goes there when the host-process
     * backend is left out). Every server and engine is gone afterwards.
     */
    static MarkdownReport.Measurements measure(BenchOptions options, Consumer<String> progress) {
        var began = System.nanoTime();
        var at = Instant.now();
        if (options.gatewayOnly()) {
            return gatewayOnly(options, progress, began, at);
        }
        if (options.vmOnly()) {
            return new MarkdownReport.Measurements(options, at, null, null, null, null, null, null, null, null, null,
                    null, virtualMachine(options, progress), Duration.ofNanos(System.nanoTime() - began),
                    environment());
        }
        var backend = options.backend();
        InstanceBench.Results instances = null;
        JobBench.Result jobs = null;
        ClusterBench.Result clusters = null;
        GatewayBench.Result gateway = null;
        Integer leftoverProcesses = null;
        var loads = new AtomicReference<Loads>();
        if (backend.containersRequired()) {
            ContainerBench.requireAvailable(); // now rather than after the host-process figures
        }
        if (backend.local()) {
            progress.accept("starting a Hangar server");
            var server = BenchServer.start();
            try (server) {
                progress.accept("server at " + server.url());
                instances = new InstanceBench(server, progress).run(options.instances());
                loads.set(load(server, options, progress));
                if (options.gatewayRequests() > 0) {
                    gateway = new GatewayBench(server, progress).run(InstanceBench.name(0), options.gatewayRequests());
                }
                if (options.jobs() > 0) {
                    jobs = new JobBench(server, progress).run(JobBench.LATENCY_JOBS, options.jobs());
                    clusters = clusters(server, progress);
                }
                progress.accept("deleting the instances and stopping the server");
            }
            leftoverProcesses = server.leftovers().size();
        }
        ContainerBench.Section containers;
        if (backend.containers()) {
            containers = ContainerBench.run(options.instances(), backend.containersRequired(), progress,
                    server -> {
                        if (loads.get() == null) {
                            loads.set(load(server, options, progress));
                        }
                    });
            if (containers instanceof ContainerBench.Skipped skipped) {
                progress.accept("containers: skipped: " + skipped.reason());
            }
        } else {
            containers = new ContainerBench.Skipped("--backend local was given.");
        }
        var vm = options.vmJobs() > 0 ? virtualMachine(options, progress) : null;
        StudioBench.Result studio = null;
        if (options.studio() > 0) {
            studio = new StudioBench(progress).run(options.studio(), options.warmup(), options.window());
        }
        MemoryBench.Result memory = null;
        if (options.memory() > 0) {
            memory = new MemoryBench(progress).run(options.memory(), options.memory() * 10);
        }
        return new MarkdownReport.Measurements(options, at, instances, loads.get().get(), loads.get().paced(),
                leftoverProcesses, containers, jobs, clusters, studio, gateway, memory, vm,
                Duration.ofNanos(System.nanoTime() - began),
                environment());
    }

    /** {@code --gateway-only}: one instance on a server of its own, and the gateway comparison on it. */
    private static MarkdownReport.Measurements gatewayOnly(BenchOptions options, Consumer<String> progress, long began,
                                                           Instant at) {
        progress.accept("starting a Hangar server");
        var server = BenchServer.start();
        GatewayBench.Result gateway;
        try (server) {
            var name = InstanceBench.name(0);
            new InstanceBench(server, progress).create(name);
            progress.accept("created " + name);
            gateway = new GatewayBench(server, progress).run(name, options.gatewayRequests());
            progress.accept("deleting the instance and stopping the server");
        }
        return new MarkdownReport.Measurements(options, at, null, null, null, server.leftovers().size(), null, null,
                null, null, gateway, null, null, Duration.ofNanos(System.nanoTime() - began), environment());
    }

    /** Jobs on an attached VirtualMachine, on servers of their own. */
    private static VmBench.Result virtualMachine(BenchOptions options, Consumer<String> progress) {
        return new VmBench(progress).run(options.vmJobs());
    }

    private static ClusterBench.Result clusters(BenchServer server, Consumer<String> progress) {
        try {
            return new ClusterBench(server, progress).run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The closed-loop GET load and, unless its rate is 0, the paced one; {@code paced} is null then. */
    private record Loads(GetLoad.Result get, GetLoad.Result paced) {
    }

    private static Loads load(BenchServer server, BenchOptions options, Consumer<String> progress) {
        var target = URI.create(server.url() + server.workspace().id() + "/computes/bench-01?api-version="
                + API_VERSION);
        var load = new GetLoad(target, server.token(), server.tls());
        progress.accept(String.format(Locale.ROOT, "GET load, closed loop: %d clients, %s warm-up, %s measured",
                options.clients(), MarkdownReport.seconds(options.warmup()),
                MarkdownReport.seconds(options.window())));
        var get = load.run(options.clients(), 0, options.warmup(), options.window(), server.pid());
        GetLoad.Result paced = null;
        if (options.rate() > 0) {
            progress.accept(String.format(Locale.ROOT, "GET load, paced: %,d req/s from %d clients",
                    options.rate(), options.clients()));
            paced = load.run(options.clients(), options.rate(), options.warmup(), options.window(), server.pid());
        }
        return new Loads(get, paced);
    }

    private static String environment() {
        var os = System.getProperty("os.name");
        try {
            for (var line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    os = line.substring("PRETTY_NAME=".length()).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // keep os.name
        }
        var memoryGiB = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize() / (1L << 30);
        return String.format(Locale.ROOT, "%d cores, %d GiB, %s, Java %s", Runtime.getRuntime().availableProcessors(),
                memoryGiB, os, Runtime.version());
    }

    private static void write(Path output, String markdown) {
        try {
            if (output.toAbsolutePath().getParent() != null) {
                Files.createDirectories(output.toAbsolutePath().getParent());
            }
            Files.writeString(output, markdown);
        } catch (IOException e) {
            System.err.println("WARNING: could not write " + output + ": " + e.getMessage());
        }
    }
}
