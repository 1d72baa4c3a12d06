package dev.hangar.server.studio;

import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.attached.AttachedService;
import dev.hangar.core.cluster.ClusterService;
import dev.hangar.core.cluster.ClusterState;
import dev.hangar.core.compute.ClusterView;
import dev.hangar.core.store.Commits;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * The compute list's other tabs: the workspace's compute clusters ({@code /w/{ws}/clusters}, with their nodes live
 * as the scaler adds and removes them) and its attached computes ({@code /w/{ws}/attached}, live as they are attached,
 * detached or fail). Each reads through its own service, with that service's access checks; search and "created by
 * me" work as on the instances' tab.
 */
final class OtherComputePages {
    private static final DateTimeFormatter CREATED = StudioTimes.MINUTE;

    private final ClusterService clusters;
    private final AttachedService attached;
    private final WorkspaceService workspaces;
    private final Authentication authentication;
    private final Pages pages;
    private final Commits commits;
    private final LiveStream live;

    OtherComputePages(ClusterService clusters, AttachedService attached, WorkspaceService workspaces,
                      Authentication authentication, Pages pages, Commits commits, LiveStream live) {
        this.clusters = clusters;
        this.attached = attached;
        this.workspaces = workspaces;
        this.authentication = authentication;
        this.pages = pages;
        this.commits = commits;
        this.live = live;
    }

    void mount(RouteTable routes, StudioRoute studio) {
        routes.path(HttpMethod.GET, "/w/:ws/clusters", "/w/{ws}/clusters", Guard.WORKSPACE_ACTION, Action.READ,
                studio.handler(ctx -> page(ctx, "clusters")));
        routes.path(HttpMethod.GET, "/w/:ws/live/clusters", "/w/{ws}/live/clusters", Guard.WORKSPACE_ACTION,
                Action.READ, studio.stream(ctx -> stream(ctx, "clusters"), live));
        routes.path(HttpMethod.GET, "/w/:ws/attached", "/w/{ws}/attached", Guard.WORKSPACE_ACTION, Action.READ,
                studio.handler(ctx -> page(ctx, "attached")));
        routes.path(HttpMethod.GET, "/w/:ws/live/attached", "/w/{ws}/live/attached", Guard.WORKSPACE_ACTION,
                Action.READ, studio.stream(ctx -> stream(ctx, "attached"), live));
    }

    private record Read(List<OtherComputeRow> rows, boolean more) {
        String membership() {
            return LiveRows.membership(rows.size() + (more ? 1 : 0), rows.stream().map(OtherComputeRow::key)
                    .toList());
        }
    }

    private Reply page(RoutingContext ctx, String tab) {
        var reader = authentication.requireForPage(ctx);
        var workspace = workspace(ctx);
        var query = ComputeQuery.of(ctx);
        var seen = commits.count();
        var read = read(tab, reader, workspace, query);
        var base = "/w/" + workspace.name();
        var liveUrl = base + "/live/" + tab + "?" + (query.queryString().isEmpty() ? ""
                : query.queryString() + "&") + "seen=" + seen + "." + read.membership();
        var view = new OtherComputesView(pages.chrome(tab.equals("clusters") ? "Compute clusters"
                : "Attached computes", reader, workspace.name(), "Compute"), base, tab, query, read.rows(),
                read.more(), liveUrl);
        return pages.render(200, "otherComputes.jte", Map.of("view", view));
    }

    private LiveStream.Source stream(RoutingContext ctx, String tab) {
        var reader = authentication.requireForPage(ctx);
        var secret = Authentication.secretOf(ctx);
        var workspace = workspace(ctx);
        var query = ComputeQuery.of(ctx);
        var first = read(tab, reader, workspace, query);
        return LiveRows.source(String.valueOf(ctx.request().getParam("seen")),
                commits.count() + "." + first.membership(), look(first), () -> {
                    authentication.authenticate(secret);
                    return look(read(tab, reader, workspace, query));
                });
    }

    private LiveRows.Look look(Read read) {
        return new LiveRows.Look(read.membership(), read.rows().stream().map(row -> new LiveRows.Row(row.event(),
                new String(pages.html("otherComputeRow.jte", Map.of("row", row)), StandardCharsets.UTF_8).strip()))
                .toList());
    }

    private Read read(String tab, User reader, Workspace workspace, ComputeQuery query) {
        return tab.equals("clusters") ? clusters(reader, workspace, query) : attached(reader, workspace, query);
    }

    private Read clusters(User reader, Workspace workspace, ComputeQuery query) {
        var page = clusters.list(reader, workspace, query.filter(reader), query.skip(), ComputeQuery.PAGE_SIZE + 1);
        var rows = page.stream().limit(ComputeQuery.PAGE_SIZE).map(OtherComputePages::row).toList();
        return new Read(rows, page.size() > ComputeQuery.PAGE_SIZE);
    }

    private static OtherComputeRow row(ClusterView view) {
        var cluster = view.cluster();
        var scale = cluster.scale();
        String state;
        String tone;
        if (cluster.state() == ClusterState.Succeeded) {
            state = view.isResizing() ? "Resizing" : "Steady";
            tone = view.isResizing() ? "busy" : "ok";
        } else {
            state = cluster.state().name();
            tone = "busy";
        }
        if (!cluster.errors().isEmpty()) {
            tone = "failed";
        }
        return new OtherComputeRow(cluster.id().toString(), cluster.name(), cluster.vmSize(), state, tone,
                view.currentNodes() + " of " + scale.minNodes() + "–" + scale.maxNodes(),
                cluster.createdBy() == null ? "" : cluster.createdBy().name(), CREATED.format(cluster.createdOn()));
    }

    private Read attached(User reader, Workspace workspace, ComputeQuery query) {
        var page = attached.list(reader, workspace, query.filter(reader), query.skip(), ComputeQuery.PAGE_SIZE + 1);
        var rows = page.stream().limit(ComputeQuery.PAGE_SIZE).map(view -> {
            var compute = view.compute();
            var engine = compute.engine();
            return new OtherComputeRow(compute.id().toString(), compute.name(), compute.kind(),
                    compute.errors().isEmpty() ? "Succeeded" : "Failed", compute.errors().isEmpty() ? "ok" : "failed",
                    engine == null ? "" : engine.nodeCount() + " nodes", compute.createdBy() == null ? ""
                    : compute.createdBy().name(), CREATED.format(compute.createdOn()));
        }).toList();
        return new Read(rows, page.size() > ComputeQuery.PAGE_SIZE);
    }

    private Workspace workspace(RoutingContext ctx) {
        return StudioRoute.workspace(workspaces, ctx);
    }
}
