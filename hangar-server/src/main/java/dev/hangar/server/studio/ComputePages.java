package dev.hangar.server.studio;

import dev.hangar.core.access.Action;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.store.Commits;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.arm.ArmUrls;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The compute list ({@code /w/{ws}/computes}): a page of the workspace's instances as its query asks, and its live
 * updates ({@code /w/{ws}/live/computes}): a changed row is sent as itself, a change in which rows the page holds as
 * a {@code list} event on which the page reloads its table. The server root leads here, to the default workspace.
 */
final class ComputePages {
    static final String LIST = "/w/:ws/computes";

    private final ComputeList list;
    private final WorkspaceService workspaces;
    private final Authentication authentication;
    private final Pages pages;
    private final ArmUrls urls;
    private final Commits commits;
    private final LiveStream live;
    private final Supplier<Workspace> defaultWorkspace;

    ComputePages(ComputeList list, WorkspaceService workspaces, Authentication authentication, Pages pages,
                 ArmUrls urls, Commits commits, LiveStream live, Supplier<Workspace> defaultWorkspace) {
        this.list = list;
        this.workspaces = workspaces;
        this.authentication = authentication;
        this.pages = pages;
        this.urls = urls;
        this.commits = commits;
        this.live = live;
        this.defaultWorkspace = defaultWorkspace;
    }

    void mount(RouteTable routes, StudioRoute studio) {
        routes.path(HttpMethod.GET, "/", "/", Guard.ANYONE, null, ctx -> ctx.response().setStatusCode(303)
                .putHeader("Location", "/w/" + defaultWorkspace.get().name() + "/computes")
                .putHeader("Cache-Control", "no-store").end());
        routes.path(HttpMethod.GET, LIST, "/w/{ws}/computes", Guard.WORKSPACE_ACTION, Action.READ,
                studio.handler(this::page));
        // Beside the list, not under it, where it would be the page of an instance named "live".
        routes.path(HttpMethod.GET, "/w/:ws/live/computes", "/w/{ws}/live/computes", Guard.WORKSPACE_ACTION,
                Action.READ, studio.stream(this::stream, live));
    }

    private Reply page(RoutingContext ctx) {
        var reader = authentication.requireForPage(ctx);
        var workspace = workspace(ctx);
        var query = ComputeQuery.of(ctx);
        var seen = commits.count();
        var read = list.read(reader, workspace, query, ComputeList.host(urls.base(ctx)));
        var view = new ComputesView(pages.chrome("Compute", reader, workspace.name(), "Compute"),
                "/w/" + workspace.name() + "/computes", query, read.rows(), read.total(), read.acting(),
                read.canCreate(), seen + "." + read.membership());
        return pages.render(200, "computes.jte", Map.of("view", view));
    }

    /**
     * The live updates of the page whose query this request repeats; {@code seen} is what the page was read at (the
     * commit count and its rows' membership), so that what changed in between is sent at once.
     */
    private LiveStream.Source stream(RoutingContext ctx) {
        var reader = authentication.requireForPage(ctx);
        var secret = Authentication.secretOf(ctx);
        var workspace = workspace(ctx);
        var query = ComputeQuery.of(ctx);
        var host = ComputeList.host(urls.base(ctx));
        var first = list.read(reader, workspace, query, host);
        var pageSeen = String.valueOf(ctx.request().getParam("seen"));
        return LiveRows.source(pageSeen, commits.count() + "." + first.membership(), look(first), () -> {
            authentication.authenticate(secret);
            return look(list.read(reader, workspace, query, host));
        });
    }

    private LiveRows.Look look(ComputeList.Read read) {
        return new LiveRows.Look(read.membership(), read.rows().stream().map(row -> new LiveRows.Row(row.event(),
                new String(pages.html("computeRow.jte", Map.of("row", row)), StandardCharsets.UTF_8).strip()))
                .toList());
    }

    private Workspace workspace(RoutingContext ctx) {
        return StudioRoute.workspace(workspaces, ctx);
    }

}
