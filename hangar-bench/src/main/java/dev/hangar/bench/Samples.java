package dev.hangar.bench;

import java.time.Duration;
import java.util.Arrays;

/** Measured durations in nanoseconds, sorted once; percentiles by nearest rank. Immutable. */
final class Samples {
    private final long[] sorted;

    private Samples(long[] sorted) {
        this.sorted = sorted;
    }

    static Samples of(long... nanos) {
        var copy = nanos.clone();
        Arrays.sort(copy);
        return new Samples(copy);
    }

    int count() {
        return sorted.length;
    }

    boolean isEmpty() {
        return sorted.length == 0;
    }

    /** The smallest sample that at least {@code percent} % of the samples do not exceed; zero when empty. */
    Duration percentile(double percent) {
        if (sorted.length == 0) {
            return Duration.ZERO;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return Duration.ofNanos(sorted[Math.clamp(rank - 1, 0, sorted.length - 1)]);
    }

    Duration max() {
        return sorted.length == 0 ? Duration.ZERO : Duration.ofNanos(sorted[sorted.length - 1]);
    }

    /** Appends samples without boxing; not thread-safe, one per recording thread. */
    static final class Recorder {
        private long[] values = new long[4096];
        private int size;

        void add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        int size() {
            return size;
        }

        long[] values() {
            return Arrays.copyOf(values, size);
        }
    }
}
