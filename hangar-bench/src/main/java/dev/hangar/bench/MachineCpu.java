package dev.hangar.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The whole machine's CPU counters from {@code /proc/stat} (Linux), to tell how much of the machine the server and
 * the load generator had: other processes on a shared machine, or a hypervisor's steal, show up here and nowhere else.
 */
record MachineCpu(long busy, long steal, long total) {
    private static final Path STAT = Path.of("/proc/stat");

    /** Now; all zero when {@code /proc/stat} cannot be read. */
    static MachineCpu now() {
        try (var lines = Files.lines(STAT)) {
            var first = lines.findFirst().orElse("");
            if (!first.startsWith("cpu ")) {
                return new MachineCpu(0, 0, 0);
            }
            // user nice system idle iowait irq softirq steal ...
            var ticks = Arrays.stream(first.substring(4).strip().split("\\s+")).limit(8).mapToLong(Long::parseLong)
                    .toArray();
            var total = Arrays.stream(ticks).sum();
            var idle = ticks[3] + ticks[4];
            return new MachineCpu(total - idle, ticks.length > 7 ? ticks[7] : 0, total);
        } catch (IOException | RuntimeException e) {
            return new MachineCpu(0, 0, 0);
        }
    }

    /** Busy cores between {@code before} and this reading; NaN when unknown. */
    double busyCoresSince(MachineCpu before, int cores) {
        var total = this.total - before.total;
        return total <= 0 ? Double.NaN : (double) (busy - before.busy) / total * cores;
    }

    double stealCoresSince(MachineCpu before, int cores) {
        var total = this.total - before.total;
        return total <= 0 ? Double.NaN : (double) (steal - before.steal) / total * cores;
    }
}
