package dev.hangar.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {
    @Test
    void defaultsAreTheIssuesFigures() {
        var options = BenchOptions.parse(List.of());

        assertThat(options.instances()).isEqualTo(20);
        assertThat(options.clients()).isEqualTo(64);
        assertThat(options.warmup()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.window()).isEqualTo(Duration.ofSeconds(20));
        assertThat(options.rate()).isEqualTo(2_000);
        assertThat(options.output()).endsWithRaw(Path.of("hangar-bench", "target", "bench-report.md"));
        assertThat(options.strict()).isFalse();
        assertThat(options.backend()).isEqualTo(BenchOptions.Backend.AUTO);
        assertThat(options.gatewayRequests()).isEqualTo(GatewayBench.DEFAULT_REQUESTS);
        assertThat(options.gatewayOnly()).isFalse();
    }

    @Test
    void theGatewayComparisonRunsAloneOrNotAtAll() {
        var alone = BenchOptions.parse(List.of("--gateway-only", "--quick"));
        assertThat(alone.gatewayOnly()).isTrue();
        assertThat(alone.gatewayRequests()).isEqualTo(GatewayBench.QUICK_REQUESTS);
        assertThat(BenchOptions.parse(List.of("--gateway-requests", "0")).gatewayRequests()).isZero();
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--gateway-only", "--gateway-requests", "0")))
                .hasMessageContaining("--gateway-only");
    }

    @Test
    void theBackendIsNamed() {
        assertThat(BenchOptions.parse(List.of("--backend", "local")).backend()).isEqualTo(BenchOptions.Backend.LOCAL);
        assertThat(BenchOptions.parse(List.of("--backend", "Docker")).backend())
                .isEqualTo(BenchOptions.Backend.DOCKER);
        var both = BenchOptions.parse(List.of("--quick", "--backend", "both")).backend();
        assertThat(both.local()).isTrue();
        assertThat(both.containers()).isTrue();
        assertThat(both.containersRequired()).isTrue();
        assertThat(BenchOptions.Backend.AUTO.containersRequired()).isFalse();
        assertThat(BenchOptions.Backend.DOCKER.local()).isFalse();
        assertThat(BenchOptions.Backend.LOCAL.containers()).isFalse();
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--backend", "kubernetes")))
                .hasMessageContaining("--backend").hasMessageContaining("kubernetes");
    }

    @Test
    void explicitOptionsWinOverQuickInAnyOrder() {
        var options = BenchOptions.parse(List.of("--instances", "5", "--quick", "--get-seconds", "0.5",
                "--clients", "8", "--output", "r.md", "--strict", "--get-rate", "0"));

        assertThat(options.instances()).isEqualTo(5);
        assertThat(options.clients()).isEqualTo(8);
        assertThat(options.warmup()).isEqualTo(BenchOptions.QUICK_WARMUP);
        assertThat(options.window()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.output()).isEqualTo(Path.of("r.md"));
        assertThat(options.strict()).isTrue();
        assertThat(options.rate()).isZero();
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--instances", "many")))
                .hasMessageContaining("--instances");
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--clients"))).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--fast"))).hasMessageContaining("--fast");
        assertThatThrownBy(() -> BenchOptions.parse(List.of("--instances", "0"))).hasMessageContaining("at least 1");
    }
}
