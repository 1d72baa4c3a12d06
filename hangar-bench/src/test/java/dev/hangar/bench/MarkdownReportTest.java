package dev.hangar.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The container section's rows and notes, on figures made up for the purpose. */
class MarkdownReportTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void containerRowsSetHangarBesideTheRawEngineAndCountTheTargets() {
        // Hangar: create → cell 2.2 s, start → Running 1.5 s; the raw engine: 2.0 s and 1.2 s.
        var hangar = results(2.2, 1.5);
        var raw = results(2.0, 1.2);
        var measured = measurements(new ContainerBench.Measured(hangar, raw, 0, 0, "localhost/hangar-instance:x",
                "Podman Engine 4.3.1 (API 1.41)"), BenchOptions.Backend.AUTO);

        var rows = MarkdownReport.rows(measured);

        assertThat(row(rows, "containers: create → first cell, p50 (raw engine)"))
                .isEqualTo(new Row("containers: create → first cell, p50 (raw engine)", "2.20 s (2.00 s)", "≤ 3.00 s",
                        Row.Verdict.PASS));
        assertThat(row(rows, "containers: create → first cell: Hangar's overhead on the raw engine, p50"))
                .isEqualTo(new Row("containers: create → first cell: Hangar's overhead on the raw engine, p50",
                        "+10.0 % (+0.20 s)", "≤ 10 %", Row.Verdict.PASS));
        assertThat(row(rows, "containers: start (Stopped → Running), p50 (raw engine: start → Jupyter answers)"))
                .extracting(Row::value, Row::target, Row::verdict)
                .containsExactly("1.50 s (1.20 s)", "≤ 2.00 s", Row.Verdict.PASS);
        assertThat(row(rows, "containers: start: Hangar's overhead on the raw engine, p50"))
                .extracting(Row::value, Row::verdict).containsExactly("+25.0 % (+0.30 s)", Row.Verdict.FAIL);
        assertThat(row(rows, "containers: containers and volumes left after delete").verdict())
                .isEqualTo(Row.Verdict.PASS);
        assertThat(MarkdownReport.allMet(rows)).isFalse();
        assertThat(MarkdownReport.render(measured)).contains(
                "- Containers: 3 instances of STANDARD_DS1_V2 on a second server",
                "Podman Engine 4.3.1", "`localhost/hangar-instance:x`", "Some targets missed.");
    }

    @Test
    void aSkippedSectionSaysWhyAndMissesNoTarget() {
        var measured = measurements(new ContainerBench.Skipped("Podman cannot run Hangar's containers here: podman"
                + " is not installed."), BenchOptions.Backend.AUTO);

        var rows = MarkdownReport.rows(measured);

        assertThat(rows).extracting(Row::metric).noneMatch(metric -> metric.contains("overhead"));
        assertThat(row(rows, "containers: create → first cell, start (vs the raw engine)").value())
                .isEqualTo("not measured (see below)");
        assertThat(MarkdownReport.allMet(rows)).isTrue();
        assertThat(MarkdownReport.render(measured)).contains(
                "- Containers: not measured: Podman cannot run Hangar's containers here: podman is not installed.",
                "`bin/bench --backend both` installs Podman", "Every target met.");
    }

    @Test
    void jobRowsCountTheQueueAgainstItsTargetsBesideTheMachinesCeiling() {
        var jobs = new JobBench.Result(Samples.of(20_000_000, 30_000_000, 60_000_000), 1_000, Duration.ofSeconds(4),
                999, Duration.ofSeconds(2), Duration.ofSeconds(1), new JobBench.Slurm(1_000, Duration.ofSeconds(40), 1_000,
                Duration.ofSeconds(50), 1_000, Samples.of(400_000_000, 600_000_000, 900_000_000), null));
        var base = measurements(new ContainerBench.Skipped("not here"), BenchOptions.Backend.LOCAL);
        var measured = new MarkdownReport.Measurements(base.options(), base.at(), base.instances(), base.get(), null,
                0, base.containers(), jobs, new ClusterBench.Result(Duration.ofSeconds(3), Duration.ofMillis(900), 8,
                Duration.ofSeconds(10), 200), null, null, null, null, base.elapsed(), base.environment());

        var rows = MarkdownReport.rows(measured);

        assertThat(row(rows, "jobs: submit → Running, p50")).extracting(Row::value, Row::verdict)
                .containsExactly("30.00 ms", Row.Verdict.PASS);
        assertThat(row(rows, "clusters: most nodes at any look")).extracting(Row::value, Row::verdict)
                .containsExactly("8", Row.Verdict.PASS);
        assertThat(row(rows, "clusters: 200 trivial jobs through 8 nodes").value()).isEqualTo("20.0 jobs/s (200 completed)");
        assertThat(row(rows, "jobs: throughput, 1,000 trivial jobs at once")).extracting(Row::value, Row::verdict)
                .containsExactly("250 jobs/s (4.00 s)", Row.Verdict.FAIL);
        assertThat(row(rows, "jobs: the same commands spawned by bash straight from a JVM, no queue").value())
                .isEqualTo("500 /s");
        assertThat(row(rows, "jobs: subshells forked by bash, one bash per core (the machine's ceiling for a process"
                + " per job)").value()).isEqualTo("1,000 /s");
        assertThat(row(rows, "jobs: completed with every transition and their log recorded").verdict())
                .isEqualTo(Row.Verdict.FAIL);
        assertThat(row(rows, "jobs: the same number of `sbatch --wrap true` through a local Slurm").value())
                .isEqualTo("25.0 jobs/s (40.00 s, 1000 completed)");
        assertThat(row(rows, "jobs: the same number through Hangar onto that Slurm, attached").value())
                .isEqualTo("20.0 jobs/s (50.00 s, 1000 of 1000 recorded whole)");
        assertThat(row(rows, "jobs: submit → Running on the attached Slurm, p50 / p95 (20 jobs one at a time)")
                .value()).isEqualTo("600.00 ms / 900.00 ms");
        assertThat(MarkdownReport.render(measured)).contains("500 jobs/s", "- Jobs: on one running instance",
                "- Slurm: Debian's slurm-wlm");
    }

    @Test
    void gatewayRowsHoldEachPercentileToItsDirectFigureAndOnlyThemRunWithGatewayOnly() {
        var files = new GatewayBench.Comparison(GatewayBench.STATIC_FILE, Samples.of(1_100_000, 1_500_000),
                Samples.of(1_000_000, 1_000_000), "max-age=315360000", "max-age=315360000", null, null);
        var api = new GatewayBench.Comparison(GatewayBench.API_CALL, Samples.of(5_000_000, 6_000_000),
                Samples.of(4_000_000, 4_000_000), null, null, "gzip", null);
        var options = BenchOptions.parse(List.of("--gateway-only", "--gateway-requests", "2"));
        var measured = new MarkdownReport.Measurements(options, Instant.EPOCH, null, null, null, 0, null, null, null,
                null, new GatewayBench.Result(2, files, api), null, null, Duration.ofSeconds(30), "2 cores");

        var rows = MarkdownReport.rows(measured);

        assertThat(row(rows, "gateway: Jupyter static file (GET " + GatewayBench.STATIC_FILE + "), p50 through the"
                + " gateway (direct)")).extracting(Row::value, Row::target, Row::verdict)
                .containsExactly("1.10 ms (1.00 ms): 1.10×", "≤ 1.2× direct", Row.Verdict.PASS);
        assertThat(row(rows, "gateway: Jupyter static file (GET " + GatewayBench.STATIC_FILE + "), p95 through the"
                + " gateway (direct)").verdict()).isEqualTo(Row.Verdict.FAIL);
        assertThat(row(rows, "gateway: Jupyter API call (GET api/contents), p50 through the gateway (direct)")
                .verdict()).isEqualTo(Row.Verdict.FAIL);
        assertThat(row(rows, "gateway: Jupyter's Cache-Control on the static file, through the gateway (direct)"))
                .extracting(Row::value, Row::verdict)
                .containsExactly("max-age=315360000 (max-age=315360000)", Row.Verdict.PASS);
        assertThat(row(rows, "gateway: Content-Encoding of the static file and the API call, through the gateway"
                + " (direct)").value()).isEqualTo("none, gzip (none, none)");
        assertThat(rows).hasSize(7).last().extracting(Row::metric).isEqualTo("instance processes left after delete");
        assertThat(MarkdownReport.render(measured)).contains("- Gateway: on one running instance", "--gateway-only")
                .doesNotContain("- GET:", "- Containers:");
    }

    private static InstanceBench.Results results(double createToCell, double startToRunning) {
        var create = new InstanceBench.Timing(SECOND / 10, nanos(createToCell - 1), nanos(createToCell - 0.5),
                nanos(createToCell));
        var start = new InstanceBench.Timing(SECOND / 10, nanos(startToRunning), nanos(startToRunning + 0.5),
                nanos(startToRunning + 1));
        return new InstanceBench.Results(List.of(create, create, create), List.of(start, start, start));
    }

    private static long nanos(double seconds) {
        return Math.round(seconds * SECOND);
    }

    private static MarkdownReport.Measurements measurements(ContainerBench.Section containers,
                                                            BenchOptions.Backend backend) {
        var options = BenchOptions.parse(List.of("--instances", "3", "--get-rate", "0", "--backend",
                backend.name()));
        var local = results(1.5, 1.0);
        var get = new GetLoad.Result(64, 0, Duration.ofSeconds(2), 10_000, 0, null, Samples.of(1_000_000, 2_000_000),
                Samples.of(1_000_000, 2_000_000), new GetLoad.Cpu(1.0, 0.5, 1.6, 0, 2));
        return new MarkdownReport.Measurements(options, Instant.EPOCH, local, get, null, 0, containers, null, null,
                null, null, null, null, Duration.ofSeconds(60), "2 cores");
    }

    private static Row row(List<Row> rows, String metric) {
        return rows.stream().filter(row -> row.metric().equals(metric)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + metric + " in " + rows));
    }
}
