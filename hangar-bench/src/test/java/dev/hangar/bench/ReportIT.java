package dev.hangar.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smoke run of the whole report against a real server: every phase runs and yields real, positive figures. Whether
 * they meet the targets is the report's business, not this test's (speed is never asserted in a test). The container
 * section runs when Podman and the instance image are there (as under {@code bin/test}); elsewhere it must say why
 * it did not.
 */
class ReportIT {
    @TempDir
    java.nio.file.Path dir;

    @Test
    void aQuickRunMeasuresEveryPhaseAndLeavesNothingBehind() {
        var options = BenchOptions.parse(List.of("--quick", "--instances", "2", "--get-seconds", "2",
                "--output", dir.resolve("report.md").toString()));

        // Progress goes to the failsafe report: what ran, and whether the container section ran or why not.
        var measured = Report.measure(options, line -> System.err.println("bench: " + line));

        var instances = measured.instances();
        assertThat(instances.creates()).hasSize(2).allSatisfy(timing -> {
            assertThat(timing.accepted()).isPositive();
            assertThat(timing.running()).isGreaterThanOrEqualTo(timing.accepted());
            assertThat(timing.kernel()).isGreaterThan(timing.running());
            assertThat(timing.cell()).isGreaterThan(timing.kernel());
        });
        assertThat(instances.starts()).hasSize(2)
                .allSatisfy(timing -> assertThat(timing.cell()).isGreaterThan(timing.running()).isPositive());
        for (var get : List.of(measured.get(), measured.paced())) {
            assertThat(get.requests()).isPositive();
            assertThat(get.errors()).as(get.firstError()).isZero();
            assertThat(get.latencies().percentile(99)).isPositive().isLessThanOrEqualTo(get.latencies().max());
            assertThat(get.cpu().server()).isPositive();
        }
        assertThat(measured.paced().rate()).isEqualTo(2_000);
        for (var comparison : List.of(measured.gateway().staticFile(), measured.gateway().api())) {
            assertThat(comparison.gateway().count()).isEqualTo(GatewayBench.QUICK_REQUESTS);
            assertThat(comparison.direct().count()).isEqualTo(GatewayBench.QUICK_REQUESTS);
            assertThat(comparison.gateway().percentile(50)).isPositive();
            assertThat(comparison.direct().percentile(50)).isPositive();
        }
        assertThat(measured.leftoverProcesses()).isZero();
        // The studio's section: its list on 100 instances, its first paint in Chromium, its live updates.
        assertThat(measured.studio().computes()).isEqualTo(BenchOptions.QUICK_STUDIO);
        assertThat(measured.studio().firstPage().errors()).isZero();
        assertThat(measured.studio().paints().percentile(50)).isPositive();
        assertThat(measured.studio().liveUpdates().percentile(50)).isPositive();
        // The memory section: a server at rest on 100 instances and 1,000 ended jobs.
        assertThat(measured.memory().computes()).isEqualTo(BenchOptions.QUICK_MEMORY);
        assertThat(measured.memory().jobs()).isEqualTo(10 * BenchOptions.QUICK_MEMORY);
        assertThat(measured.memory().residentBytes()).isGreaterThan(32L << 20);
        assertThat(measured.memory().residentAfterGcBytes()).isPositive();
        switch (measured.containers()) {
            case ContainerBench.Measured containers -> {
                for (var results : List.of(containers.hangar(), containers.raw())) {
                    assertThat(results.creates()).hasSize(2).allSatisfy(ReportIT::reachesItsFirstCell);
                    assertThat(results.starts()).hasSize(2).allSatisfy(ReportIT::reachesItsFirstCell);
                }
                assertThat(containers.leftovers()).isZero();
                assertThat(containers.remaining()).isZero();
                assertThat(MarkdownReport.rows(measured)).extracting(Row::metric).contains(
                        "containers: create → first cell, p50 (raw engine)",
                        "containers: create → first cell: Hangar's overhead on the raw engine, p50",
                        "containers: start (Stopped → Running), p50 (raw engine: start → Jupyter answers)",
                        "containers: start: Hangar's overhead on the raw engine, p50",
                        "containers: containers and volumes left after delete");
            }
            case ContainerBench.Skipped skipped -> {
                assertThat(skipped.reason()).isNotBlank();
                assertThat(MarkdownReport.render(measured)).contains("- Containers: not measured: ");
            }
        }

        var rows = MarkdownReport.rows(measured);
        assertThat(rows).extracting(Row::metric).contains("create → first cell, p50", "create → first cell, p95",
                "start (Stopped → Running), p50", "start (Stopped → Running), p95", "start → first cell, p50 / p95",
                "GET compute, closed loop (64 clients): throughput",
                "GET compute, closed loop (64 clients): latency p50 / p99 / max",
                "GET compute, closed loop (64 clients): errors",
                "GET compute at 2,000 req/s (64 clients, paced): latency p99",
                "GET compute at 2,000 req/s (64 clients, paced): errors",
                "gateway: Jupyter API call (GET api/contents), p50 through the gateway (direct)",
                "instance processes left after delete");
        assertThat(rows).filteredOn(row -> !row.target().isEmpty()).extracting(Row::verdict)
                .doesNotContain(Row.Verdict.NONE);
        assertThat(MarkdownReport.render(measured)).contains("| metric | value | target | result |")
                .doesNotContain("NaN");
        assertThat(measured.elapsed()).isGreaterThan(Duration.ZERO);
    }

    private static void reachesItsFirstCell(InstanceBench.Timing timing) {
        assertThat(timing.accepted()).isPositive();
        assertThat(timing.running()).isGreaterThanOrEqualTo(timing.accepted());
        assertThat(timing.kernel()).isGreaterThan(timing.running());
        assertThat(timing.cell()).isGreaterThan(timing.kernel());
    }
}
