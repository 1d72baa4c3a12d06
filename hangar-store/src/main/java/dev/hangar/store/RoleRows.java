package dev.hangar.store;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.hangar.core.access.ActionPattern;
import dev.hangar.core.access.RoleAssignment;
import dev.hangar.core.access.RoleDefinition;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** The role_definitions (custom roles) and role_assignments tables. */
final class RoleRows {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final String DEFINITION_COLUMNS =
            "id, name, description, actions, not_actions, assignable_scopes, created_on, updated_on";
    private static final String ASSIGNMENT_COLUMNS =
            "id, workspace_id, principal_id, role_definition_id, created_on, created_by";

    private static final RowMapper<RoleDefinition> DEFINITION = (rs, ctx) -> new RoleDefinition(
            Columns.uuid(rs, "id"),
            rs.getString("name"),
            rs.getString("description"),
            patterns(rs.getString("actions")),
            patterns(rs.getString("not_actions")),
            Json.read(rs.getString("assignable_scopes"), STRINGS),
            false,
            Columns.instant(rs, "created_on"),
            Columns.instant(rs, "updated_on"));

    private static final RowMapper<RoleAssignment> ASSIGNMENT = (rs, ctx) -> new RoleAssignment(
            Columns.uuid(rs, "id"),
            Columns.uuid(rs, "workspace_id"),
            Columns.uuid(rs, "principal_id"),
            Columns.uuid(rs, "role_definition_id"),
            Columns.instant(rs, "created_on"),
            rs.getString("created_by"));

    private final Handle handle;

    RoleRows(Handle handle) {
        this.handle = handle;
    }

    void insertDefinition(RoleDefinition role) {
        handle.createUpdate("INSERT INTO role_definitions (" + DEFINITION_COLUMNS + ", name_key) VALUES (:id, :name,"
                        + " :description, :actions, :notActions, :assignableScopes, :createdOn, :updatedOn, :nameKey)")
                .bind("id", role.id())
                .bindMap(fields(role))
                .execute();
    }

    void updateDefinition(RoleDefinition role) {
        handle.createUpdate("UPDATE role_definitions SET name = :name, name_key = :nameKey, description = :description,"
                        + " actions = :actions, not_actions = :notActions, assignable_scopes = :assignableScopes,"
                        + " updated_on = :updatedOn WHERE id = :id")
                .bind("id", role.id())
                .bindMap(fields(role))
                .execute();
    }

    void deleteDefinition(UUID id) {
        handle.createUpdate("DELETE FROM role_definitions WHERE id = :id").bind("id", id).execute();
    }

    Optional<RoleDefinition> definition(UUID id) {
        return handle.createQuery("SELECT " + DEFINITION_COLUMNS + " FROM role_definitions WHERE id = :id")
                .bind("id", id).map(DEFINITION).findOne();
    }

    Optional<RoleDefinition> findDefinition(String name) {
        return handle.createQuery("SELECT " + DEFINITION_COLUMNS + " FROM role_definitions WHERE name_key = :nameKey")
                .bind("nameKey", Columns.key(name)).map(DEFINITION).findOne();
    }

    List<RoleDefinition> definitions() {
        return handle.createQuery("SELECT " + DEFINITION_COLUMNS + " FROM role_definitions ORDER BY name_key")
                .map(DEFINITION).list();
    }

    void insertAssignment(RoleAssignment assignment) {
        handle.createUpdate("INSERT INTO role_assignments (" + ASSIGNMENT_COLUMNS + ") VALUES (:id, :workspaceId,"
                        + " :principalId, :roleDefinitionId, :createdOn, :createdBy)")
                .bind("id", assignment.id())
                .bind("workspaceId", assignment.workspaceId())
                .bind("principalId", assignment.principalId())
                .bind("roleDefinitionId", assignment.roleDefinitionId())
                .bind("createdOn", assignment.createdOn())
                .bind("createdBy", assignment.createdBy())
                .execute();
    }

    void deleteAssignment(UUID id) {
        handle.createUpdate("DELETE FROM role_assignments WHERE id = :id").bind("id", id).execute();
    }

    Optional<RoleAssignment> assignment(UUID id) {
        return handle.createQuery("SELECT " + ASSIGNMENT_COLUMNS + " FROM role_assignments WHERE id = :id")
                .bind("id", id).map(ASSIGNMENT).findOne();
    }

    List<RoleAssignment> assignments(UUID workspaceId) {
        return handle.createQuery("SELECT " + ASSIGNMENT_COLUMNS + " FROM role_assignments"
                        + " WHERE workspace_id = :workspaceId ORDER BY created_on, id")
                .bind("workspaceId", workspaceId).map(ASSIGNMENT).list();
    }

    List<RoleAssignment> assignments(UUID workspaceId, UUID principalId) {
        return handle.createQuery("SELECT " + ASSIGNMENT_COLUMNS + " FROM role_assignments"
                        + " WHERE principal_id = :principalId AND workspace_id = :workspaceId ORDER BY created_on, id")
                .bind("workspaceId", workspaceId).bind("principalId", principalId).map(ASSIGNMENT).list();
    }

    int countAssignments(UUID roleDefinitionId) {
        return handle.createQuery("SELECT COUNT(*) FROM role_assignments WHERE role_definition_id = :roleId")
                .bind("roleId", roleDefinitionId).mapTo(Integer.class).one();
    }

    private static java.util.Map<String, Object> fields(RoleDefinition role) {
        var fields = new java.util.HashMap<String, Object>();
        fields.put("name", role.name());
        fields.put("nameKey", Columns.key(role.name()));
        fields.put("description", role.description());
        fields.put("actions", Json.write(role.actions().stream().map(ActionPattern::text).toList()));
        fields.put("notActions", Json.write(role.notActions().stream().map(ActionPattern::text).toList()));
        fields.put("assignableScopes", Json.write(role.assignableScopes()));
        fields.put("createdOn", role.createdOn());
        fields.put("updatedOn", role.updatedOn());
        return fields;
    }

    private static List<ActionPattern> patterns(String json) {
        return Json.read(json, STRINGS).stream().map(ActionPattern::new).toList();
    }
}
