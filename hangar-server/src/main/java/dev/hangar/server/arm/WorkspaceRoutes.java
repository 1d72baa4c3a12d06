package dev.hangar.server.arm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.api.DiscoveryDocument;
import dev.hangar.api.PagedList;
import dev.hangar.api.Workspace;
import dev.hangar.core.access.Action;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Blocking;
import dev.hangar.server.http.Json;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable.Guard;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.wire.WireSchemas;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;

/**
 * Workspaces (GET, PUT, list) and the discovery document their {@code discoveryUrl} names. azureml-core reads a
 * workspace's location and discovery URL before any compute call.
 */
public final class WorkspaceRoutes {
    private final WorkspaceService workspaces;
    private final Authentication authentication;
    private final ArmUrls urls;

    public WorkspaceRoutes(WorkspaceService workspaces, Authentication authentication, ArmUrls urls) {
        this.workspaces = workspaces;
        this.authentication = authentication;
        this.urls = urls;
    }

    public void mount(RouteTable routes, Blocking blocking) {
        var provider = "/providers/Microsoft.MachineLearningServices/workspaces";
        // Lists show the workspaces the caller may read, so anyone signed in may ask.
        routes.regex(HttpMethod.GET, ArmPaths.WORKSPACES_IN_GROUP, ArmPaths.SUBSCRIPTION_TEMPLATE
                + "/resourceGroups/{rg}" + provider, Guard.SIGNED_IN, null, blocking.handler(this::list));
        routes.regex(HttpMethod.GET, ArmPaths.WORKSPACES_IN_SUBSCRIPTION, ArmPaths.SUBSCRIPTION_TEMPLATE + provider,
                Guard.SIGNED_IN, null, blocking.handler(this::list));
        routes.regex(HttpMethod.GET, ArmPaths.WORKSPACE + "/?", ArmPaths.WORKSPACE_TEMPLATE, Guard.WORKSPACE_ACTION,
                Action.WORKSPACE_READ, blocking.handler(this::get));
        routes.regex(HttpMethod.PUT, ArmPaths.WORKSPACE + "/?", ArmPaths.WORKSPACE_TEMPLATE, Guard.ADMIN,
                Action.WORKSPACE_WRITE, blocking.handler(this::put));
        // Clients fetch it before they have credentials for the API it names.
        routes.path(HttpMethod.GET, "/discovery/workspaces/:id", "/discovery/workspaces/{wsid}", Guard.ANYONE, null,
                ctx -> Blocking.write(ctx, Reply.ok(DiscoveryDocument.at(urls.base(ctx)))));
    }

    private Reply list(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var base = urls.base(ctx);
        var value = workspaces.list(caller, ctx.pathParam("sub"), ctx.pathParam("rg")).stream()
                .map(workspace -> render(workspace, base)).toList();
        return Reply.ok(new PagedList<>(value, null));
    }

    private Reply get(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspaces.read(caller, ctx.pathParam("sub"), ctx.pathParam("rg"), ctx.pathParam("ws"));
        return Reply.ok(render(workspace, urls.base(ctx)));
    }

    private Reply put(RoutingContext ctx) throws Exception {
        var caller = authentication.require(ctx);
        workspaces.requireWrite(caller, ctx.pathParam("sub"), ctx.pathParam("rg"), ctx.pathParam("ws"));
        var raw = ctx.body().asString();
        JsonNode body = raw == null || raw.isBlank() ? Json.MAPPER.createObjectNode()
                : WireSchemas.WORKSPACE.validate(Json.MAPPER.readTree(raw));
        Map<String, String> tags = null;
        if (body.path("tags").isObject()) {
            tags = new HashMap<>();
            for (var entry : body.path("tags").properties()) {
                tags.put(entry.getKey(), entry.getValue().asText());
            }
        }
        var description = body.path("properties").path("description").asText(null);
        var workspace = workspaces.put(caller, ctx.pathParam("sub"), ctx.pathParam("rg"), ctx.pathParam("ws"),
                body.path("location").asText(null), description, tags);
        return Reply.ok(render(workspace, urls.base(ctx)));
    }

    private Workspace render(dev.hangar.core.workspace.Workspace workspace, String base) {
        var properties = new Workspace.Properties(workspace.name(), workspace.description(),
                base + "/discovery/workspaces/" + workspace.id(), workspace.id().toString(), "Succeeded",
                workspace.createdOn());
        return new Workspace(workspace.armId(), workspace.name(), Workspace.TYPE, workspace.location(),
                workspace.tags(), properties);
    }
}
