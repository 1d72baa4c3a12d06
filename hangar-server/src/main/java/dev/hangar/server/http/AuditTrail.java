package dev.hangar.server.http;

import dev.hangar.core.access.User;
import dev.hangar.core.audit.AuditEvent;
import dev.hangar.core.audit.AuditLog;
import dev.hangar.core.workspace.WorkspaceService;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Records an audit event for every call that may change something (any method but GET and HEAD), whatever its
 * outcome: refused, failed or done. The app gateway's traffic (Jupyter's own requests) is not recorded. The event is
 * written after the answer went out, on a virtual thread, so it costs the caller nothing.
 */
public final class AuditTrail {
    /** Where {@link Authentication} leaves the caller of a request. */
    static final String CALLER = "hangar.caller";
    /** Where {@link Blocking} leaves the error code of a failed request. */
    static final String ERROR_CODE = "hangar.errorCode";

    private final AuditLog log;
    private final WorkspaceService workspaces;
    private final ExecutorService executor;
    private final Clock clock;

    public AuditTrail(AuditLog log, WorkspaceService workspaces, ExecutorService executor, Clock clock) {
        this.log = log;
        this.workspaces = workspaces;
        this.executor = executor;
        this.clock = clock;
    }

    /** {@code handler}, recording the route's calls when they may change something. */
    Handler<RoutingContext> around(RouteTable.Route route, Handler<RoutingContext> handler) {
        if (!recorded(route)) {
            return handler;
        }
        var action = route.action() != null ? route.action() : route.method() + " " + route.template();
        return ctx -> {
            ctx.addEndHandler(done -> record(ctx, action));
            handler.handle(ctx);
        };
    }

    static boolean recorded(RouteTable.Route route) {
        return !route.method().equals("GET") && !route.method().equals("HEAD") && !route.method().equals("*")
                && route.guard() != RouteTable.Guard.INSTANCE_APPS;
    }

    private void record(RoutingContext ctx, String action) {
        var status = ctx.response().getStatusCode();
        var caller = ctx.<User>get(CALLER);
        var subscription = ctx.pathParam("sub");
        var group = ctx.pathParam("rg");
        var workspace = ctx.pathParam("ws");
        var at = clock.instant();
        var event = new Builder(at, caller == null ? "anonymous" : caller.name(), action, ctx.request().path(),
                status, ctx.<String>get(ERROR_CODE), ctx.response().headers().get("x-ms-request-id"));
        try {
            executor.execute(() -> log.record(event.in(workspaceId(subscription, group, workspace))));
        } catch (RejectedExecutionException stopping) {
            // The server is stopping; the call it answered last goes unrecorded.
        }
    }

    private UUID workspaceId(String subscription, String group, String workspace) {
        if (subscription == null || group == null || workspace == null) {
            return null;
        }
        try {
            return workspaces.get(subscription, group, workspace).id();
        } catch (RuntimeException noSuchWorkspace) {
            return null;
        }
    }

    private record Builder(java.time.Instant at, String actor, String action, String target, int status,
                           String errorCode, String requestId) {
        AuditEvent in(UUID workspaceId) {
            var result = status >= 400 ? "Failed" : status == 202 ? "Accepted" : "Succeeded";
            return new AuditEvent(UUID.randomUUID(), at, workspaceId, actor, action, target, result, status,
                    errorCode, requestId, "User", null);
        }
    }
}
