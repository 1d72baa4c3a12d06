package dev.hangar.server.arm;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hangar.api.EnvironmentVersionResource;
import dev.hangar.api.PagedList;
import dev.hangar.core.access.Action;
import dev.hangar.core.environment.EnvironmentService;
import dev.hangar.core.environment.EnvironmentVersion;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Blocking;
import dev.hangar.server.http.Json;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code workspaces/{ws}/environments/{name}/versions[/{version}]}: environment versions in Azure Machine Learning's
 * wire format, the images jobs run in. PUT records one, GET reads one or lists a name's versions, newest first.
 */
public final class EnvironmentRoutes {
    private final EnvironmentService environments;
    private final WorkspaceService workspaces;
    private final Authentication authentication;

    public EnvironmentRoutes(EnvironmentService environments, WorkspaceService workspaces,
                             Authentication authentication) {
        this.environments = environments;
        this.workspaces = workspaces;
        this.authentication = authentication;
    }

    public void mount(RouteTable routes, Blocking blocking) {
        var versions = ArmPaths.WORKSPACE_TEMPLATE + "/environments/{name}/versions";
        var versionsPath = ArmPaths.WORKSPACE + "/environments/(?<name>[^/]+)/versions";
        routes.regex(HttpMethod.GET, versionsPath + "/?", versions, Guard.WORKSPACE_ACTION, Action.ENVIRONMENT_READ,
                blocking.handler(this::list));
        routes.regex(HttpMethod.GET, versionsPath + "/(?<version>[^/]+)/?", versions + "/{version}",
                Guard.WORKSPACE_ACTION, Action.ENVIRONMENT_READ, blocking.handler(this::get));
        routes.regex(HttpMethod.PUT, versionsPath + "/(?<version>[^/]+)/?", versions + "/{version}",
                Guard.WORKSPACE_ACTION, Action.ENVIRONMENT_WRITE, blocking.handler(this::put));
    }

    private Workspace workspace(RoutingContext ctx) {
        return workspaces.get(ctx.pathParam("sub"), ctx.pathParam("rg"), ctx.pathParam("ws"));
    }

    private Reply get(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        return Reply.ok(render(environments.get(caller, workspace, ctx.pathParam("name"), ctx.pathParam("version")),
                workspace));
    }

    private Reply list(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var versions = environments.versions(caller, workspace, ctx.pathParam("name")).stream()
                .map(version -> render(version, workspace)).toList();
        return Reply.ok(new PagedList<>(versions, null));
    }

    private Reply put(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        // Checked before the body is read: a caller who may not write learns nothing from its validation.
        environments.requireWrite(caller, workspace, name);
        var body = read(ctx.body().asString());
        var properties = body.properties();
        var put = environments.put(caller, workspace, name, ctx.pathParam("version"), properties.image(),
                properties.description(), properties.tags(), Boolean.TRUE.equals(properties.isAnonymous()),
                properties.build() != null || properties.condaFile() != null);
        return Reply.of(put.created() ? 201 : 200, render(put.version(), workspace));
    }

    private static EnvironmentVersionResource read(String raw) {
        if (raw == null || raw.isBlank()) {
            throw ApiException.badRequest(ErrorCodes.MISSING_BODY, "The request needs a JSON body with"
                    + " properties.image.");
        }
        try {
            var body = Json.MAPPER.readValue(raw, EnvironmentVersionResource.class);
            if (body == null || body.properties() == null) {
                throw ApiException.badRequest(ErrorCodes.INVALID_BODY, "The body needs 'properties' with 'image'.",
                        "properties");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(ErrorCodes.INVALID_BODY, "The body is not an environment version: "
                    + e.getOriginalMessage());
        }
    }

    static EnvironmentVersionResource render(EnvironmentVersion version, Workspace workspace) {
        return new EnvironmentVersionResource(EnvironmentService.armId(workspace, version), version.version(),
                EnvironmentVersionResource.TYPE, new EnvironmentVersionResource.Properties(version.image(),
                version.description(), version.tags(), version.anonymous(), "Linux", null, null,
                version.createdOn(), version.createdBy() == null ? null : version.createdBy().name()));
    }
}
