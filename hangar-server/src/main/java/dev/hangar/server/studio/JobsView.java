package dev.hangar.server.studio;

import dev.hangar.core.job.JobStatus;
import java.util.Arrays;
import java.util.List;

/**
 * The job list: one page of a workspace's jobs as {@code query} asks, and how to reach the others.
 *
 * @param path      the list's own path, e.g. {@code /w/default/jobs}
 * @param total     how many jobs the query finds in all
 * @param canSubmit whether the reader may submit jobs (the Submit link shows then)
 * @param computes  the workspace's computes, for the compute filter
 * @param seen      what the page was read at, for its live updates to send what changed since
 */
public record JobsView(Chrome chrome, String path, JobQuery query, List<JobRow> rows, int total, boolean canSubmit,
                       List<String> computes, String seen) {

    /** The statuses the status filter offers, in the order a job meets them. */
    public static final List<String> STATUSES = Arrays.stream(JobStatus.values()).map(Enum::name).toList();

    public List<String> statuses() {
        return STATUSES;
    }

    /** Where this page stands among the list's pages. */
    public Paging paging() {
        return new Paging(query.page(), JobQuery.PAGE_SIZE, total, rows.size(), page -> href(query.onPage(page)));
    }

    public String href(JobQuery other) {
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
        return path + "/live?" + (query.isEmpty() ? "" : query + "&") + "seen=" + seen;
    }
}
