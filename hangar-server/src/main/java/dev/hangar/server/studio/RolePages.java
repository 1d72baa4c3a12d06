package dev.hangar.server.studio;

import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.RoleAssignment;
import dev.hangar.core.access.RoleDefinition;
import dev.hangar.core.access.RoleService;
import dev.hangar.core.access.User;
import dev.hangar.core.access.UserService;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Role assignments, for administrators ({@code /admin/roles}): who holds which role in which workspace; a role given
 * to a user in a workspace, and an assignment removed after a confirmation. Each change is the API's
 * ({@code PUT} and {@code DELETE .../providers/Microsoft.Authorization/roleAssignments/{id}}) through
 * {@link RoleService}, with its checks; a refusal is shown beside the field it names and nothing is recorded.
 */
final class RolePages {
    static final String PATH = "/admin/roles";
    /** The API's error targets, as the form's fields are named. */
    private static final Map<String, String> FIELDS = Map.of("properties.principalId", "user",
            "properties.roleDefinitionId", "role");

    private final RoleService roles;
    private final UserService users;
    private final WorkspaceService workspaces;
    private final AccessPolicy access;
    private final Authentication authentication;
    private final Pages pages;
    private final Supplier<Workspace> defaultWorkspace;

    RolePages(RoleService roles, UserService users, WorkspaceService workspaces, AccessPolicy access,
              Authentication authentication, Pages pages, Supplier<Workspace> defaultWorkspace) {
        this.roles = roles;
        this.users = users;
        this.workspaces = workspaces;
        this.access = access;
        this.authentication = authentication;
        this.pages = pages;
        this.defaultWorkspace = defaultWorkspace;
    }

    void mount(RouteTable routes, StudioRoute studio) {
        routes.path(HttpMethod.GET, PATH, PATH, Guard.ADMIN, Action.ROLE_ASSIGNMENT_READ, studio.handler(ctx -> {
            var reader = admin(ctx, Action.ROLE_ASSIGNMENT_READ);
            return page(reader, Map.of(), Map.of(), null, null);
        }));
        routes.path(HttpMethod.POST, PATH, PATH, Guard.ADMIN, Action.ROLE_ASSIGNMENT_WRITE,
                studio.handler(this::assign));
        routes.path(HttpMethod.POST, PATH + "/:ws/:id/delete", PATH + "/{ws}/{id}/delete", Guard.ADMIN,
                Action.ROLE_ASSIGNMENT_DELETE, studio.handler(this::remove));
    }

    /** The caller when an administrator; refused before anything of the request is read otherwise. */
    private User admin(RoutingContext ctx, Action action) {
        var caller = authentication.requireForPage(ctx);
        access.requireAdmin(caller, action, PATH);
        return caller;
    }

    private Reply assign(RoutingContext ctx) {
        var caller = admin(ctx, Action.ROLE_ASSIGNMENT_WRITE);
        var form = ctx.request().formAttributes();
        var values = new LinkedHashMap<String, String>();
        for (var field : List.of("user", "role", "workspace")) {
            values.put(field, form.get(field) == null ? "" : form.get(field).strip());
        }
        var errors = new LinkedHashMap<String, String>();
        var workspace = workspaces.named(values.get("workspace"));
        if (workspace.isEmpty()) {
            errors.put("workspace", "Choose a workspace from the list.");
        }
        var principal = uuid(values.get("user"), "user", "Choose a user from the list.", errors);
        var role = uuid(values.get("role"), "role", "Choose a role from the list.", errors);
        if (!errors.isEmpty()) {
            return page(caller, values, errors, null, null);
        }
        try {
            var made = roles.assign(caller, workspace.get(), UUID.randomUUID(), principal, role);
            return page(caller, Map.of(), Map.of(), null, describe(made.assignment(), workspace.get(),
                    names(caller), roleNames()) + " given.");
        } catch (ApiException.BadRequest | ApiException.Conflict refused) {
            // The one conflict here: the user holds that role there already.
            var field = refused instanceof ApiException.Conflict ? "role" : FIELDS.get(refused.target());
            if (field == null) {
                return page(caller, values, errors, refused.getMessage(), null);
            }
            errors.put(field, refused.getMessage());
            return page(caller, values, errors, null, null);
        }
    }

    private Reply remove(RoutingContext ctx) {
        var caller = admin(ctx, Action.ROLE_ASSIGNMENT_DELETE);
        var workspace = workspaces.named(ctx.pathParam("ws")).orElseThrow(() -> ApiException.notFound(
                "There is no workspace '" + ctx.pathParam("ws") + "'."));
        var id = uuidOrNotFound(ctx.pathParam("id"));
        var assignment = roles.assignment(caller, workspace, id);
        var what = describe(assignment, workspace, names(caller), roleNames());
        if (!"yes".equals(ctx.request().getFormAttribute("confirm"))) {
            var chrome = pages.chrome("Remove a role", caller, defaultWorkspace.get().name(), "Roles");
            return pages.render(200, "confirmDelete.jte", Map.of("chrome", chrome, "name", what,
                    "consequence", "They lose at once what this role lets them do in " + workspace.name()
                            + " (unless another of their roles there lets them). Their computes, jobs and files stay.",
                    "fields", Map.of("confirm", "yes"), "action", ctx.request().path(), "back", PATH));
        }
        var removed = roles.unassign(caller, workspace, id);
        return page(caller, Map.of(), Map.of(), null, removed.isPresent() ? what + " removed."
                : what + " was removed already.");
    }

    private Reply page(User reader, Map<String, String> values, Map<String, String> errors, String general,
                       String notice) {
        var all = workspaces.all(reader);
        var userNames = names(reader);
        var roleNames = roleNames();
        var rows = new ArrayList<RolesView.Row>();
        for (var workspace : all) {
            for (var assignment : roles.assignments(reader, workspace)) {
                var role = roleNames.get(assignment.roleDefinitionId());
                rows.add(new RolesView.Row(userNames.getOrDefault(assignment.principalId(),
                        assignment.principalId().toString()), role == null ? assignment.roleDefinitionId().toString()
                        : role.name(), role != null && !role.builtIn(), workspace.name(),
                        RoleService.assignmentScope(workspace) + "/" + assignment.id(), assignment.createdBy(),
                        assignment.createdOn() == null ? "" : StudioTimes.MINUTE.format(assignment.createdOn()),
                        assignment.id().toString(), PATH + "/" + workspace.name() + "/" + assignment.id()
                        + "/delete"));
            }
        }
        rows.sort(Comparator.comparing((RolesView.Row row) -> row.workspace().toLowerCase(Locale.ROOT))
                .thenComparing(row -> row.user().toLowerCase(Locale.ROOT)).thenComparing(RolesView.Row::role));
        var userOptions = userNames.entrySet().stream().sorted(Map.Entry.comparingByValue(
                String.CASE_INSENSITIVE_ORDER)).map(entry -> new RolesView.Option(entry.getKey().toString(),
                entry.getValue())).toList();
        var roleOptions = roles.definitions().stream().map(role -> new RolesView.Option(role.id().toString(),
                role.name() + (role.builtIn() ? "" : " (custom)"))).toList();
        var workspaceOptions = all.stream().map(workspace -> new RolesView.Option(workspace.name(),
                workspace.name())).toList();
        var view = new RolesView(pages.chrome("Roles", reader, defaultWorkspace.get().name(), "Roles"), List.copyOf(rows),
                userOptions, roleOptions, workspaceOptions, Map.copyOf(values), Map.copyOf(errors), general, notice);
        return pages.render(200, "roles.jte", Map.of("view", view));
    }

    private Map<UUID, String> names(User reader) {
        return users.list(reader).stream().collect(Collectors.toMap(User::id, User::name, (a, b) -> a));
    }

    private Map<UUID, RoleDefinition> roleNames() {
        return roles.definitions().stream().collect(Collectors.toMap(RoleDefinition::id, Function.identity(),
                (a, b) -> a));
    }

    private static String describe(RoleAssignment assignment, Workspace workspace, Map<UUID, String> users,
                                   Map<UUID, RoleDefinition> roles) {
        var role = roles.get(assignment.roleDefinitionId());
        return users.getOrDefault(assignment.principalId(), assignment.principalId().toString()) + "'s role "
                + (role == null ? assignment.roleDefinitionId().toString() : role.name()) + " in "
                + workspace.name();
    }

    private static UUID uuid(String text, String field, String message, Map<String, String> errors) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            errors.put(field, message);
            return null;
        }
    }

    private static UUID uuidOrNotFound(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("RoleAssignmentNotFound", "The role assignment '" + text + "' is not found.");
        }
    }
}
