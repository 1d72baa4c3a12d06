package dev.hangar.core.access;

import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.store.ConcurrentUpdateException;
import dev.hangar.core.store.Store;
import dev.hangar.core.store.Transaction;
import dev.hangar.core.workspace.Workspace;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Role definitions and role assignments, as Azure's {@code Microsoft.Authorization} provider has them. Anyone signed in
 * reads the definitions; administrators write custom ones (the built-in Owner, Contributor and Reader cannot be
 * changed). Assignments live in a workspace and are read, made and removed with the
 * {@code Microsoft.Authorization/roleAssignments/*} actions, which Owners have and Contributors do not. Each change
 * is checked whole before anything is written.
 */
public final class RoleService {
    private static final Pattern ROLE_NAME = Pattern.compile("[^/\\\\<>%&?:]{1,128}");
    private static final int MAX_PATTERNS = 200;

    private final Store store;
    private final AccessPolicy access;
    private final Clock clock;

    public RoleService(Store store, AccessPolicy access, Clock clock) {
        this.store = store;
        this.access = access;
        this.clock = clock;
    }

    /** The built-in roles, then the custom ones by name. */
    public List<RoleDefinition> definitions() {
        var all = new ArrayList<>(RoleDefinition.BUILT_IN);
        all.addAll(store.read(Transaction::roleDefinitions));
        return all;
    }

    /** A role by id; 404 {@code RoleDefinitionDoesNotExist}. */
    public RoleDefinition definition(UUID id) {
        return store.read(tx -> byId(tx, id)).orElseThrow(() -> roleNotFound(id.toString()));
    }

    /** A role by name, any case: built-in or custom. */
    public Optional<RoleDefinition> findDefinition(String name) {
        return store.read(tx -> byName(tx, name));
    }

    /** What {@link #putDefinition} did: the role, and whether it is new. */
    public record PutDefinition(RoleDefinition role, boolean created) {
    }

    /**
     * Creates or replaces a custom role (administrators only).
     *
     * @throws ApiException 400 {@code BuiltInRoleCannotBeChanged}, {@code InvalidActionOrNotAction},
     *                      {@code InvalidRoleName}; 409 {@code RoleDefinitionWithSameNameExists}
     */
    public PutDefinition putDefinition(User caller, String scope, UUID id, String name, String description,
                                       List<String> actions, List<String> notActions, List<String> assignableScopes) {
        requireDefinitionWrite(caller, scope);
        if (RoleDefinition.builtIn(id).isPresent()) {
            throw builtInReadOnly(id);
        }
        if (name == null || name.isBlank() || !ROLE_NAME.matcher(name.strip()).matches()) {
            throw ApiException.badRequest("InvalidRoleName", "A role needs a roleName of 1 to 128 characters without"
                    + " / \\ < > % & ? or :; got '" + name + "'.", "properties.roleName");
        }
        var granted = patterns(actions, "actions");
        if (granted.isEmpty()) {
            throw ApiException.badRequest(ErrorCodes.INVALID_ACTION, "A role must grant at least one action"
                    + " (properties.permissions[0].actions).", "properties.permissions");
        }
        var excluded = patterns(notActions, "notActions");
        var trimmed = name.strip();
        if (RoleDefinition.builtInNamed(trimmed).isPresent()) {
            throw nameTaken(trimmed);
        }
        try {
            return store.inTransaction(tx -> {
                var now = clock.instant();
                var existing = tx.roleDefinition(id);
                var role = new RoleDefinition(id, trimmed, description, granted, excluded,
                        assignableScopes == null || assignableScopes.isEmpty() ? List.of(scope) : assignableScopes,
                        false, existing.map(RoleDefinition::createdOn).orElse(now), now);
                var sameName = tx.findRoleDefinition(trimmed);
                if (sameName.isPresent() && !sameName.get().id().equals(id)) {
                    throw nameTaken(trimmed);
                }
                if (existing.isPresent()) {
                    tx.updateRoleDefinition(role);
                } else {
                    tx.insertRoleDefinition(role);
                }
                return new PutDefinition(role, existing.isEmpty());
            });
        } catch (ConcurrentUpdateException e) {
            throw nameTaken(trimmed);
        }
    }

    /** Refuses anyone but an administrator the writing of roles; {@link #putDefinition} checks it too. */
    public void requireDefinitionWrite(User caller, String scope) {
        access.requireAdmin(caller, Action.ROLE_DEFINITION_WRITE, scope);
    }

    /** Refuses a caller whose roles in the workspace do not grant {@code roleAssignments/write}. */
    public void requireAssignmentWrite(User caller, Workspace workspace, String id) {
        store.read(tx -> {
            access.require(access.grants(tx, caller, workspace.id()), Action.ROLE_ASSIGNMENT_WRITE,
                    assignmentScope(workspace) + "/" + id);
            return null;
        });
    }

    /**
     * Deletes a custom role that no assignment uses (administrators only); empty when there was none.
     *
     * @throws ApiException 400 {@code BuiltInRoleCannotBeChanged}; 409 {@code RoleDefinitionHasAssignments}
     */
    public Optional<RoleDefinition> deleteDefinition(User caller, String scope, UUID id) {
        access.requireAdmin(caller, Action.ROLE_DEFINITION_DELETE, scope);
        if (RoleDefinition.builtIn(id).isPresent()) {
            throw builtInReadOnly(id);
        }
        return store.inTransaction(tx -> {
            var existing = tx.roleDefinition(id);
            if (existing.isEmpty()) {
                return Optional.<RoleDefinition>empty();
            }
            var uses = tx.countRoleAssignments(id);
            if (uses > 0) {
                throw ApiException.conflict(ErrorCodes.ROLE_DEFINITION_IN_USE, "Role '" + existing.get().name()
                        + "' is given by " + uses + " role assignment" + (uses == 1 ? "" : "s")
                        + "; remove them before the role.");
            }
            tx.deleteRoleDefinition(id);
            return existing;
        });
    }

    /** The workspace's role assignments; needs {@code roleAssignments/read}. */
    public List<RoleAssignment> assignments(User caller, Workspace workspace) {
        return store.read(tx -> {
            access.require(access.grants(tx, caller, workspace.id()), Action.ROLE_ASSIGNMENT_READ,
                    assignmentScope(workspace));
            return tx.roleAssignments(workspace.id());
        });
    }

    /** One assignment of the workspace; 404 when there is none there. */
    public RoleAssignment assignment(User caller, Workspace workspace, UUID id) {
        return store.read(tx -> {
            access.require(access.grants(tx, caller, workspace.id()), Action.ROLE_ASSIGNMENT_READ,
                    assignmentScope(workspace) + "/" + id);
            return tx.roleAssignment(id).filter(found -> found.workspaceId().equals(workspace.id()))
                    .orElseThrow(() -> assignmentNotFound(id));
        });
    }

    /** What {@link #assign} did: the assignment, and whether it is new. */
    public record Assigned(RoleAssignment assignment, boolean created) {
    }

    /**
     * Gives {@code principalId} the role in the workspace, under the id the client chose (PUT is idempotent: the same
     * assignment again answers the one there). Needs {@code roleAssignments/write}.
     *
     * @throws ApiException 400 {@code PrincipalNotFound}, {@code RoleDefinitionDoesNotExist},
     *                      {@code RoleAssignmentUpdateNotPermitted}; 409 {@code RoleAssignmentExists}
     */
    public Assigned assign(User caller, Workspace workspace, UUID id, UUID principalId, UUID roleDefinitionId) {
        try {
            return store.inTransaction(tx -> {
                access.require(access.grants(tx, caller, workspace.id()), Action.ROLE_ASSIGNMENT_WRITE,
                        assignmentScope(workspace) + "/" + id);
                if (tx.user(principalId).isEmpty()) {
                    throw ApiException.badRequest(ErrorCodes.PRINCIPAL_NOT_FOUND, "No user with object id '"
                            + principalId + "' exists.", "properties.principalId");
                }
                if (byId(tx, roleDefinitionId).isEmpty()) {
                    throw ApiException.badRequest(ErrorCodes.ROLE_DEFINITION_NOT_FOUND, "No role definition with id '"
                            + roleDefinitionId + "' exists.", "properties.roleDefinitionId");
                }
                var existing = tx.roleAssignment(id);
                if (existing.isPresent()) {
                    var found = existing.get();
                    if (found.workspaceId().equals(workspace.id()) && found.principalId().equals(principalId)
                            && found.roleDefinitionId().equals(roleDefinitionId)) {
                        return new Assigned(found, false);
                    }
                    throw ApiException.badRequest("RoleAssignmentUpdateNotPermitted", "Role assignment '" + id
                            + "' exists with another user, role or scope; assignments cannot be changed. Delete it"
                            + " and make a new one.", "properties");
                }
                var same = tx.roleAssignments(workspace.id(), principalId).stream()
                        .filter(other -> other.roleDefinitionId().equals(roleDefinitionId)).findFirst();
                if (same.isPresent()) {
                    throw assignmentExists(same.get().id());
                }
                var assignment = new RoleAssignment(id, workspace.id(), principalId, roleDefinitionId,
                        clock.instant(), caller.name());
                tx.insertRoleAssignment(assignment);
                return new Assigned(assignment, true);
            });
        } catch (ConcurrentUpdateException e) {
            throw ApiException.conflict(ErrorCodes.ROLE_ASSIGNMENT_EXISTS, "The role assignment already exists.");
        }
    }

    /** Removes an assignment of the workspace; empty when there was none. Needs {@code roleAssignments/delete}. */
    public Optional<RoleAssignment> unassign(User caller, Workspace workspace, UUID id) {
        return store.inTransaction(tx -> {
            access.require(access.grants(tx, caller, workspace.id()), Action.ROLE_ASSIGNMENT_DELETE,
                    assignmentScope(workspace) + "/" + id);
            var existing = tx.roleAssignment(id).filter(found -> found.workspaceId().equals(workspace.id()));
            existing.ifPresent(found -> tx.deleteRoleAssignment(found.id()));
            return existing;
        });
    }

    /** A role by id: a built-in one, else a custom one from the store. */
    static Optional<RoleDefinition> byId(Transaction tx, UUID id) {
        return RoleDefinition.builtIn(id).or(() -> tx.roleDefinition(id));
    }

    /** A role by name, any case: a built-in one, else a custom one from the store. */
    static Optional<RoleDefinition> byName(Transaction tx, String name) {
        return RoleDefinition.builtInNamed(name).or(() -> tx.findRoleDefinition(name));
    }

    private static List<ActionPattern> patterns(List<String> texts, String field) {
        if (texts == null) {
            return List.of();
        }
        if (texts.size() > MAX_PATTERNS) {
            throw ApiException.badRequest(ErrorCodes.INVALID_ACTION, "A role holds at most " + MAX_PATTERNS + " "
                    + field + "; got " + texts.size() + ".", "properties.permissions");
        }
        return texts.stream().map(ActionPattern::new).toList();
    }

    /** The ARM id under which the workspace's assignments live. */
    public static String assignmentScope(Workspace workspace) {
        return workspace.armId() + "/providers/Microsoft.Authorization/roleAssignments";
    }

    private static ApiException roleNotFound(String id) {
        return ApiException.notFound(ErrorCodes.ROLE_DEFINITION_NOT_FOUND, "The role definition '" + id
                + "' does not exist.");
    }

    private static ApiException assignmentNotFound(UUID id) {
        return ApiException.notFound("RoleAssignmentNotFound", "The role assignment '" + id + "' is not found.");
    }

    private static ApiException assignmentExists(UUID existing) {
        return ApiException.conflict(ErrorCodes.ROLE_ASSIGNMENT_EXISTS, "The role assignment already exists (id '"
                + existing + "').");
    }

    private static ApiException nameTaken(String name) {
        return ApiException.conflict(ErrorCodes.ROLE_NAME_TAKEN, "A role definition named '" + name
                + "' already exists; role names are unique, whatever their case.");
    }

    private static ApiException builtInReadOnly(UUID id) {
        var role = RoleDefinition.builtIn(id).map(RoleDefinition::name).orElse(id.toString());
        return ApiException.badRequest(ErrorCodes.BUILT_IN_ROLE_READ_ONLY, "'" + role + "' is a built-in role;"
                + " it cannot be changed or deleted. Make a custom role instead.", "id");
    }
}
