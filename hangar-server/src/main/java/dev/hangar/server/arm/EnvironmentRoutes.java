package dev.hangar.server.arm;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hangar.api.EnvironmentContainerResource;
import dev.hangar.api.EnvironmentVersionResource;
import dev.hangar.api.PagedList;
import dev.hangar.core.access.Action;
import dev.hangar.core.environment.CuratedEnvironments;
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
import dev.hangar.server.http.RouteTable.Guard;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.wire.WireSchemas;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code workspaces/{ws}/environments[/{name}[/versions[/{version}]]]}: environments and their versions in Azure
 * Machine Learning's wire format, the images jobs run in, Hangar's curated ones among them. PUT records a version, GET
 * reads one or lists a name's versions, newest first; GET lists the environments (each with its latest version) or
 * reads one. DELETE is refused: a curated environment is read-only, and versions are kept.
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
        var environments = ArmPaths.WORKSPACE_TEMPLATE + "/environments";
        var environmentsPath = ArmPaths.WORKSPACE + "/environments";
        routes.regex(HttpMethod.GET, environmentsPath + "/?", environments, Guard.WORKSPACE_ACTION,
                Action.ENVIRONMENT_READ, blocking.handler(this::listEnvironments));
        routes.regex(HttpMethod.GET, environmentsPath + "/(?<name>[^/]+)/?", environments + "/{name}",
                Guard.WORKSPACE_ACTION, Action.ENVIRONMENT_READ, blocking.handler(this::getEnvironment));
        routes.regex(HttpMethod.DELETE, environmentsPath + "/(?<name>[^/]+)/?", environments + "/{name}",
                Guard.WORKSPACE_ACTION, Action.ENVIRONMENT_DELETE, blocking.handler(this::delete));
        var versions = ArmPaths.WORKSPACE_TEMPLATE + "/environments/{name}/versions";
        var versionsPath = ArmPaths.WORKSPACE + "/environments/(?<name>[^/]+)/versions";
        routes.regex(HttpMethod.DELETE, versionsPath + "/(?<version>[^/]+)/?", versions + "/{version}",
                Guard.WORKSPACE_ACTION, Action.ENVIRONMENT_DELETE, blocking.handler(this::delete));
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

    private Reply listEnvironments(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var value = environments.latest(caller, workspace).stream()
                .map(latest -> container(latest, workspace)).toList();
        return Reply.ok(new PagedList<>(value, null));
    }

    private Reply getEnvironment(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var latest = environments.versions(caller, workspace, ctx.pathParam("name")).getFirst();
        return Reply.ok(container(latest, workspace));
    }

    /** Always refused, with the reason: see {@link EnvironmentService#delete}. */
    private Reply delete(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        environments.delete(caller, workspace(ctx), ctx.pathParam("name"), ctx.pathParam("version"));
        return Reply.status(204);
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
            var body = Json.MAPPER.treeToValue(WireSchemas.ENVIRONMENT_VERSION.validate(Json.MAPPER.readTree(raw)),
                    EnvironmentVersionResource.class);
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

    private EnvironmentVersionResource render(EnvironmentVersion version, Workspace workspace) {
        return new EnvironmentVersionResource(EnvironmentService.armId(workspace, version), version.version(),
                EnvironmentVersionResource.TYPE, new EnvironmentVersionResource.Properties(version.image(),
                version.description(), version.tags(), version.anonymous(), "Linux", null, null,
                version.createdOn(), version.createdBy() == null ? null : version.createdBy().name(),
                type(version)));
    }

    /** An environment as Azure lists it, by its latest version. */
    private EnvironmentContainerResource container(EnvironmentVersion latest, Workspace workspace) {
        return new EnvironmentContainerResource(workspace.armId() + "/environments/" + latest.name(), latest.name(),
                EnvironmentContainerResource.TYPE, new EnvironmentContainerResource.Properties(
                environments.isCurated(latest.name()) ? latest.description() : null, null, false, latest.version(),
                environments.isCurated(latest.name()) ? null : next(latest.version()), "Succeeded", type(latest)));
    }

    private String type(EnvironmentVersion version) {
        return environments.isCurated(version.name()) ? CuratedEnvironments.CURATED : CuratedEnvironments.USER_CREATED;
    }

    /** The version after {@code latest} when it is a number, as Azure suggests one; else none. */
    private static String next(String latest) {
        try {
            return Long.toString(Math.addExact(Long.parseLong(latest), 1));
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }
}
