package dev.hangar.server.studio;

import java.util.HashMap;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The live updates of a list page: a row that changed is sent as itself (its HTML, under its own event name, which
 * the row's {@code sse-swap} takes), and a change in which rows the page holds (one joined, left or moved) as a
 * {@code list} event, on which the page reloads its table. The page says what it was read at ({@code seen}: the
 * store's commit count and its rows' membership), so that what changed in between is sent at once.
 */
final class LiveRows {
    /** The event on which a list page reloads its table. */
    static final String LIST = "list";

    private LiveRows() {
    }

    /** One row as the page shows it: the event it is updated under and its HTML. */
    record Row(String event, String html) {
    }

    /** A look at the list: what changes when a row joins, leaves or moves, and the rows. */
    record Look(String membership, List<Row> rows) {
    }

    /**
     * @param pageSeen what the page says it was read at, {@code <commits>.<membership>}
     * @param seenNow  what the first look was read at, in the same form
     * @param first    the first look, taken with the stream's checks
     * @param again    each later look, which checks the reader again
     */
    static LiveStream.Source source(String pageSeen, String seenNow, Look first, Callable<Look> again) {
        var sent = new HashMap<String, String>();
        var membership = new String[] {pageSeen.contains(".") ? pageSeen.substring(pageSeen.indexOf('.') + 1) : ""};
        var stale = !pageSeen.equals(seenNow);
        return firstLook -> {
            var look = firstLook ? first : again.call();
            var events = LiveStream.events();
            if (!look.membership().equals(membership[0])) {
                membership[0] = look.membership();
                events.add(new LiveStream.Event(LIST, ""));
            }
            for (var row : look.rows()) {
                var before = sent.put(row.event(), row.html());
                if (before == null ? !firstLook || stale : !before.equals(row.html())) {
                    events.add(new LiveStream.Event(row.event(), row.html()));
                }
            }
            return events;
        };
    }

    /** A short digest of the keys of a page's rows and the list's total, for {@link Look#membership}. */
    static String membership(int total, List<String> keys) {
        var text = new StringBuilder().append(total);
        keys.forEach(key -> text.append(',').append(key));
        return Integer.toHexString(text.toString().hashCode());
    }
}
