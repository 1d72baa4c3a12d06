package dev.hangar.server.studio;

import dev.hangar.core.access.Action;
import dev.hangar.core.job.JobTargets;
import dev.hangar.core.store.Commits;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The job list ({@code /w/{ws}/jobs}): a page of the workspace's jobs as its query asks, newest first, and its live
 * updates ({@code .../live}): a job whose status changed is sent as its row, a job submitted or deleted as a
 * {@code list} event on which the page reloads its table.
 */
final class JobPages {
    static final String LIST = "/w/:ws/jobs";
    /** The id of the list's filter form, which htmx names in its requests' {@code HX-Trigger}. */
    static final String FILTERS = "job-filters";

    private final JobList list;
    private final JobTargets targets;
    private final WorkspaceService workspaces;
    private final Authentication authentication;
    private final Pages pages;
    private final Commits commits;
    private final LiveStream live;

    JobPages(JobList list, JobTargets targets, WorkspaceService workspaces, Authentication authentication, Pages pages,
             Commits commits, LiveStream live) {
        this.list = list;
        this.targets = targets;
        this.workspaces = workspaces;
        this.authentication = authentication;
        this.pages = pages;
        this.commits = commits;
        this.live = live;
    }

    void mount(RouteTable routes, StudioRoute studio) {
        routes.path(HttpMethod.GET, LIST, "/w/{ws}/jobs", Guard.WORKSPACE_ACTION, Action.JOB_READ,
                studio.handler(this::page));
        routes.path(HttpMethod.GET, LIST + "/live", "/w/{ws}/jobs/live", Guard.WORKSPACE_ACTION, Action.JOB_READ,
                studio.stream(this::stream, live));
    }

    private Reply page(RoutingContext ctx) {
        var reader = authentication.requireForPage(ctx);
        var workspace = StudioRoute.workspace(workspaces, ctx);
        var query = JobQuery.of(ctx);
        var seen = commits.count();
        var read = list.read(reader, workspace, query);
        var computes = targets.list(reader, workspace).stream().map(JobTargets.Target::name).toList();
        var view = new JobsView(pages.chrome("Jobs", reader, workspace.name(), "Jobs"),
                "/w/" + workspace.name() + "/jobs", query, read.rows(), read.total(), read.canSubmit(), computes,
                seen + "." + read.membership());
        var reply = pages.render(200, "jobs.jte", Map.of("view", view));
        // The filter form sends its empty fields too; the address bar gets the list's own URL for the query.
        return FILTERS.equals(ctx.request().getHeader("HX-Trigger"))
                ? reply.withHeaders(Map.of("HX-Push-Url", view.self())) : reply;
    }

    /** The live updates of the page whose query this request repeats, from what it was read at ({@code seen}). */
    private LiveStream.Source stream(RoutingContext ctx) {
        var reader = authentication.requireForPage(ctx);
        var secret = Authentication.secretOf(ctx);
        var workspace = StudioRoute.workspace(workspaces, ctx);
        var query = JobQuery.of(ctx);
        var first = list.read(reader, workspace, query);
        var pageSeen = String.valueOf(ctx.request().getParam("seen"));
        return LiveRows.source(pageSeen, commits.count() + "." + first.membership(), look(first), () -> {
            authentication.authenticate(secret);
            return look(list.read(reader, workspace, query));
        });
    }

    private LiveRows.Look look(JobList.Read read) {
        return new LiveRows.Look(read.membership(), read.rows().stream().map(row -> new LiveRows.Row(row.event(),
                new String(pages.html("jobRow.jte", Map.of("row", row)), StandardCharsets.UTF_8).strip()))
                .toList());
    }
}
