package dev.hangar.client;

import java.time.Duration;

/** Reads ARM's {@code Retry-After} header (delay-seconds) as a poll delay. */
final class RetryAfter {
    /** Used when the header is absent or unreadable. */
    static final Duration DEFAULT = Duration.ofSeconds(1);
    /** A server asking for longer still gets polled this often, so progress stays visible. */
    static final Duration MAX = Duration.ofSeconds(10);

    private RetryAfter() {
    }

    static Duration parse(String header) {
        if (header == null || header.isBlank()) {
            return DEFAULT;
        }
        try {
            long seconds = Long.parseLong(header.strip());
            if (seconds < 0) {
                return DEFAULT;
            }
            return seconds > MAX.toSeconds() ? MAX : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            return DEFAULT; // an HTTP-date: ARM servers send seconds, so keep the default rather than parse dates
        }
    }
}
