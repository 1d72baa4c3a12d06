package dev.hangar.server.arm;

import dev.hangar.api.PagedList;
import dev.hangar.api.RoleAssignmentResource;
import dev.hangar.api.RoleDefinitionResource;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.ActionPattern;
import dev.hangar.core.access.RoleAssignment;
import dev.hangar.core.access.RoleDefinition;
import dev.hangar.core.access.RoleService;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Blocking;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.Requests;
import dev.hangar.server.http.RouteTable.Guard;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.wire.WireSchemas;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Azure's {@code Microsoft.Authorization} provider for what Hangar guards: role definitions (built-in and custom) and
 * role assignments at a workspace's scope, in ARM's wire format, so that {@code az role definition ...} and
 * {@code az role assignment ... --scope <workspace id>} speak to Hangar as they do to Azure. Lists accept the
 * {@code $filter}s az sends: {@code roleName eq '<name>'} and {@code principalId eq '<id>'}.
 */
public final class AuthorizationRoutes {
    private static final Pattern FILTER = Pattern.compile("(?i)\\s*(roleName|principalId)\\s+eq\\s+'([^']*)'\\s*");

    private final RoleService roles;
    private final WorkspaceService workspaces;
    private final Authentication authentication;

    public AuthorizationRoutes(RoleService roles, WorkspaceService workspaces, Authentication authentication) {
        this.roles = roles;
        this.workspaces = workspaces;
        this.authentication = authentication;
    }

    public void mount(RouteTable routes, Blocking blocking) {
        var definitions = ArmPaths.SUBSCRIPTION_TEMPLATE + "/providers/Microsoft.Authorization/roleDefinitions";
        var assignments = ArmPaths.WORKSPACE_TEMPLATE + "/providers/Microsoft.Authorization/roleAssignments";
        routes.regex(HttpMethod.GET, ArmPaths.ROLE_DEFINITIONS, definitions, Guard.SIGNED_IN, null,
                blocking.handler(this::definitions));
        routes.regex(HttpMethod.GET, ArmPaths.ROLE_DEFINITION, definitions + "/{id}", Guard.SIGNED_IN, null,
                blocking.handler(this::definition));
        routes.regex(HttpMethod.PUT, ArmPaths.ROLE_DEFINITION, definitions + "/{id}", Guard.ADMIN,
                Action.ROLE_DEFINITION_WRITE, blocking.handler(this::putDefinition));
        routes.regex(HttpMethod.DELETE, ArmPaths.ROLE_DEFINITION, definitions + "/{id}", Guard.ADMIN,
                Action.ROLE_DEFINITION_DELETE, blocking.handler(this::deleteDefinition));
        routes.regex(HttpMethod.GET, ArmPaths.ROLE_ASSIGNMENTS, assignments, Guard.WORKSPACE_ACTION,
                Action.ROLE_ASSIGNMENT_READ, blocking.handler(this::assignments));
        routes.regex(HttpMethod.GET, ArmPaths.ROLE_ASSIGNMENT, assignments + "/{id}", Guard.WORKSPACE_ACTION,
                Action.ROLE_ASSIGNMENT_READ, blocking.handler(this::assignment));
        routes.regex(HttpMethod.PUT, ArmPaths.ROLE_ASSIGNMENT, assignments + "/{id}", Guard.WORKSPACE_ACTION,
                Action.ROLE_ASSIGNMENT_WRITE, blocking.handler(this::assign));
        routes.regex(HttpMethod.DELETE, ArmPaths.ROLE_ASSIGNMENT, assignments + "/{id}", Guard.WORKSPACE_ACTION,
                Action.ROLE_ASSIGNMENT_DELETE, blocking.handler(this::unassign));
    }

    // Role definitions

    private Reply definitions(RoutingContext ctx) {
        authentication.require(ctx);
        var filter = filter(ctx, "roleName");
        var found = roles.definitions().stream()
                .filter(role -> filter == null || role.name().equalsIgnoreCase(filter))
                .map(role -> definitionJson(ctx.pathParam("sub"), role)).toList();
        return Reply.ok(new PagedList<>(found, null));
    }

    private Reply definition(RoutingContext ctx) {
        authentication.require(ctx);
        var id = Requests.uuid(ctx.pathParam("id"), () -> ApiException.notFound(
                ErrorCodes.ROLE_DEFINITION_NOT_FOUND,
                "The role definition '" + ctx.pathParam("id") + "' does not exist."));
        return Reply.ok(definitionJson(ctx.pathParam("sub"), roles.definition(id)));
    }

    private Reply putDefinition(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        roles.requireDefinitionWrite(caller, "/subscriptions/" + ctx.pathParam("sub"));
        var id = Requests.uuid(ctx.pathParam("id"), () -> ApiException.badRequest("InvalidRoleDefinitionId",
                "A role definition's id is a GUID; got '" + ctx.pathParam("id") + "'.", "name"));
        var body = Requests.body(ctx, RoleDefinitionResource.class,
                "{\"properties\":{\"roleName\":...,\"permissions\":"
                + "[{\"actions\":[...],\"notActions\":[...]}]}}", WireSchemas.ROLE_DEFINITION);
        var properties = body.properties();
        if (properties == null) {
            throw ApiException.badRequest(ErrorCodes.INVALID_BODY, "A role definition needs its properties.",
                    "properties");
        }
        var actions = new ArrayList<String>();
        var notActions = new ArrayList<String>();
        if (properties.permissions() != null) {
            for (var permission : properties.permissions()) {
                if (permission.actions() != null) {
                    actions.addAll(permission.actions());
                }
                if (permission.notActions() != null) {
                    notActions.addAll(permission.notActions());
                }
            }
        }
        var put = roles.putDefinition(caller, "/subscriptions/" + ctx.pathParam("sub"), id, properties.roleName(),
                properties.description(), actions, notActions, properties.assignableScopes());
        return Reply.of(put.created() ? 201 : 200, definitionJson(ctx.pathParam("sub"), put.role()));
    }

    private Reply deleteDefinition(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var id = Requests.uuid(ctx.pathParam("id"), () -> ApiException.badRequest("InvalidRoleDefinitionId",
                "A role definition's id is a GUID; got '" + ctx.pathParam("id") + "'.", "name"));
        return roles.deleteDefinition(caller, "/subscriptions/" + ctx.pathParam("sub"), id)
                .map(role -> Reply.ok(definitionJson(ctx.pathParam("sub"), role)))
                .orElseGet(() -> Reply.status(204));
    }

    // Role assignments

    private Reply assignments(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var filter = filter(ctx, "principalId");
        var found = roles.assignments(caller, workspace).stream()
                .filter(assignment -> filter == null || assignment.principalId().toString().equalsIgnoreCase(filter))
                .map(assignment -> assignmentJson(workspace, assignment)).toList();
        return Reply.ok(new PagedList<>(found, null));
    }

    private Reply assignment(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var id = Requests.uuid(ctx.pathParam("id"), () -> ApiException.notFound("RoleAssignmentNotFound",
                "The role assignment '" + ctx.pathParam("id") + "' is not found."));
        return Reply.ok(assignmentJson(workspace, roles.assignment(caller, workspace, id)));
    }

    private Reply assign(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        roles.requireAssignmentWrite(caller, workspace, ctx.pathParam("id"));
        var id = Requests.uuid(ctx.pathParam("id"), () -> ApiException.badRequest("InvalidRoleAssignmentId",
                "A role assignment's id is a GUID; got '" + ctx.pathParam("id") + "'.", "name"));
        var body = Requests.body(ctx, RoleAssignmentResource.class,
                "{\"properties\":{\"roleDefinitionId\":...,\"principalId\":...}}", WireSchemas.ROLE_ASSIGNMENT);
        var properties = body.properties();
        if (properties == null || properties.roleDefinitionId() == null || properties.principalId() == null) {
            throw ApiException.badRequest(ErrorCodes.INVALID_BODY, "A role assignment needs"
                    + " properties.roleDefinitionId (a role's id) and properties.principalId (a user's object id).",
                    "properties");
        }
        var text = properties.roleDefinitionId();
        var roleId = Requests.uuid(text.substring(text.lastIndexOf('/') + 1), () -> ApiException.badRequest(
                ErrorCodes.ROLE_DEFINITION_NOT_FOUND, "'" + text + "' is not a role definition id: give"
                        + " /subscriptions/<sub>/providers/Microsoft.Authorization/roleDefinitions/<guid> or the GUID.",
                "properties.roleDefinitionId"));
        var principalId = Requests.uuid(properties.principalId(), () -> ApiException.badRequest(
                ErrorCodes.PRINCIPAL_NOT_FOUND,
                "'" + properties.principalId() + "' is not an object id; a user's object id is a GUID"
                        + " ('hangar user list' shows them).", "properties.principalId"));
        var assigned = roles.assign(caller, workspace, id, principalId, roleId);
        return Reply.of(assigned.created() ? 201 : 200, assignmentJson(workspace, assigned.assignment()));
    }

    private Reply unassign(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var id = Requests.uuid(ctx.pathParam("id"), () -> ApiException.notFound("RoleAssignmentNotFound",
                "The role assignment '" + ctx.pathParam("id") + "' is not found."));
        return roles.unassign(caller, workspace, id)
                .map(assignment -> Reply.ok(assignmentJson(workspace, assignment)))
                .orElseGet(() -> Reply.status(204));
    }

    // JSON

    static RoleDefinitionResource definitionJson(String subscription, RoleDefinition role) {
        var id = "/subscriptions/" + subscription + "/providers/Microsoft.Authorization/roleDefinitions/" + role.id();
        var permission = new RoleDefinitionResource.Permission(
                role.actions().stream().map(ActionPattern::text).toList(),
                role.notActions().stream().map(ActionPattern::text).toList(), List.of(), List.of());
        return new RoleDefinitionResource(id, role.id().toString(), RoleDefinitionResource.TYPE,
                new RoleDefinitionResource.Properties(role.name(), role.builtIn() ? "BuiltInRole" : "CustomRole",
                        role.description(), role.assignableScopes(), List.of(permission), role.createdOn(),
                        role.updatedOn(), null, null));
    }

    static RoleAssignmentResource assignmentJson(Workspace workspace, RoleAssignment assignment) {
        var scope = workspace.armId();
        return new RoleAssignmentResource(RoleService.assignmentScope(workspace) + "/" + assignment.id(),
                assignment.id().toString(), RoleAssignmentResource.TYPE, new RoleAssignmentResource.Properties(
                "/subscriptions/" + workspace.subscriptionId() + "/providers/Microsoft.Authorization/roleDefinitions/"
                        + assignment.roleDefinitionId(), assignment.principalId().toString(), "User", scope,
                assignment.createdOn(), assignment.createdOn(), assignment.createdBy(), assignment.createdBy()));
    }

    // Helpers

    private Workspace workspace(RoutingContext ctx) {
        return workspaces.get(ctx.pathParam("sub"), ctx.pathParam("rg"), ctx.pathParam("ws"));
    }

    /** The value of {@code $filter=<field> eq '<value>'}, or null without a filter; another filter is refused. */
    private static String filter(RoutingContext ctx, String field) {
        var raw = ctx.queryParams().get("$filter");
        if (raw == null || raw.isBlank() || raw.strip().equalsIgnoreCase("atScope()")) {
            return null;
        }
        var matcher = FILTER.matcher(raw);
        if (!matcher.matches() || !matcher.group(1).toLowerCase(Locale.ROOT).equals(field.toLowerCase(Locale.ROOT))) {
            throw ApiException.badRequest("InvalidFilter", "This list takes $filter=" + field + " eq '<value>'"
                    + " (or atScope()); got '" + raw + "'.", "$filter");
        }
        return matcher.group(2);
    }
}
