package dev.hangar.server.studio;

import java.util.List;

/**
 * The events page: one page of the audit log as its query asks, newest first.
 *
 * @param path     the page's own path, e.g. {@code /w/default/events}
 * @param mayAll   whether the reader may list every workspace's events (administrators)
 * @param error    why the query found nothing (a time that is none, a range that ends before it begins), or null
 * @param previous the newer page's URL, or null
 * @param next     the older page's URL, or null
 */
public record EventsView(Chrome chrome, String path, EventQuery query, List<EventRow> rows, boolean mayAll,
                         String error, String previous, String next) {

    public List<String> results() {
        return EventQuery.RESULTS;
    }

    /** The 1-based number of the first event shown, or 0 when there is none. */
    public int first() {
        return rows.isEmpty() ? 0 : (query.page() - 1) * EventQuery.PAGE_SIZE + 1;
    }

    public int last() {
        return (query.page() - 1) * EventQuery.PAGE_SIZE + rows.size();
    }
}
