package dev.hangar.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --no-wait} and {@code --timeout}: whether and how long to wait for a long-running operation. */
final class WaitOptions {
    @Option(names = "--no-wait", description = "return once the server has accepted the request")
    boolean noWait;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "1800",
            description = "how long to wait for the operation (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds);
    }
}
