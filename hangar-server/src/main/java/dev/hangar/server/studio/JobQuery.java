package dev.hangar.server.studio;

import dev.hangar.core.access.User;
import dev.hangar.core.job.JobFilter;
import dev.hangar.core.job.JobStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * What the job list shows, as its URL's query says: {@code compute} (jobs on it), {@code status} (a job status, or
 * {@code active} for every status but the ended ones), {@code mine} (submitted by the reader) and {@code page}.
 * What a browser cannot have meant (an unknown status, a page past the end) is read as the nearest thing that exists,
 * not refused: the list is a page to look at.
 */
public record JobQuery(String compute, String status, boolean mine, int page) {
    public static final int PAGE_SIZE = 50;
    /** The status filter that lets through every job that has not ended. */
    public static final String ACTIVE = "active";
    /** The longest compute name kept: longer ones name no compute. */
    static final int LONGEST_COMPUTE = 64;

    public JobQuery {
        compute = compute == null ? "" : compute.strip();
        if (compute.length() > LONGEST_COMPUTE) {
            compute = compute.substring(0, LONGEST_COMPUTE);
        }
        status = known(status);
        page = Math.max(1, page);
    }

    public static JobQuery of(io.vertx.ext.web.RoutingContext ctx) {
        var request = ctx.request();
        int page;
        try {
            page = Integer.parseInt(String.valueOf(request.getParam("page")));
        } catch (NumberFormatException e) {
            page = 1;
        }
        return new JobQuery(request.getParam("compute"), request.getParam("status"),
                "1".equals(request.getParam("mine")), page);
    }

    /** {@code status} as the list knows it ({@link #ACTIVE} or a status's name), else "" (any status). */
    private static String known(String status) {
        if (status == null || status.isBlank()) {
            return "";
        }
        if (ACTIVE.equalsIgnoreCase(status.strip())) {
            return ACTIVE;
        }
        return Arrays.stream(JobStatus.values()).map(Enum::name).filter(name -> name.equalsIgnoreCase(status.strip()))
                .findFirst().orElse("");
    }

    public JobFilter filter(User reader) {
        Set<JobStatus> statuses = status.isEmpty() ? Set.of() : ACTIVE.equals(status)
                ? EnumSet.complementOf(EnumSet.of(JobStatus.Completed, JobStatus.Failed, JobStatus.Canceled))
                : Set.of(JobStatus.valueOf(status));
        return new JobFilter(compute.isEmpty() ? null : compute, statuses, mine ? reader.id() : null);
    }

    public int skip() {
        return (page - 1) * PAGE_SIZE;
    }

    /** This query on another page. */
    public JobQuery onPage(int other) {
        return new JobQuery(compute, status, mine, other);
    }

    /** The query string that asks for this, e.g. {@code compute=ci&status=Running&page=2}; empty for the defaults. */
    public String queryString() {
        var query = new StringBuilder();
        if (!compute.isEmpty()) {
            query.append("&compute=").append(URLEncoder.encode(compute, StandardCharsets.UTF_8));
        }
        if (!status.isEmpty()) {
            query.append("&status=").append(status);
        }
        if (mine) {
            query.append("&mine=1");
        }
        if (page > 1) {
            query.append("&page=").append(page);
        }
        return query.isEmpty() ? "" : query.substring(1);
    }

    /** Whether the list is filtered at all (it then says "no job matches" rather than "no jobs yet"). */
    public boolean filtered() {
        return !compute.isEmpty() || !status.isEmpty() || mine;
    }
}
