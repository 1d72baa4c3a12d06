package dev.hangar.core.job.local;

import java.time.Duration;

/**
 * How long a local run may go without a report from its submitter's CLI before it is ended as lost, and how often
 * the server looks.
 *
 * @param reportTimeout a local run with no report (start, log, outputs, end) for this long ends Failed
 *                      ({@code LocalRunLost}); the CLI reports every second while its command runs
 * @param checkInterval how often the server looks for such runs
 */
public record LocalRunSettings(Duration reportTimeout, Duration checkInterval) {
    public static final Duration DEFAULT_REPORT_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(15);

    public LocalRunSettings {
        if (reportTimeout.isNegative() || reportTimeout.isZero() || checkInterval.isNegative()
                || checkInterval.isZero()) {
            throw new IllegalArgumentException("jobs.local-report-timeout and jobs.local-check-interval must be"
                    + " positive, not " + reportTimeout + " and " + checkInterval);
        }
    }
}
