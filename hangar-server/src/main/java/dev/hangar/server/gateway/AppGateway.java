package dev.hangar.server.gateway;

import dev.hangar.core.access.User;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.compute.InstanceApps;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.session.InstanceSessions;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.http.ApiErrors;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Blocking;
import dev.hangar.server.http.BrowserSession;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import dev.hangar.server.studio.SignIn;
import dev.hangar.server.studio.Studio;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.function.LongSupplier;

/**
 * {@code /workspaces/{ws}/computes/{name}/apps/{app}/...}: the only way into an instance's apps. It checks the caller
 * (API token or session cookie) and that they own the instance, then proxies HTTP and WebSockets unchanged in path to
 * the app's endpoint, replacing the caller's Hangar credential with the app's own (e.g. Jupyter's token).
 * A browser without a credential is sent to the sign-in page; an API client gets 401. The app {@code terminal} is
 * Hangar's own ({@link Terminal}).
 *
 * <p>A check that let the caller in is remembered for a few seconds ({@link AppPasses}): while the caller's
 * credential is remembered too ({@link Authentication#rememberedForApp}), their next requests to the app are proxied
 * from the event loop without reading the store. Anything else goes through the full check on a virtual thread.
 */
public final class AppGateway {
    static final String PATH = "/workspaces/:ws/computes/:name/apps/:app/*";
    static final String NOT_RUNNING = "ComputeNotRunning";
    static final String UNAVAILABLE = "ApplicationUnavailable";

    private final WorkspaceService workspaces;
    private final ComputeService computes;
    private final Authentication authentication;
    private final ExecutorService executor;
    private final AppPasses passes;
    private final AppProxies proxies;
    private final Terminal terminal;

    /** @param commits how many commits this server has made so far: any new one ends every pass */
    public AppGateway(Vertx vertx, WorkspaceService workspaces, ComputeService computes,
                      Authentication authentication, InstanceSessions sessions, ExecutorService executor,
                      Duration idleTimeout, LongSupplier commits, Clock clock) {
        this.workspaces = workspaces;
        this.computes = computes;
        this.authentication = authentication;
        this.executor = executor;
        this.passes = new AppPasses(commits, clock);
        this.proxies = new AppProxies(vertx);
        this.terminal = new Terminal(sessions, executor, idleTimeout);
    }

    public void mount(RouteTable routes) {
        routes.path(null, PATH, "/workspaces/{ws}/computes/{name}/apps/{app}/{rest}", Guard.INSTANCE_APPS, null,
                this::handle);
    }

    private void handle(RoutingContext ctx) {
        var request = ctx.request();
        request.pause();
        var terminalApp = ctx.pathParam("app").equalsIgnoreCase(InstanceApps.TERMINAL);
        if (!terminalApp) {
            try {
                var pass = remembered(ctx);
                if (pass != null) {
                    proxies.forward(pass.computeId(), pass.endpoint(), request);
                    return;
                }
            } catch (RuntimeException refused) {
                refuse(ctx, refused);
                return;
            }
        }
        var context = Vertx.currentContext();
        executor.execute(() -> {
            try {
                var stamp = passes.stamp();
                var caller = caller(ctx);
                var compute = openApps(ctx, caller);
                if (terminalApp) {
                    var open = terminalRoute(ctx);
                    context.runOnContext(ignored -> open.accept(compute));
                    return;
                }
                var pass = resolve(compute, ctx.pathParam("app"));
                passes.remember(key(ctx, caller), stamp, pass);
                context.runOnContext(ignored -> proxies.forward(pass.computeId(), pass.endpoint(), request));
            } catch (Throwable failure) {
                context.runOnContext(ignored -> refuse(ctx, failure));
            }
        });
    }

    /**
     * The caller's pass into the app when both it and their credential are remembered, after the checks every request
     * gets (the WebSocket's origin, the browser session's); null when the full check must run.
     */
    private AppPasses.Pass remembered(RoutingContext ctx) {
        checkWebSocketOrigin(ctx);
        var caller = authentication.rememberedForApp(ctx);
        return caller == null ? null : passes.find(key(ctx, caller));
    }

    private static AppPasses.Key key(RoutingContext ctx, User caller) {
        return new AppPasses.Key(caller.id(), ctx.pathParam("ws"), ctx.pathParam("name"), ctx.pathParam("app"));
    }

    /** The terminal's page at its base path, its WebSocket beside it; nothing else is under it. */
    private java.util.function.Consumer<ComputeInstance> terminalRoute(RoutingContext ctx) {
        var path = ctx.request().path();
        var marker = "/apps/" + ctx.pathParam("app") + "/";
        var rest = path.substring(path.indexOf(marker) + marker.length());
        if (rest.isEmpty() && ctx.request().method() == HttpMethod.GET) {
            return compute -> terminal.page(ctx, compute);
        }
        if (rest.equals(Terminal.WEBSOCKET) && BrowserSession.isWebSocket(ctx)) {
            return compute -> terminal.connect(ctx, compute);
        }
        throw ApiException.notFound("The terminal has its page at " + path.substring(0, path.length() - rest.length())
                + " and its WebSocket at " + Terminal.WEBSOCKET + " beside it; there is no '" + rest + "'.");
    }

    /**
     * A WebSocket (Jupyter's kernels, the terminal) opens only from a page of this server or from a client that is no
     * browser, whatever the credential.
     */
    private void checkWebSocketOrigin(RoutingContext ctx) {
        var origin = ctx.request().getHeader("Origin");
        if (BrowserSession.isWebSocket(ctx) && origin != null && !authentication.sameOrigin(ctx)) {
            throw ApiException.forbidden(BrowserSession.CROSS_ORIGIN_REFUSED, "The apps accept WebSockets only from"
                    + " pages of this server, not from " + origin + ".");
        }
    }

    /** The caller, signed in; reads the store when their credential is not remembered. */
    private User caller(RoutingContext ctx) {
        checkWebSocketOrigin(ctx);
        return authentication.requireForApp(ctx);
    }

    /** The instance, which the caller may open (its owner, unless it is shared) and which runs. */
    private ComputeInstance openApps(RoutingContext ctx, User caller) {
        var workspace = workspaces.named(ctx.pathParam("ws"))
                .orElseThrow(() -> ApiException.notFound("Workspace '" + ctx.pathParam("ws") + "' was not found."));
        var compute = computes.openApps(caller, workspace, ctx.pathParam("name"));
        if (!compute.state().isReachable()) {
            throw ApiException.conflict(NOT_RUNNING, "Compute instance '" + compute.name() + "' is "
                    + compute.state() + "; start it to open its apps.");
        }
        return compute;
    }

    private static AppPasses.Pass resolve(ComputeInstance compute, String app) {
        var endpoint = compute.apps().stream().filter(candidate -> candidate.name().equalsIgnoreCase(app))
                .findFirst().orElseThrow(() -> ApiException.notFound("Compute instance '" + compute.name()
                        + "' has no app '" + app + "'."));
        if (!endpoint.isAvailable()) {
            throw ApiException.unavailable(UNAVAILABLE, endpoint.displayName() + " is unavailable on '"
                    + compute.name() + "': " + endpoint.unavailableReason());
        }
        return new AppPasses.Pass(compute.id(), endpoint);
    }

    private void refuse(RoutingContext ctx, Throwable failure) {
        ctx.request().resume();
        var wantsPage = String.valueOf(ctx.request().getHeader("Accept")).contains("text/html");
        if (failure instanceof ApiException.Unauthorized && wantsPage) {
            var next = URLEncoder.encode(ctx.request().uri(), StandardCharsets.UTF_8);
            ctx.response().setStatusCode(302).putHeader("Location", SignIn.PATH + "?next=" + next).end();
            return;
        }
        // A person whose instance does not run (or whose app is not up yet) gets the studio's page that says so,
        // offers Start and opens the app when it runs, rather than an error body.
        if (wantsPage && ctx.request().method() == HttpMethod.GET && failure instanceof ApiException e
                && (NOT_RUNNING.equals(e.code()) || UNAVAILABLE.equals(e.code()))) {
            ctx.response().setStatusCode(303).putHeader("Cache-Control", "no-store").putHeader("Location",
                    Studio.appWaitPath(ctx.pathParam("ws"), ctx.pathParam("name"), ctx.pathParam("app"))).end();
            return;
        }
        var rendered = ApiErrors.render(failure);
        Blocking.write(ctx, Reply.of(rendered.status(), rendered.body()));
    }
}
