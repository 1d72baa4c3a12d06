package dev.hangar.server.http;

import dev.hangar.core.access.User;
import dev.hangar.core.audit.AuditEvent;
import dev.hangar.core.audit.AuditLog;
import dev.hangar.core.audit.CallAudit;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.core.workspace.WorkspaceService;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Records an audit event for every call that may change something (any method but GET and HEAD), whatever its
 * outcome: refused, failed or done. The app gateway's traffic (Jupyter's own requests) is not recorded. A call whose
 * blocking work commits a change has its event written in that change's transaction ({@link CallAudit}), and its
 * outcome recorded after the answer; any other call's event is written after the answer went out, on a virtual
 * thread, so it costs the caller nothing.
 */
public final class AuditTrail {
    /** Where {@link Authentication} leaves the caller of a request. */
    static final String CALLER = "hangar.caller";
    /** Where {@link Blocking} leaves the error code of a failed request. */
    static final String ERROR_CODE = "hangar.errorCode";
    /** Where the call's pending event waits for {@link Blocking} to run the call's work with it. */
    static final String CALL = "hangar.callAudit";

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
            var subscription = ctx.pathParam("sub");
            var group = ctx.pathParam("rg");
            var workspace = ctx.pathParam("ws");
            var call = new CallAudit(tx -> event(ctx, action, clock.instant(), 0).in(workspace == null ? null
                    : subscription == null || group == null ? named(tx.allWorkspaces(), workspace)
                    : tx.findWorkspace(subscription, group, workspace).map(Workspace::id).orElse(null)));
            ctx.put(CALL, call);
            ctx.addEndHandler(done -> call.written().ifPresentOrElse(
                    id -> end(ctx, id), () -> record(ctx, action)));
            handler.handle(ctx);
        };
    }

    static boolean recorded(RouteTable.Route route) {
        return !route.method().equals("GET") && !route.method().equals("HEAD") && !route.method().equals("*")
                && route.guard() != RouteTable.Guard.INSTANCE_APPS;
    }

    private void record(RoutingContext ctx, String action) {
        var subscription = ctx.pathParam("sub");
        var group = ctx.pathParam("rg");
        var workspace = ctx.pathParam("ws");
        var event = event(ctx, action, clock.instant(), ctx.response().getStatusCode());
        try {
            executor.execute(() -> log.record(event.in(workspaceId(subscription, group, workspace))));
        } catch (RejectedExecutionException stopping) {
            // The server is stopping; the call it answered last goes unrecorded.
        }
    }

    /** The outcome of a call whose event its change's transaction holds. */
    private void end(RoutingContext ctx, java.util.UUID eventId) {
        var status = ctx.response().getStatusCode();
        var errorCode = ctx.<String>get(ERROR_CODE);
        try {
            executor.execute(() -> log.endCall(eventId, Builder.result(status), status, errorCode));
        } catch (RejectedExecutionException stopping) {
            // The server is stopping; the event keeps saying Accepted, which the change it holds was.
        }
    }

    /** The call's event; {@code status} 0 while the answer is not known (the event then says Accepted). */
    private static Builder event(RoutingContext ctx, String action, java.time.Instant at, int status) {
        var caller = ctx.<User>get(CALLER);
        return new Builder(at, caller == null ? "anonymous" : caller.name(), action, ctx.request().path(), status,
                status == 0 ? null : ctx.<String>get(ERROR_CODE), ctx.response().headers().get("x-ms-request-id"));
    }

    private UUID workspaceId(String subscription, String group, String workspace) {
        if (workspace == null) {
            return null;
        }
        if (subscription == null || group == null) {
            return workspaces.named(workspace).map(Workspace::id).orElse(null);
        }
        try {
            return workspaces.get(subscription, group, workspace).id();
        } catch (RuntimeException noSuchWorkspace) {
            return null;
        }
    }

    /** The studio's paths ({@code /w/{ws}/...}) name a workspace by its name alone, which is unique on a server. */
    private static UUID named(java.util.List<Workspace> all, String name) {
        return all.stream().filter(workspace -> workspace.name().equalsIgnoreCase(name)).map(Workspace::id)
                .findFirst().orElse(null);
    }

    private record Builder(java.time.Instant at, String actor, String action, String target, int status,
                           String errorCode, String requestId) {
        AuditEvent in(UUID workspaceId) {
            return new AuditEvent(UUID.randomUUID(), at, workspaceId, actor, action, target, result(status),
                    status == 0 ? null : status, errorCode, requestId, "User", null);
        }

        static String result(int status) {
            return status >= 400 ? "Failed" : status == 202 || status == 0 ? "Accepted" : "Succeeded";
        }
    }
}
