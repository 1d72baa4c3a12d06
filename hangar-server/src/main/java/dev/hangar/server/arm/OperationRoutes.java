package dev.hangar.server.arm;

import dev.hangar.api.ErrorResponse;
import dev.hangar.api.OperationStatus;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.compute.ComputeReader;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.operation.Operation;
import dev.hangar.core.operation.OperationKind;
import dev.hangar.core.operation.OperationWaits;
import dev.hangar.core.store.Store;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Blocking;
import dev.hangar.server.http.PreferWait;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.Requests;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * The long-running-operation URLs: {@code computeOperationsStatus/{id}} (the {@code Azure-AsyncOperation} header)
 * answers ARM's {@code OperationStatusResult}; {@code computeOperationsResults/{id}} (the {@code Location} header)
 * answers 202 while running, then the compute (200), nothing for a delete (204), or the error.
 *
 * <p>Both honour RFC 7240's {@code Prefer: wait=<seconds>} (at most {@link OperationWaits#MAX_WAIT}): while the
 * operation runs, the answer is held until it ends, the compute's state changes, or the wait runs out, and says
 * {@code Preference-Applied: wait=<seconds>}. Clients that do not ask (Azure's SDKs) get the answer at once and the
 * usual {@code Retry-After}.
 */
public final class OperationRoutes {
    private final OperationWaits operations;
    private final Store store;
    private final Authentication authentication;
    private final ArmUrls urls;
    private final ComputeReader reader;
    private final ComputeResources resources;

    /**
     * @param reader    reads the compute whose operation succeeded
     * @param resources draws it
     */
    public OperationRoutes(OperationWaits operations, Store store, Authentication authentication, ArmUrls urls,
                           ComputeReader reader, ComputeResources resources) {
        this.operations = operations;
        this.store = store;
        this.authentication = authentication;
        this.urls = urls;
        this.reader = reader;
        this.resources = resources;
    }

    public void mount(RouteTable routes, Blocking blocking) {
        routes.regex(HttpMethod.GET, ArmPaths.OPERATION_STATUS, ArmPaths.LOCATION_TEMPLATE
                + "/computeOperationsStatus/{op}", Guard.WORKSPACE_ACTION, Action.READ, blocking.handler(this::status));
        routes.regex(HttpMethod.GET, ArmPaths.OPERATION_RESULT, ArmPaths.LOCATION_TEMPLATE
                + "/computeOperationsResults/{op}", Guard.WORKSPACE_ACTION, Action.READ, blocking.handler(this::result));
    }

    /** The operation, after the wait the request prefers; and the header saying a wait was applied, if one was. */
    private Waited operation(RoutingContext ctx, User caller) {
        var id = Requests.uuid(ctx.pathParam("op"), () -> ApiException.notFound("Operation '"
                + ctx.pathParam("op") + "' was not found."));
        var wait = PreferWait.of(ctx).map(OperationWaits::clamp);
        if (wait.isEmpty()) {
            return new Waited(operations.now(caller, id), Map.of());
        }
        return new Waited(operations.await(caller, id, wait.get()),
                Map.of(PreferWait.APPLIED_HEADER, PreferWait.applied(wait.get())));
    }

    private record Waited(Operation operation, Map<String, String> headers) {
    }

    private Reply status(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var waited = operation(ctx, caller);
        var operation = waited.operation();
        var error = operation.error() == null ? null
                : ErrorResponse.of(operation.error().code(), operation.error().message()).error();
        var body = new OperationStatus(ctx.request().path(), operation.id().toString(), operation.status().name(),
                operation.startedOn(), operation.endedOn(), operation.status().isTerminal() ? 100.0 : null, error);
        var reply = Reply.ok(body).withHeaders(waited.headers());
        return operation.status().isTerminal() ? reply : reply.withHeaders(Map.of("Retry-After", "1"));
    }

    private Reply result(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var waited = operation(ctx, caller);
        var operation = waited.operation();
        var reply = switch (operation.status()) {
            case InProgress -> Reply.status(202).withHeaders(Map.of("Retry-After", "1",
                    "Location", urls.base(ctx) + ctx.request().uri()));
            case Failed, Canceled -> Reply.of(409, ErrorResponse.of(operation.error().code(),
                    operation.error().message()));
            case Succeeded -> succeeded(ctx, operation);
        };
        return reply.withHeaders(waited.headers());
    }

    private Reply succeeded(RoutingContext ctx, Operation operation) {
        if (operation.kind() == OperationKind.Delete) {
            return Reply.status(204);
        }
        return store.read(tx -> tx.anyCompute(operation.computeId()).flatMap(compute ->
                tx.workspace(compute.workspaceId()).map(workspace -> Reply.ok(resources.resource(
                        reader.view(tx, compute), workspace, urls.base(ctx))))))
                .orElseGet(() -> Reply.status(204));
    }
}
