package dev.hangar.server.studio;

import java.util.List;

/**
 * The compute list's tab of clusters or of attached computes: a page of them as {@code query} asks (search, "created
 * by me", a page of {@value ComputeQuery#PAGE_SIZE}), newest pages further on.
 *
 * @param tab   "clusters" or "attached"
 * @param more  whether a next page has rows
 * @param live  the URL of the tab's live updates, or null when it has none
 */
public record OtherComputesView(Chrome chrome, String workspacePath, String tab, ComputeQuery query,
                                List<OtherComputeRow> rows, boolean more, String live) {

    public String path() {
        return workspacePath + "/" + tab;
    }

    public String href(ComputeQuery other) {
        var query = other.queryString();
        return query.isEmpty() ? path() : path() + "?" + query;
    }

    public String self() {
        return href(query);
    }

    public String previous() {
        return query.page() > 1 ? href(query.onPage(query.page() - 1)) : null;
    }

    public String next() {
        return more ? href(query.onPage(query.page() + 1)) : null;
    }

    public String title() {
        return tab.equals("clusters") ? "Compute clusters" : "Attached computes";
    }
}
