package dev.hangar.server.http;

import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code wait} preference of RFC 7240 ({@code Prefer: wait=10}): how many seconds the client is willing to wait for
 * an answer that says more than the one the server has now. A preference is a hint: a malformed or negative value is
 * ignored, as the RFC asks, rather than refused. The server says it honoured it with {@code Preference-Applied}.
 */
public final class PreferWait {
    public static final String APPLIED_HEADER = "Preference-Applied";

    private PreferWait() {
    }

    /** The wait the request's {@code Prefer} headers ask for, if any. */
    public static Optional<Duration> of(RoutingContext ctx) {
        return parse(ctx.request().headers().getAll("Prefer"));
    }

    /** The first valid {@code wait=<seconds>} among the header values, each a comma-separated list of preferences. */
    static Optional<Duration> parse(List<String> values) {
        for (var value : values) {
            for (var preference : value.split(",")) {
                var head = preference.split(";", 2)[0];
                var equals = head.indexOf('=');
                if (equals < 0 || !head.substring(0, equals).strip().toLowerCase(Locale.ROOT).equals("wait")) {
                    continue;
                }
                var seconds = head.substring(equals + 1).strip();
                if (seconds.length() >= 2 && seconds.startsWith("\"") && seconds.endsWith("\"")) {
                    seconds = seconds.substring(1, seconds.length() - 1);
                }
                if (!seconds.isEmpty() && seconds.length() <= 9 && seconds.chars().allMatch(Character::isDigit)) {
                    return Optional.of(Duration.ofSeconds(Long.parseLong(seconds)));
                }
            }
        }
        return Optional.empty();
    }

    /** The {@code Preference-Applied} value for a wait of {@code applied}. */
    public static String applied(Duration applied) {
        return "wait=" + applied.toSeconds();
    }
}
