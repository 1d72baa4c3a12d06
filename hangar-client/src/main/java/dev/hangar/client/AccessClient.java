package dev.hangar.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.hangar.api.PagedList;
import dev.hangar.api.RoleAssignmentResource;
import dev.hangar.api.RoleDefinitionResource;
import dev.hangar.api.SessionInfo.WorkspaceRef;
import dev.hangar.api.UserInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Users, roles and role assignments of one workspace, through Azure's {@code Microsoft.Authorization} wire format (role
 * definitions at the subscription's scope, assignments at the workspace's). Obtained from {@link HangarClient#access}.
 * Thread-safe; every method makes blocking requests and throws {@link HangarException} on failure.
 */
public final class AccessClient {
    private static final TypeReference<PagedList<RoleDefinitionResource>> DEFINITIONS = new TypeReference<>() { };
    private static final TypeReference<PagedList<RoleAssignmentResource>> ASSIGNMENTS = new TypeReference<>() { };
    private static final TypeReference<PagedList<UserInfo>> USERS = new TypeReference<>() { };

    private final Transport transport;
    private final WorkspaceRef workspace;
    private final String definitions;
    private final String assignments;

    AccessClient(Transport transport, WorkspaceRef workspace) {
        this.transport = transport;
        this.workspace = Objects.requireNonNull(workspace, "workspace");
        this.definitions = "/subscriptions/" + workspace.subscriptionId()
                + "/providers/Microsoft.Authorization/roleDefinitions";
        this.assignments = ArmIds.workspacePath(workspace) + "/providers/Microsoft.Authorization/roleAssignments";
    }

    public WorkspaceRef workspace() {
        return workspace;
    }

    /** Every user of the server ({@code GET /hangar/v1/users}). */
    public List<UserInfo> users() {
        var page = transport.read(transport.send("GET", transport.uri("/hangar/v1/users", null), null), USERS);
        return page.value() == null ? List.of() : page.value();
    }

    /** The user with this name, any case. */
    public Optional<UserInfo> user(String name) {
        return users().stream().filter(user -> user.name().equalsIgnoreCase(name)).findFirst();
    }

    /** The built-in roles, then the custom ones. */
    public List<RoleDefinitionResource> roles() {
        var page = transport.read(transport.send("GET", transport.uri(definitions, null), null), DEFINITIONS);
        return page.value() == null ? List.of() : page.value();
    }

    /** The role with this name, any case ({@code $filter=roleName eq '<name>'}). */
    public Optional<RoleDefinitionResource> role(String name) {
        var filter = "$filter=" + URLEncoder.encode("roleName eq '" + name + "'", StandardCharsets.UTF_8)
                .replace("+", "%20");
        var page = transport.read(transport.send("GET", transport.uri(definitions, filter), null), DEFINITIONS);
        return page.value() == null ? Optional.empty() : page.value().stream().findFirst();
    }

    /** Creates or replaces a custom role under {@code id} (administrators only). */
    public RoleDefinitionResource putRole(UUID id, RoleDefinitionResource role) {
        return transport.read(transport.send("PUT", transport.uri(definitions + "/" + id, null), role),
                RoleDefinitionResource.class);
    }

    /** Deletes a custom role; false when there was none. */
    public boolean deleteRole(UUID id) {
        return transport.send("DELETE", transport.uri(definitions + "/" + id, null), null).status() != 204;
    }

    /** The workspace's role assignments. */
    public List<RoleAssignmentResource> assignments() {
        var page = transport.read(transport.send("GET", transport.uri(assignments, null), null), ASSIGNMENTS);
        return page.value() == null ? List.of() : page.value();
    }

    /** Gives the user ({@code principalId}, their object id) the role ({@code roleId}) in the workspace. */
    public RoleAssignmentResource assign(UUID principalId, String roleId) {
        var body = new RoleAssignmentResource(null, null, null, new RoleAssignmentResource.Properties(roleId,
                principalId.toString(), null, null, null, null, null, null));
        return transport.read(transport.send("PUT", transport.uri(assignments + "/" + UUID.randomUUID(), null), body),
                RoleAssignmentResource.class);
    }

    /** Removes an assignment; false when there was none. */
    public boolean unassign(UUID assignmentId) {
        return transport.send("DELETE", transport.uri(assignments + "/" + assignmentId, null), null).status() != 204;
    }
}
