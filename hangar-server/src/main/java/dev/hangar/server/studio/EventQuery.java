package dev.hangar.server.studio;

import dev.hangar.core.audit.AuditFilter;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * What the events page shows, as its URL's query says: the API's filters of {@code GET /hangar/v1/events}
 * ({@code target}, {@code action}, {@code actor}, {@code result}, {@code since}, {@code until}), {@code all} (every
 * workspace's, for administrators) and {@code page}. Times are read in UTC, as a browser's date-and-time field sends
 * them ({@code 2026-01-31T12:00} or with seconds) or as ISO 8601 instants; one that is neither is {@code invalid}.
 */
public record EventQuery(String target, String action, String actor, String result, Instant since, Instant until,
                         boolean all, int page, String invalid) {
    public static final int PAGE_SIZE = 50;
    /** The results the API records, which the outcome filter offers. */
    public static final java.util.List<String> RESULTS = java.util.List.of("Succeeded", "Accepted", "Failed");
    static final int LONGEST_TEXT = 200;
    private static final DateTimeFormatter FIELD = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    public EventQuery {
        target = text(target);
        action = text(action);
        actor = text(actor);
        var asked = String.valueOf(result).strip();
        result = RESULTS.stream().filter(asked::equalsIgnoreCase).findFirst().orElse("");
        page = Math.max(1, Math.min(page, AuditFilter.MAX_SKIP / PAGE_SIZE));
    }

    public static EventQuery of(RoutingContext ctx) {
        var request = ctx.request();
        int page;
        try {
            page = Integer.parseInt(String.valueOf(request.getParam("page")));
        } catch (NumberFormatException e) {
            page = 1;
        }
        var invalid = new StringBuilder();
        var since = time(request.getParam("since"), "From", invalid);
        var until = time(request.getParam("until"), "To", invalid);
        return new EventQuery(request.getParam("target"), request.getParam("action"), request.getParam("actor"),
                request.getParam("result"), since, until, "1".equals(request.getParam("all")), page,
                invalid.isEmpty() ? null : invalid.toString());
    }

    /** The core's filter for this page, one event more than a page to tell whether another follows. */
    public AuditFilter filter(UUID workspaceId) {
        return new AuditFilter(all ? null : workspaceId, all, since, until, blank(actor), blank(action), blank(target),
                blank(result), PAGE_SIZE + 1, (page - 1) * PAGE_SIZE);
    }

    /** This query on another page, its end fixed at {@code readAt} when it had none, so that the pages hold still. */
    public EventQuery onPage(int other, Instant readAt) {
        var end = until != null ? until : readAt.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        return new EventQuery(target, action, actor, result, since, end, all, other, null);
    }

    /** A time as the page's date-and-time fields show it, in UTC; empty for none. */
    public static String field(Instant time) {
        return time == null ? "" : FIELD.format(time);
    }

    public String sinceField() {
        return field(since);
    }

    public String untilField() {
        return field(until);
    }

    public boolean filtered() {
        return !target.isEmpty() || !action.isEmpty() || !actor.isEmpty() || !result.isEmpty() || since != null
                || until != null;
    }

    /** The query string that asks for this, without defaults. */
    public String queryString() {
        var query = new StringBuilder();
        add(query, "target", target);
        add(query, "action", action);
        add(query, "actor", actor);
        add(query, "result", result);
        add(query, "since", sinceField());
        add(query, "until", untilField());
        add(query, "all", all ? "1" : "");
        add(query, "page", page > 1 ? String.valueOf(page) : "");
        return query.isEmpty() ? "" : query.substring(1);
    }

    private static void add(StringBuilder query, String name, String value) {
        if (!value.isEmpty()) {
            query.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    private static Instant time(String text, String name, StringBuilder invalid) {
        if (text == null || text.isBlank()) {
            return null;
        }
        var stripped = text.strip();
        try {
            return Instant.parse(stripped);
        } catch (DateTimeParseException notAnInstant) {
            try {
                return LocalDateTime.parse(stripped).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notALocalTime) {
                invalid.append(invalid.isEmpty() ? "" : " ").append(name).append(" is not a time: write it as")
                        .append(" 2026-01-31T12:00 (UTC).");
                return null;
            }
        }
    }

    private static String text(String text) {
        var stripped = text == null ? "" : text.strip();
        return stripped.length() > LONGEST_TEXT ? stripped.substring(0, LONGEST_TEXT) : stripped;
    }

    private static String blank(String text) {
        return text.isEmpty() ? null : text;
    }
}
