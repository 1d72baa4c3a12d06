package dev.hangar.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SamplesTest {
    @Test
    void percentilesAreNearestRank() {
        var samples = Samples.of(LongStream.rangeClosed(1, 100).map(i -> 101 - i).toArray());

        assertThat(samples.percentile(50)).isEqualTo(Duration.ofNanos(50));
        assertThat(samples.percentile(95)).isEqualTo(Duration.ofNanos(95));
        assertThat(samples.percentile(99)).isEqualTo(Duration.ofNanos(99));
        assertThat(samples.percentile(100)).isEqualTo(samples.max()).isEqualTo(Duration.ofNanos(100));
    }

    @Test
    void aFewSamplesAndNone() {
        assertThat(Samples.of(7, 3).percentile(50)).isEqualTo(Duration.ofNanos(3));
        assertThat(Samples.of(7, 3).percentile(95)).isEqualTo(Duration.ofNanos(7));
        assertThat(Samples.of().percentile(99)).isEqualTo(Duration.ZERO);
        assertThat(Samples.of().isEmpty()).isTrue();
    }

    @Test
    void theRecorderGrows() {
        var recorder = new Samples.Recorder();
        for (long i = 0; i < 10_000; i++) {
            recorder.add(i);
        }
        assertThat(recorder.size()).isEqualTo(10_000);
        assertThat(Samples.of(recorder.values()).max()).isEqualTo(Duration.ofNanos(9_999));
    }
}
