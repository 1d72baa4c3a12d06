package dev.hangar.server.studio;

import dev.hangar.core.compute.ComputeOrder;
import java.util.List;

/**
 * The compute list: one page of a workspace's instances as {@code query} asks, and how to reach the others.
 *
 * @param path      the list's own path, e.g. {@code /w/default/computes}
 * @param total     how many instances the query finds in all
 * @param acting    whether the reader may take any action in the workspace (the bulk actions show then)
 * @param canCreate whether the reader may create instances
 * @param seen      what the page was read at, for its live updates to send what changed since
 */
public record ComputesView(Chrome chrome, String path, ComputeQuery query, List<InstanceRow> rows, int total,
                           boolean acting, boolean canCreate, String seen) {

    /** Where this page stands among the list's pages. */
    public Paging paging() {
        return new Paging(query.page(), ComputeQuery.PAGE_SIZE, total, rows.size(), page -> href(query.onPage(page)));
    }

    public String href(ComputeQuery other) {
        var query = other.queryString();
        return query.isEmpty() ? path : path + "?" + query;
    }

    /** This page's own URL. */
    public String self() {
        return href(query);
    }

    /** The URL of this page's live updates. */
    public String live() {
        var query = this.query.queryString();
        return path.substring(0, path.lastIndexOf('/')) + "/live/computes?" + (query.isEmpty() ? "" : query + "&")
                + "seen=" + seen;
    }

    /** The link of a column's header: sorts by it, or the other way when it already does. */
    public String sortBy(String column) {
        var order = switch (column) {
            case "name" -> query.order() == ComputeOrder.NAME ? ComputeOrder.NAME_DESCENDING : ComputeOrder.NAME;
            case "state" -> ComputeOrder.STATE;
            default -> query.order() == ComputeOrder.NEWEST ? ComputeOrder.OLDEST : ComputeOrder.NEWEST;
        };
        return href(query.sortedBy(order));
    }

    /** The {@code aria-sort} of a column's header, or null when the list is not sorted by it. */
    public String ariaSort(String column) {
        return switch (column) {
            case "name" -> query.order() == ComputeOrder.NAME ? "ascending"
                    : query.order() == ComputeOrder.NAME_DESCENDING ? "descending" : null;
            case "state" -> query.order() == ComputeOrder.STATE ? "ascending" : null;
            default -> query.order() == ComputeOrder.NEWEST ? "descending"
                    : query.order() == ComputeOrder.OLDEST ? "ascending" : null;
        };
    }
}
