package dev.hangar.server.studio;

import dev.hangar.core.access.Action;
import dev.hangar.core.job.JobService;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * What a job's Cancel button does: the API's cancel ({@link JobService#cancel}, with its check), from a form of the
 * page (its Origin this server) with the session cookie. The page then shows the change live, so a page's request
 * gets no content back, only a notice; a browser without scripts is sent back to the job. A cancel that was not
 * confirmed asks first.
 */
final class JobActions {
    private final JobService jobs;
    private final WorkspaceService workspaces;
    private final Authentication authentication;
    private final Pages pages;

    JobActions(JobService jobs, WorkspaceService workspaces, Authentication authentication, Pages pages) {
        this.jobs = jobs;
        this.workspaces = workspaces;
        this.authentication = authentication;
        this.pages = pages;
    }

    void mount(RouteTable routes, StudioRoute studio) {
        routes.path(HttpMethod.POST, JobPages.LIST + "/:name/cancel", "/w/{ws}/jobs/{name}/cancel",
                Guard.WORKSPACE_ACTION, Action.JOB_CANCEL, studio.handler(this::cancel));
    }

    private Reply cancel(RoutingContext ctx) {
        var caller = authentication.requireForPage(ctx);
        var workspace = StudioRoute.workspace(workspaces, ctx);
        var name = ctx.pathParam("name");
        // Refused before anything of the request is read.
        jobs.require(caller, workspace, Action.JOB_CANCEL, name);
        var path = JobList.path(workspace, name);
        if (!"yes".equals(ctx.request().getFormAttribute("confirm"))) {
            var job = jobs.get(caller, workspace, name);
            return pages.render(200, "confirmCancel.jte", Map.of("chrome", pages.chrome("Cancel " + job.name(),
                    caller, workspace.name(), "Jobs"), "name", job.name(), "action", path + "/cancel", "back", path));
        }
        var job = jobs.cancel(caller, workspace, name);
        var notice = switch (job.status()) {
            case Canceled -> "Canceled " + job.name() + ".";
            case Completed, Failed -> job.name() + " had ended already (" + job.status() + ").";
            default -> "Canceling " + job.name() + ".";
        };
        if (StudioRoute.isHtmx(ctx)) {
            return Reply.status(204).withHeaders(Map.of("HX-Trigger", ComputeActions.toast(notice)));
        }
        return Reply.status(303).withHeaders(Map.of("Location", path, "Cache-Control", "no-store"));
    }
}
