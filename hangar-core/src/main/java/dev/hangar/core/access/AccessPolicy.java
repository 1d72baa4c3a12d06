package dev.hangar.core.access;

import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.store.Transaction;
import java.util.List;
import java.util.UUID;

/**
 * Who may do what, as Azure's role-based access control says it. In a workspace a user may do what the roles assigned
 * to them there grant ({@link RoleDefinition#allows}); Hangar's administrators may do everything everywhere, as a
 * subscription's owner does in Azure.
 *
 * <p>An instance's apps (Jupyter, the terminal) need more than the {@code applicationaccess} action: with the
 * {@code Personal} sharing policy, the default, they open only for the instance's owner (the user it was assigned
 * to, else its creator). Not even an administrator gets into another user's Jupyter.
 */
public final class AccessPolicy {
    static final String SHARED = "Shared";

    /** What one user may do in one workspace: their roles there, read once for the request. */
    public record Grants(User user, UUID workspaceId, List<RoleDefinition> roles) {
        public Grants {
            roles = List.copyOf(roles);
        }

        public boolean allows(Action action) {
            return user.admin() || roles.stream().anyMatch(role -> role.allows(action));
        }
    }

    /** The caller's roles in the workspace: built-in ones by their Azure ids, custom ones from the store. */
    public Grants grants(Transaction tx, User caller, UUID workspaceId) {
        if (caller.admin()) {
            return new Grants(caller, workspaceId, List.of());
        }
        var roles = tx.roleAssignments(workspaceId, caller.id()).stream()
                .map(assignment -> RoleService.byId(tx, assignment.roleDefinitionId()))
                .flatMap(java.util.Optional::stream)
                .toList();
        return new Grants(caller, workspaceId, roles);
    }

    /** Refuses {@code action} unless the caller's roles grant it; {@code scope} is the ARM id it was asked on. */
    public void require(Grants grants, Action action, String scope) {
        if (!grants.allows(action)) {
            throw refusal(grants.user(), action, scope);
        }
    }

    /**
     * Refuses the instance's apps to anyone without {@code applicationaccess}, and, unless its policy is
     * {@code Shared}, to anyone but its owner.
     */
    public void requireAppAccess(Grants grants, ComputeInstance compute, String scope) {
        var owner = owns(grants.user(), compute);
        if (!owner && !SHARED.equalsIgnoreCase(compute.applicationSharingPolicy())) {
            throw ApiException.forbidden(ErrorCodes.AUTHORIZATION_FAILED, "The client '" + grants.user().name()
                    + "' with object id '" + grants.user().id() + "' may not open the applications of '"
                    + compute.name() + "': they open only for its owner ('" + ownerName(compute)
                    + "'), as its applicationSharingPolicy is Personal. Scope '" + scope + "'.");
        }
        require(grants, Action.APPLICATION_ACCESS, scope);
    }

    /** Whether {@link #requireAppAccess} lets the caller in: what a page asks before it shows an app's link. */
    public boolean mayOpenApps(Grants grants, ComputeInstance compute) {
        return (owns(grants.user(), compute) || SHARED.equalsIgnoreCase(compute.applicationSharingPolicy()))
                && grants.allows(Action.APPLICATION_ACCESS);
    }

    /** Refuses non-admins an action reserved to administrators. */
    public void requireAdmin(User caller, Action action, String scope) {
        if (!caller.admin()) {
            throw refusal(caller, action, scope);
        }
    }

    private static boolean owns(User caller, ComputeInstance compute) {
        return compute.owner() != null && caller.id().equals(compute.owner().objectId());
    }

    private static String ownerName(ComputeInstance compute) {
        return compute.owner() == null ? "nobody" : compute.owner().name();
    }

    private static ApiException refusal(User caller, Action action, String scope) {
        return ApiException.forbidden(ErrorCodes.AUTHORIZATION_FAILED, "The client '" + caller.name()
                + "' with object id '" + caller.id() + "' does not have authorization to perform action '"
                + action.azureName() + "' over scope '" + scope + "' or the scope is invalid.");
    }
}
