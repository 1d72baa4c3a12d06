package dev.hangar.server.arm;

import dev.hangar.api.ErrorResponse;
import dev.hangar.api.OperationStatus;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.operation.Operation;
import dev.hangar.core.operation.OperationKind;
import dev.hangar.core.store.Store;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Blocking;
import dev.hangar.server.http.Reply;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.UUID;

/**
 * The long-running-operation URLs: {@code computeOperationsStatus/{id}} (the {@code Azure-AsyncOperation} header)
 * answers ARM's {@code OperationStatusResult}; {@code computeOperationsResults/{id}} (the {@code Location} header)
 * answers 202 while running, then the compute (200), nothing for a delete (204), or the error.
 */
public final class OperationRoutes {
    private final ComputeService computes;
    private final Store store;
    private final Authentication authentication;
    private final ArmUrls urls;

    public OperationRoutes(ComputeService computes, Store store, Authentication authentication, ArmUrls urls) {
        this.computes = computes;
        this.store = store;
        this.authentication = authentication;
        this.urls = urls;
    }

    public void mount(Router router, Blocking blocking) {
        router.routeWithRegex(HttpMethod.GET, ArmPaths.OPERATION_STATUS).handler(blocking.handler(this::status));
        router.routeWithRegex(HttpMethod.GET, ArmPaths.OPERATION_RESULT).handler(blocking.handler(this::result));
    }

    private Operation operation(RoutingContext ctx) {
        UUID id;
        try {
            id = UUID.fromString(ctx.pathParam("op"));
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Operation '" + ctx.pathParam("op") + "' was not found.");
        }
        return computes.operation(id);
    }

    private Reply status(RoutingContext ctx) {
        authentication.require(ctx);
        var operation = operation(ctx);
        var error = operation.error() == null ? null
                : ErrorResponse.of(operation.error().code(), operation.error().message()).error();
        var body = new OperationStatus(ctx.request().path(), operation.id().toString(), operation.status().name(),
                operation.startedOn(), operation.endedOn(), operation.status().isTerminal() ? 100.0 : null, error);
        var reply = Reply.ok(body);
        return operation.status().isTerminal() ? reply : reply.withHeaders(Map.of("Retry-After", "1"));
    }

    private Reply result(RoutingContext ctx) {
        authentication.require(ctx);
        var operation = operation(ctx);
        return switch (operation.status()) {
            case InProgress -> Reply.status(202).withHeaders(Map.of("Retry-After", "1",
                    "Location", urls.base(ctx) + ctx.request().uri()));
            case Failed, Canceled -> Reply.of(409, ErrorResponse.of(operation.error().code(),
                    operation.error().message()));
            case Succeeded -> succeeded(ctx, operation);
        };
    }

    private Reply succeeded(RoutingContext ctx, Operation operation) {
        if (operation.kind() == OperationKind.Delete) {
            return Reply.status(204);
        }
        return store.read(tx -> tx.compute(operation.computeId()).flatMap(compute ->
                tx.workspace(compute.workspaceId()).map(workspace -> Reply.ok(ComputeJson.resource(compute,
                        workspace, tx.lastOperation(compute.id()).orElse(null), urls.base(ctx), urls.sshPort())))))
                .orElseGet(() -> Reply.status(204));
    }
}
