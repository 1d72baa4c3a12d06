package dev.hangar.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The report: the targets of the performance issue, each measured value beside it, and the context it came from. */
final class MarkdownReport {
    static final Duration CREATE_TO_CELL_P50 = Duration.ofSeconds(3);
    static final Duration START_P50 = Duration.ofSeconds(2);
    static final Duration GET_P99 = Duration.ofMillis(20);
    static final double GET_RPS = 2_000;

    /** Everything one run measured; {@code paced} is null when the paced GET run was skipped. */
    record Measurements(BenchOptions options, Instant at, InstanceBench.Results instances, GetLoad.Result get,
                        GetLoad.Result paced, int leftoverProcesses, Duration elapsed, String environment) {
    }

    private MarkdownReport() {
    }

    static List<Row> rows(Measurements m) {
        var rows = new ArrayList<Row>();
        instanceRows(m.instances(), rows);
        closedLoopRows(m.get(), rows);
        if (m.paced() != null) {
            pacedRows(m.paced(), rows);
        }
        rows.add(new Row("instance processes left after delete", Integer.toString(m.leftoverProcesses()), "0",
                Row.Verdict.of(m.leftoverProcesses() == 0)));
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
        out.append(String.format(Locale.ROOT, """

                - Instances: %d of %s, created one after another on one server (embedded H2, host-process backend,
                  default settings). Each clock starts before the request is sent; the state is polled every %d ms.
                  First cell: a new kernel through the app gateway, its WebSocket, `%s` answered `2`.
                - Start: each instance was stopped (not timed), then started one after another.
                - GET: `GET .../computes/{name}` of a running instance by %d clients (virtual threads, one HTTP/1.1
                  keep-alive TLS connection each), %s warm-up, %s measured; latency runs to the last byte. Closed loop:
                  each client sends again as soon as it has the answer (%,d answers), i.e. the server at saturation.
                """, options.instances(), InstanceBench.SIZE, InstanceBench.POLL.toMillis(), FirstCell.CODE,
                options.clients(), seconds(options.warmup()), seconds(options.window()), m.get().requests()));
        if (m.paced() != null) {
            out.append(String.format(Locale.ROOT, """
                      Paced: the clients together send %,.0f requests a second on a fixed schedule (%,d answers);
                      latency counts from when each request was due, so a stall is not hidden.
                    """, m.paced().rate(), m.paced().requests()));
        }
        out.append("\n").append(allMet(rows) ? "Every target met." : "Some targets missed.").append("\n");
        return out.toString();
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
