package dev.hangar.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** The report: the targets of the performance issue, each measured value beside it, and the context it came from. */
final class MarkdownReport {
    static final Duration CREATE_TO_CELL_P50 = Duration.ofSeconds(3);
    static final Duration START_P50 = Duration.ofSeconds(2);
    static final Duration JOB_SUBMIT_TO_RUNNING_P50 = Duration.ofMillis(50);
    static final int JOB_THROUGHPUT = 500;
    static final Duration GET_P99 = Duration.ofMillis(20);
    static final double GET_RPS = 2_000;
    /** Hangar's overhead over the raw engine on the container backend, in % of the raw p50. */
    static final double CONTAINER_OVERHEAD_PERCENT = 10;
    /** Jupyter through the app gateway, over Jupyter straight, at the same percentile. */
    static final double GATEWAY_RATIO = 1.2;
    static final String CONTAINERS = "containers: ";

    /**
     * Everything one run measured. {@code instances} and {@code leftoverProcesses} are null when the host-process
     * backend was left out ({@code --backend docker}); {@code paced} is null when the paced GET run was skipped;
     * {@code gateway} when the gateway comparison was. With {@code --gateway-only}, {@code gateway} and
     * {@code leftoverProcesses} are all there is.
     */
    record Measurements(BenchOptions options, Instant at, InstanceBench.Results instances, GetLoad.Result get,
                        GetLoad.Result paced, Integer leftoverProcesses, ContainerBench.Section containers,
                        JobBench.Result jobs, ClusterBench.Result clusters, StudioBench.Result studio,
                        GatewayBench.Result gateway, MemoryBench.Result memory, VmBench.Result vm,
                        Duration elapsed, String environment) {
    }

    private MarkdownReport() {
    }

    static List<Row> rows(Measurements m) {
        var rows = new ArrayList<Row>();
        if (m.instances() != null) {
            instanceRows(m.instances(), rows);
        }
        if (m.containers() instanceof ContainerBench.Measured containers) {
            containerRows(containers, rows);
        } else if (m.containers() != null) {
            rows.add(Row.info(CONTAINERS + "create → first cell, start (vs the raw engine)",
                    "not measured (see below)"));
        }
        if (m.get() != null) {
            closedLoopRows(m.get(), rows);
        }
        if (m.paced() != null) {
            pacedRows(m.paced(), rows);
        }
        if (m.gateway() != null) {
            gatewayRows(m.gateway(), rows);
        }
        if (m.jobs() != null) {
            jobRows(m.jobs(), rows);
        }
        if (m.clusters() != null) {
            clusterRows(m.clusters(), rows);
        }
        if (m.vm() != null) {
            rows.addAll(VmBench.rows(m.vm()));
        }
        if (m.studio() != null) {
            rows.addAll(StudioBench.rows(m.studio()));
        }
        if (m.memory() != null) {
            rows.addAll(MemoryBench.rows(m.memory()));
        }
        if (m.leftoverProcesses() != null) {
            rows.add(new Row("instance processes left after delete", Integer.toString(m.leftoverProcesses()), "0",
                    Row.Verdict.of(m.leftoverProcesses() == 0)));
        }
        if (m.containers() instanceof ContainerBench.Measured containers) {
            rows.add(new Row(CONTAINERS + "containers and volumes left after delete",
                    Integer.toString(containers.leftovers()), "0", Row.Verdict.of(containers.leftovers() == 0)));
        }
        return rows;
    }

    private static void instanceRows(InstanceBench.Results runs, List<Row> rows) {
        var createCell = runs.creates(InstanceBench.Timing::cell);
        var startRunning = runs.starts(InstanceBench.Timing::running);
        rows.add(atMost("create → first cell, p50", createCell.percentile(50), CREATE_TO_CELL_P50));
        rows.add(Row.info("create → first cell, p95", seconds(createCell.percentile(95))));
        rows.add(Row.info("create → Running, p50 / p95", pair(runs.creates(InstanceBench.Timing::running))));
        rows.add(Row.info("Running → first cell (kernel + execute), p50 / p95",
                pair(runs.creates(timing -> timing.cell() - timing.running()))));
        rows.add(atMost("start (Stopped → Running), p50", startRunning.percentile(50), START_P50));
        rows.add(Row.info("start (Stopped → Running), p95", seconds(startRunning.percentile(95))));
        rows.add(Row.info("start → first cell, p50 / p95", pair(runs.starts(InstanceBench.Timing::cell))));
    }

    /**
     * Hangar on its docker backend, each figure followed by the raw engine's in brackets; the overhead rows compare
     * the p50s. The raw engine's "Running" is when its Jupyter first answered.
     */
    private static void containerRows(ContainerBench.Measured m, List<Row> rows) {
        var hangar = m.hangar();
        var raw = m.raw();
        var createCell = hangar.creates(InstanceBench.Timing::cell);
        var rawCreateCell = raw.creates(InstanceBench.Timing::cell);
        var start = hangar.starts(InstanceBench.Timing::running);
        var rawStart = raw.starts(InstanceBench.Timing::running);
        rows.add(new Row(CONTAINERS + "create → first cell, p50 (raw engine)",
                beside(createCell.percentile(50), rawCreateCell.percentile(50)), "≤ " + seconds(CREATE_TO_CELL_P50),
                Row.Verdict.of(createCell.percentile(50).compareTo(CREATE_TO_CELL_P50) <= 0)));
        rows.add(Row.info(CONTAINERS + "create → first cell, p95 (raw engine)",
                beside(createCell.percentile(95), rawCreateCell.percentile(95))));
        rows.add(overhead(CONTAINERS + "create → first cell: Hangar's overhead on the raw engine, p50",
                createCell.percentile(50), rawCreateCell.percentile(50)));
        rows.add(Row.info(CONTAINERS + "create → Running, p50 / p95 (raw engine: → Jupyter answers)",
                pair(hangar.creates(InstanceBench.Timing::running)) + " ("
                        + pair(raw.creates(InstanceBench.Timing::running)) + ")"));
        rows.add(new Row(CONTAINERS + "start (Stopped → Running), p50 (raw engine: start → Jupyter answers)",
                beside(start.percentile(50), rawStart.percentile(50)), "≤ " + seconds(START_P50),
                Row.Verdict.of(start.percentile(50).compareTo(START_P50) <= 0)));
        rows.add(Row.info(CONTAINERS + "start (Stopped → Running), p95 (raw engine)",
                beside(start.percentile(95), rawStart.percentile(95))));
        rows.add(overhead(CONTAINERS + "start: Hangar's overhead on the raw engine, p50", start.percentile(50),
                rawStart.percentile(50)));
        rows.add(Row.info(CONTAINERS + "start → first cell, p50 / p95 (raw engine)",
                pair(hangar.starts(InstanceBench.Timing::cell)) + " (" + pair(raw.starts(InstanceBench.Timing::cell))
                        + ")"));
    }

    /** {@code hangar} over {@code raw} in % of {@code raw}, and the difference in seconds. */
    private static Row overhead(String metric, Duration hangar, Duration raw) {
        var target = String.format(Locale.ROOT, "≤ %.0f %%", CONTAINER_OVERHEAD_PERCENT);
        if (raw.isZero()) {
            return new Row(metric, "no raw figure", target, Row.Verdict.FAIL);
        }
        var percent = 100.0 * (hangar.toNanos() - raw.toNanos()) / raw.toNanos();
        var difference = (hangar.toNanos() - raw.toNanos()) / 1e9;
        return new Row(metric, String.format(Locale.ROOT, "%+.1f %% (%+.2f s)", percent, difference), target,
                Row.Verdict.of(percent <= CONTAINER_OVERHEAD_PERCENT));
    }

    private static String beside(Duration hangar, Duration raw) {
        return seconds(hangar) + " (" + seconds(raw) + ")";
    }

    private static void closedLoopRows(GetLoad.Result get, List<Row> rows) {
        var name = "GET compute, closed loop (" + get.clients() + " clients)";
        rows.add(new Row(name + ": throughput", String.format(Locale.ROOT, "%,.0f req/s", get.requestsPerSecond()),
                String.format(Locale.ROOT, "≥ %,.0f req/s", GET_RPS),
                Row.Verdict.of(get.requestsPerSecond() >= GET_RPS)));
        rows.add(Row.info(name + ": latency p50 / p99 / max", latencies(get.latencies())));
        rows.add(errors(name, get));
        var cpu = get.cpu();
        rows.add(Row.info(name + ": CPU, server / load generator / other processes (steal)",
                String.format(Locale.ROOT, "%.2f / %.2f / %.2f (%.2f) of %d cores", cpu.server(), cpu.loadGenerator(),
                        cpu.others(), cpu.steal(), cpu.cores())));
    }

    private static void pacedRows(GetLoad.Result paced, List<Row> rows) {
        var name = String.format(Locale.ROOT, "GET compute at %,.0f req/s (%d clients, paced)", paced.rate(),
                paced.clients());
        var p99 = paced.latencies().percentile(99);
        rows.add(new Row(name + ": latency p99", millis(p99), "≤ " + millis(GET_P99),
                Row.Verdict.of(!paced.latencies().isEmpty() && p99.compareTo(GET_P99) <= 0)));
        rows.add(Row.info(name + ": latency p50 / max", millis(paced.latencies().percentile(50)) + " / "
                + millis(paced.latencies().max())));
        rows.add(Row.info(name + ": send → answer p50 / p99 / max", latencies(paced.sendToAnswer())));
        rows.add(errors(name, paced));
        rows.add(Row.info(name + ": CPU, server / load generator", String.format(Locale.ROOT, "%.2f / %.2f of %d cores",
                paced.cpu().server(), paced.cpu().loadGenerator(), paced.cpu().cores())));
    }

    /** Each path's p50 and p95 through the gateway against the same straight at Jupyter; and its cache header. */
    private static void gatewayRows(GatewayBench.Result gateway, List<Row> rows) {
        for (var comparison : List.of(gateway.staticFile(), gateway.api())) {
            var what = comparison == gateway.staticFile() ? "Jupyter static file" : "Jupyter API call";
            for (var percentile : new int[] {50, 95}) {
                var ratio = comparison.ratio(percentile);
                rows.add(new Row(String.format(Locale.ROOT, "gateway: %s (GET %s), p%d through the gateway"
                        + " (direct)", what, comparison.path(), percentile), String.format(Locale.ROOT,
                        "%s (%s): %.2f×", millis(comparison.gateway().percentile(percentile)),
                        millis(comparison.direct().percentile(percentile)), ratio),
                        String.format(Locale.ROOT, "≤ %.1f× direct", GATEWAY_RATIO),
                        Row.Verdict.of(ratio <= GATEWAY_RATIO)));
            }
        }
        var files = gateway.staticFile();
        rows.add(new Row("gateway: Jupyter's Cache-Control on the static file, through the gateway (direct)",
                files.cacheControl() + " (" + files.directCacheControl() + ")", "Jupyter's own",
                Row.Verdict.of(Objects.equals(files.cacheControl(), files.directCacheControl()))));
        var api = gateway.api();
        rows.add(Row.info("gateway: Content-Encoding of the static file and the API call, through the gateway"
                + " (direct)", encoding(files.contentEncoding()) + ", " + encoding(api.contentEncoding()) + " ("
                + encoding(files.directContentEncoding()) + ", " + encoding(api.directContentEncoding()) + ")"));
    }

    private static String encoding(String header) {
        return header == null ? "none" : header;
    }

    static boolean allMet(List<Row> rows) {
        return rows.stream().noneMatch(row -> row.verdict() == Row.Verdict.FAIL);
    }

    static String render(Measurements m) {
        var rows = rows(m);
        var options = m.options();
        var out = new StringBuilder();
        out.append("# Hangar performance report\n\n");
        out.append(String.format(Locale.ROOT, "%s, %s. Took %s.%n%n", m.at().truncatedTo(ChronoUnit.SECONDS),
                m.environment(), seconds(m.elapsed())));
        out.append("| metric | value | target | result |\n|---|---|---|---|\n");
        rows.forEach(row -> out.append("| ").append(row.metric()).append(" | ").append(row.value()).append(" | ")
                .append(row.target()).append(" | ").append(row.verdict().text()).append(" |\n"));
        out.append("\n");
        if (m.instances() != null) {
            out.append(String.format(Locale.ROOT, """
                    - Instances: %d of %s, created one after another on one server (embedded H2, host-process backend,
                      default settings). Each clock starts before the request is sent; the Java client waits for the
                      operation as the CLI does (a long poll, `Prefer: wait`, answered when the operation ends).
                      First cell: a new kernel through the app gateway, its WebSocket, `%s` answered `2`.
                    - Start: each instance was stopped (not timed), then started one after another.
                    """, options.instances(), InstanceBench.SIZE, FirstCell.CODE));
        }
        if (m.containers() != null) {
            containerNotes(m.containers(), options, out);
        }
        if (m.get() != null) {
            out.append(String.format(Locale.ROOT, """
                    - GET: `GET .../computes/{name}` of a running instance (on the %s backend's server) by %d clients
                      (virtual threads, one HTTP/1.1 keep-alive TLS connection each), %s warm-up, %s measured;
                      latency runs to the last byte. Closed loop: each client sends again as soon as it has the answer
                      (%,d answers), i.e. the server at saturation.
                    """, m.instances() != null ? "host-process" : "container", options.clients(),
                    seconds(options.warmup()), seconds(options.window()), m.get().requests()));
        }
        if (m.paced() != null) {
            out.append(String.format(Locale.ROOT, """
                      Paced: the clients together send %,.0f requests a second on a fixed schedule (%,d answers);
                      latency counts from when each request was due, so a stall is not hidden.
                    """, m.paced().rate(), m.paced().requests()));
        }
        if (m.gateway() != null) {
            out.append(String.format(Locale.ROOT, """
                    - Gateway: on one running instance of the host-process backend%s, %,d requests of each path
                      through the app gateway (HTTPS, a Hangar token) and as many straight at its Jupyter (plain
                      HTTP on 127.0.0.1, Jupyter's own token), one at a time, each way on a keep-alive connection of
                      its own, taking turns; after %,d of each through the gateway as warm-up. Latency runs from the
                      request's first byte out to the answer's last byte in.
                    """, m.instances() == null ? " (a server of its own, `--gateway-only`)" : "",
                    m.gateway().requests(), GatewayBench.WARMUP_REQUESTS));
        }
        if (m.jobs() != null) {
            out.append(String.format(Locale.ROOT, """
                    - Jobs: on one running instance of the host-process backend, of a size with %d vCPUs (added to the
                      catalog for the bench), so that the queue and not the instance's cores is timed. Submit →
                      Running: %d jobs `true` one at a time, from before the `PUT` is sent to the `startTime` the
                      server records once the job's process runs (one clock: the same machine). Throughput: %,d jobs
                      `echo $HANGAR_JOB_NAME` submitted by %d clients at once, from the first `PUT` to the last
                      recorded end; each then checked: Completed, its history Queued → Starting → Running →
                      Finalizing → Completed, its log its name. Baselines: the same commands run by bash straight from
                      a JVM, %d at a time; and as many subshells `( : )` forked by bash, one bash per core, which
                      bounds any queue that runs each job in a process of its own on this machine.
                    - Slurm: %s
                    """, JobBench.VCPUS, JobBench.LATENCY_JOBS, m.jobs().jobs(), JobBench.SUBMITTERS,
                    JobBench.SUBMITTERS, m.jobs().slurm() == null || m.jobs().slurm().skipped() == null
                            ? "Debian's slurm-wlm on this machine, one node oversubscribed ten times, no batch delay"
                            + " (the machine notes' tuning), started for the bench; " + JobBench.SUBMITTERS
                            + " `sbatch` at a time, timed from the first to an empty `squeue`."
                            : "not measured: " + m.jobs().slurm().skipped()));
        }
        if (m.clusters() != null) {
            out.append(String.format(Locale.ROOT, """
                    - Clusters: on the same server, a cluster of %s nodes, 0 to %d, idle time %d s, the scaler on its
                      shipped interval (1 s). Scale up: %d jobs `sleep 3` submitted at once, from the first `PUT` to
                      the last recorded `startTime`. Scale down: from the last job's end plus the idle time until
                      `listNodes` is empty. Then %d jobs `true` through the %d nodes, one job per node at a time,
                      from the first `PUT` to the last recorded end.
                    """, ClusterBench.SIZE, ClusterBench.NODES, ClusterBench.IDLE_SECONDS, ClusterBench.NODES,
                    ClusterBench.QUEUED, ClusterBench.NODES));
        }
        out.append("\n").append(allMet(rows) ? "Every target met." : "Some targets missed.").append("\n");
        return out.toString();
    }

    private static void containerNotes(ContainerBench.Section section, BenchOptions options, StringBuilder out) {
        switch (section) {
            case ContainerBench.Measured measured -> out.append(String.format(Locale.ROOT, """
                    - Containers: %d instances of %s on a second server, on the docker backend (default settings),
                      image `%s`, engine %s (a Podman API service of the bench's own).
                      In brackets beside each figure, the raw engine: the same container (same image, init, CPU,
                      memory, pids and ulimits, published port, volumes, environment) made and started straight
                      through the Engine API with docker-java, timed until its Jupyter answers `GET <base>api` with its
                      token, then the first cell straight at Jupyter. Hangar and the raw engine took turns, one
                      instance each. Overhead: Hangar's p50 over the raw engine's, in %% of the raw engine's.
                    """, options.instances(), InstanceBench.SIZE, measured.image(), measured.engine()));
            case ContainerBench.Skipped skipped -> out.append("- Containers: not measured: ")
                    .append(skipped.reason().strip().replace("\n", " ").replace('|', '/'))
                    .append(options.backend() == BenchOptions.Backend.LOCAL ? "\n"
                            : "\n  `bin/bench --backend both` installs Podman and builds the image first.\n");
        }
    }

    private static void jobRows(JobBench.Result jobs, List<Row> rows) {
        rows.add(new Row("jobs: submit → Running, p50", millis(jobs.submitToRunning().percentile(50)),
                "≤ " + millis(JOB_SUBMIT_TO_RUNNING_P50),
                Row.Verdict.of(jobs.submitToRunning().percentile(50).compareTo(JOB_SUBMIT_TO_RUNNING_P50) <= 0)));
        rows.add(Row.info("jobs: submit → Running, p95", millis(jobs.submitToRunning().percentile(95))));
        rows.add(new Row(String.format(Locale.ROOT, "jobs: throughput, %,d trivial jobs at once", jobs.jobs()),
                String.format(Locale.ROOT, "%,.0f jobs/s (%.2f s)", jobs.perSecond(), jobs.wall().toNanos() / 1e9),
                String.format(Locale.ROOT, "≥ %,d jobs/s", JOB_THROUGHPUT), Row.Verdict.of(jobs.perSecond()
                        >= JOB_THROUGHPUT)));
        rows.add(Row.info("jobs: the same commands spawned by bash straight from a JVM, no queue",
                String.format(Locale.ROOT, "%,.0f /s", jobs.rawPerSecond())));
        rows.add(Row.info("jobs: subshells forked by bash, one bash per core (the machine's ceiling for a process per"
                + " job)", String.format(Locale.ROOT, "%,.0f /s", jobs.forksPerSecond())));
        var slurm = jobs.slurm();
        rows.add(Row.info(String.format(Locale.ROOT, "jobs: the same number of `sbatch --wrap true` through a local"
                + " Slurm"), slurm == null || slurm.skipped() != null ? "not measured (see below)"
                : String.format(Locale.ROOT, "%,.1f jobs/s (%.2f s, %d completed)", slurm.perSecond(),
                        slurm.wall().toNanos() / 1e9, slurm.completed())));
        rows.add(new Row("jobs: completed with every transition and their log recorded",
                jobs.recorded() + " of " + jobs.jobs(), "all", Row.Verdict.of(jobs.recorded() == jobs.jobs())));
        if (slurm != null && slurm.skipped() == null) {
            rows.add(Row.info(String.format(Locale.ROOT, "jobs: the same number through Hangar onto that Slurm,"
                    + " attached"), String.format(Locale.ROOT, "%,.1f jobs/s (%.2f s, %d of %d recorded whole)",
                    slurm.attachedPerSecond(), slurm.attachedWall().toNanos() / 1e9, slurm.attachedRecorded(),
                    slurm.jobs())));
            rows.add(Row.info(String.format(Locale.ROOT, "jobs: submit → Running on the attached Slurm, p50 / p95"
                    + " (%d jobs one at a time)", JobBench.SLURM_LATENCY_JOBS),
                    millis(slurm.attachedSubmitToRunning().percentile(50)) + " / "
                            + millis(slurm.attachedSubmitToRunning().percentile(95))));
        }
    }

    private static void clusterRows(ClusterBench.Result clusters, List<Row> rows) {
        rows.add(Row.info(String.format(Locale.ROOT, "clusters: 0 → %d nodes for %d waiting jobs, until all run",
                ClusterBench.NODES, ClusterBench.NODES), seconds(clusters.scaleUp())));
        rows.add(new Row("clusters: most nodes at any look", Integer.toString(clusters.mostNodes()),
                "≤ " + ClusterBench.NODES + " (maxNodeCount)", Row.Verdict.of(clusters.mostNodes()
                        <= ClusterBench.NODES)));
        rows.add(Row.info(String.format(Locale.ROOT, "clusters: idle nodes gone, past the idle time (%d s)",
                ClusterBench.IDLE_SECONDS), seconds(clusters.scaleDown())));
        rows.add(new Row(String.format(Locale.ROOT, "clusters: %d trivial jobs through %d nodes",
                ClusterBench.QUEUED, ClusterBench.NODES), String.format(Locale.ROOT, "%,.1f jobs/s (%d completed)",
                clusters.perSecond(), clusters.completed()), "all completed",
                Row.Verdict.of(clusters.completed() == ClusterBench.QUEUED)));
    }

    private static Row atMost(String metric, Duration value, Duration target) {
        return new Row(metric, seconds(value), "≤ " + seconds(target), Row.Verdict.of(value.compareTo(target) <= 0));
    }

    private static Row errors(String name, GetLoad.Result result) {
        var first = result.firstError() == null ? "" : " (" + shorten(result.firstError()) + ")";
        return new Row(name + ": errors", result.errors() + first, "0", Row.Verdict.of(result.errors() == 0));
    }

    private static String pair(Samples samples) {
        return seconds(samples.percentile(50)) + " / " + seconds(samples.percentile(95));
    }

    private static String latencies(Samples samples) {
        return millis(samples.percentile(50)) + " / " + millis(samples.percentile(99)) + " / " + millis(samples.max());
    }

    static String seconds(Duration value) {
        return String.format(Locale.ROOT, "%.2f s", value.toNanos() / 1e9);
    }

    static String millis(Duration value) {
        return String.format(Locale.ROOT, "%.2f ms", value.toNanos() / 1e6);
    }

    private static String shorten(String text) {
        var line = text.replace('\n', ' ').replace('|', '/');
        return line.length() > 80 ? line.substring(0, 80) + "…" : line;
    }
}
