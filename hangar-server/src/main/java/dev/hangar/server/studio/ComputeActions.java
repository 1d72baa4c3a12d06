package dev.hangar.server.studio;

import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * What the compute list's buttons do: start, stop, restart and delete one instance, or each of those selected. The
 * same calls as the API's, with the same checks; a form from the page (its Origin this server) with the session
 * cookie. The list then shows the change live, so a page's request gets no content back, only a notice; a browser
 * without scripts is sent back to the list. A delete that was not confirmed asks first.
 */
final class ComputeActions {
    /** The most instances one bulk action takes: a page's worth. */
    static final int MOST_AT_ONCE = ComputeQuery.PAGE_SIZE;

    private final ComputeService computes;
    private final WorkspaceService workspaces;
    private final Authentication authentication;
    private final Pages pages;

    ComputeActions(ComputeService computes, WorkspaceService workspaces, Authentication authentication, Pages pages) {
        this.computes = computes;
        this.workspaces = workspaces;
        this.authentication = authentication;
        this.pages = pages;
    }

    private enum Verb {
        start(Action.START, "Starting"), stop(Action.STOP, "Stopping"), restart(Action.RESTART, "Restarting"),
        delete(Action.DELETE, "Deleting");

        final Action action;
        final String doing;

        Verb(Action action, String doing) {
            this.action = action;
            this.doing = doing;
        }
    }

    void mount(RouteTable routes, StudioRoute studio) {
        for (var verb : Verb.values()) {
            routes.path(HttpMethod.POST, ComputePages.LIST + "/:name/" + verb.name(),
                    "/w/{ws}/computes/{name}/" + verb.name(), Guard.WORKSPACE_ACTION, verb.action,
                    studio.handler(ctx -> one(ctx, verb)));
        }
        routes.path(HttpMethod.POST, ComputePages.LIST + "/bulk", "/w/{ws}/computes/bulk", Guard.WORKSPACE_ACTION,
                Action.READ, studio.handler(this::bulk));
    }

    private Reply one(RoutingContext ctx, Verb verb) {
        var caller = authentication.requireForPage(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        // Refused before anything of the request is read.
        computes.require(caller, workspace, verb.action, name);
        if (verb == Verb.delete && !"yes".equals(ctx.request().getFormAttribute("confirm"))) {
            return confirmDelete(caller, workspace, name);
        }
        act(caller, workspace, name, verb);
        return done(ctx, workspace, verb.doing + " " + name + ".");
    }

    private Reply bulk(RoutingContext ctx) {
        var caller = authentication.requireForPage(ctx);
        var workspace = workspace(ctx);
        computes.require(caller, workspace, Action.READ, "");
        var form = ctx.request().formAttributes();
        Verb verb;
        try {
            verb = Verb.valueOf(String.valueOf(form.get("action")));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("InvalidAction", "Choose start, stop, restart or delete for the selected"
                    + " instances.");
        }
        var names = new LinkedHashSet<>(form.getAll("name"));
        if (names.isEmpty()) {
            throw ApiException.badRequest("NothingSelected", "Select the instances to " + verb.name() + " first.");
        }
        if (names.size() > MOST_AT_ONCE) {
            throw ApiException.badRequest("TooManySelected", "At most " + MOST_AT_ONCE + " instances at once.");
        }
        if (verb == Verb.delete && !"yes".equals(form.get("confirm"))) {
            throw ApiException.badRequest("NotConfirmed", "Confirm the delete first.");
        }
        var done = new ArrayList<String>();
        var failed = new ArrayList<String>();
        for (var name : names) {
            try {
                act(caller, workspace, name, verb);
                done.add(name);
            } catch (ApiException e) {
                failed.add(name + ": " + e.getMessage());
            }
        }
        var notice = (done.isEmpty() ? "" : verb.doing + " " + String.join(", ", done) + ".")
                + (failed.isEmpty() ? "" : (done.isEmpty() ? "" : " ") + "Not done: " + String.join("; ", failed));
        if (done.isEmpty()) {
            throw ApiException.conflict("NothingDone", notice);
        }
        return done(ctx, workspace, notice);
    }

    private void act(User caller, Workspace workspace, String name, Verb verb) {
        switch (verb) {
            case start -> computes.start(caller, workspace, name);
            case stop -> computes.stop(caller, workspace, name);
            case restart -> computes.restart(caller, workspace, name);
            case delete -> computes.delete(caller, workspace, name).orElseThrow(() -> ApiException.notFound(
                    "There is no compute instance '" + name + "'."));
        }
    }

    private Reply done(RoutingContext ctx, Workspace workspace, String notice) {
        if (StudioRoute.isHtmx(ctx)) {
            return Reply.status(204).withHeaders(Map.of("HX-Trigger", toast(notice)));
        }
        return Reply.status(303).withHeaders(Map.of("Location", "/w/" + workspace.name() + "/computes"));
    }

    private Reply confirmDelete(User caller, Workspace workspace, String name) {
        var chrome = pages.chrome("Delete " + name, caller, workspace.name(), "Compute");
        return pages.render(200, "confirmDelete.jte", Map.of("chrome", chrome, "name", name,
                "consequence", "The instance, its disk and its home directory are removed. This cannot be undone.",
                "fields", Map.of("confirm", "yes"),
                "action", "/w/" + workspace.name() + "/computes/" + name + "/delete",
                "back", "/w/" + workspace.name() + "/computes"));
    }

    /** The {@code HX-Trigger} header that has the page show {@code notice}: JSON, in ASCII as a header must be. */
    static String toast(String notice) {
        var json = new StringBuilder("{\"hangar:notice\":\"");
        for (var c : notice.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                json.append(String.format("\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append("\"}").toString();
    }

    private Workspace workspace(RoutingContext ctx) {
        return StudioRoute.workspace(workspaces, ctx);
    }
}
