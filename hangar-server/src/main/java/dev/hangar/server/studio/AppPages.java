package dev.hangar.server.studio;

import dev.hangar.core.access.Action;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.compute.InstanceApps;
import dev.hangar.core.compute.InstanceState;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Where an instance's app link leads when the instance does not run ({@code /w/{ws}/computes/{name}/open?app=...}):
 * the gateway sends a browser here instead of answering with an error. A running instance's app opens at once;
 * otherwise the page shows the instance's state live, offers Start to a reader who may start it, and opens the app by
 * itself once the instance runs. Only those who may open the instance's apps get here, as at the gateway.
 */
final class AppPages {
    static final String OPEN = "/w/:ws/computes/:name/open";

    private final ComputeService computes;
    private final WorkspaceService workspaces;
    private final Authentication authentication;
    private final Pages pages;
    private final LiveStream live;

    AppPages(ComputeService computes, WorkspaceService workspaces, Authentication authentication, Pages pages,
             LiveStream live) {
        this.computes = computes;
        this.workspaces = workspaces;
        this.authentication = authentication;
        this.pages = pages;
        this.live = live;
    }

    /** The page an app's link leads to when the instance does not run, e.g. from the gateway. */
    static String path(String workspace, String compute, String app) {
        return "/w/" + workspace + "/computes/" + compute + "/open?app=" + URLEncoder.encode(app,
                StandardCharsets.UTF_8);
    }

    void mount(RouteTable routes, StudioRoute studio) {
        routes.path(HttpMethod.GET, OPEN, "/w/{ws}/computes/{name}/open", Guard.INSTANCE_APPS, null,
                studio.handler(this::open));
        routes.path(HttpMethod.GET, OPEN + "/live", "/w/{ws}/computes/{name}/open/live", Guard.INSTANCE_APPS, null,
                studio.stream(this::stream, live));
    }

    private Reply open(RoutingContext ctx) {
        var reader = authentication.requireForPage(ctx);
        var workspace = workspace(ctx);
        var compute = computes.openApps(reader, workspace, ctx.pathParam("name"));
        var app = app(ctx, workspace, compute);
        if (compute.state().isReachable()) {
            return StudioRoute.isHtmx(ctx) ? Reply.status(204).withHeaders(Map.of("HX-Redirect", app.basePath()))
                    : Reply.status(303).withHeaders(Map.of("Location", app.basePath(), "Cache-Control", "no-store"));
        }
        var mayStart = compute.state() == InstanceState.Stopped && mayStart(reader, workspace, compute);
        var base = "/w/" + workspace.name() + "/computes/" + compute.name();
        var wait = new AppWait(compute.name(), app.displayName(), compute.state().name(),
                ComputeList.tone(compute.state()), mayStart ? base + "/start" : null,
                path(workspace.name(), compute.name(), app.name()),
                base + "/open/live?app=" + URLEncoder.encode(app.name(), StandardCharsets.UTF_8));
        return pages.render(200, "appWait.jte", Map.of("chrome",
                pages.chrome(compute.name(), reader, workspace.name(), "Compute"), "wait", wait));
    }

    /** Sends the instance's state as it changes, and {@code ready} once it runs. */
    private LiveStream.Source stream(RoutingContext ctx) {
        var reader = authentication.requireForPage(ctx);
        var secret = Authentication.secretOf(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        app(ctx, workspace, computes.openApps(reader, workspace, name));
        var shown = new InstanceState[1];
        return first -> {
            authentication.authenticate(secret);
            var compute = computes.openApps(reader, workspace, name);
            var events = LiveStream.events();
            if (compute.state() != shown[0]) {
                shown[0] = compute.state();
                events.add(new LiveStream.Event("state", "<span class=\"state " + ComputeList.tone(compute.state())
                        + "\">" + compute.state().name() + "</span>"));
                if (compute.state().isReachable()) {
                    events.add(new LiveStream.Event("ready", ""));
                }
            }
            return events;
        };
    }

    private boolean mayStart(dev.hangar.core.access.User reader, Workspace workspace, ComputeInstance compute) {
        try {
            computes.require(reader, workspace, Action.START, compute.name());
            return true;
        } catch (ApiException.Forbidden refused) {
            return false;
        }
    }

    /** The app the link is for: one the instance serves, or Hangar's terminal; 404 otherwise. */
    private static dev.hangar.core.spi.InstanceContext.AppSpec app(RoutingContext ctx, Workspace workspace,
                                                                   ComputeInstance compute) {
        var asked = String.valueOf(ctx.request().getParam("app", InstanceApps.JUPYTER));
        if (asked.equalsIgnoreCase(InstanceApps.TERMINAL)) {
            return new dev.hangar.core.spi.InstanceContext.AppSpec(InstanceApps.TERMINAL,
                    InstanceApps.TERMINAL_DISPLAY_NAME,
                    InstanceApps.basePath(workspace.name(), compute.name(), InstanceApps.TERMINAL));
        }
        return InstanceApps.of(workspace.name(), compute).stream()
                .filter(app -> app.name().equalsIgnoreCase(asked)).findFirst()
                .orElseThrow(() -> ApiException.notFound("Compute instance '" + compute.name() + "' has no app '"
                        + asked + "'."));
    }

    private Workspace workspace(RoutingContext ctx) {
        return StudioRoute.workspace(workspaces, ctx);
    }
}
