package dev.hangar.store;

import dev.hangar.core.workspace.Workspace;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;

/** The workspaces table. */
final class WorkspaceRows {
    private static final String COLUMNS =
            "id, subscription_id, resource_group, name, location, description, tags, created_on";

    private static final RowMapper<Workspace> MAPPER = (rs, ctx) -> new Workspace(
            Columns.uuid(rs, "id"),
            rs.getString("subscription_id"),
            rs.getString("resource_group"),
            rs.getString("name"),
            rs.getString("location"),
            rs.getString("description"),
            Json.read(rs.getString("tags"), Json.STRING_MAP),
            Columns.instant(rs, "created_on"));

    private final Handle handle;

    WorkspaceRows(Handle handle) {
        this.handle = handle;
    }

    void insert(Workspace workspace) {
        bindAll(handle.createUpdate("""
                INSERT INTO workspaces (id, subscription_id, resource_group, name, subscription_key, resource_group_key,
                    name_key, location, description, tags, created_on)
                VALUES (:id, :subscriptionId, :resourceGroup, :name, :subscriptionKey, :resourceGroupKey,
                    :nameKey, :location, :description, :tags, :createdOn)
                """), workspace).execute();
    }

    void update(Workspace workspace) {
        var updated = bindAll(handle.createUpdate("""
                UPDATE workspaces SET subscription_id = :subscriptionId, resource_group = :resourceGroup, name = :name,
                    subscription_key = :subscriptionKey, resource_group_key = :resourceGroupKey, name_key = :nameKey,
                    location = :location, description = :description, tags = :tags, created_on = :createdOn
                WHERE id = :id
                """), workspace).execute();
        if (updated == 0) {
            throw new IllegalStateException("There is no workspace " + workspace.id() + " to update.");
        }
    }

    Optional<Workspace> byId(UUID id) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM workspaces WHERE id = :id")
                .bind("id", id)
                .map(MAPPER)
                .findOne();
    }

    Optional<Workspace> find(String subscriptionId, String resourceGroup, String name) {
        return handle.createQuery("SELECT " + COLUMNS + """
                 FROM workspaces
                WHERE subscription_key = :subscriptionKey AND resource_group_key = :resourceGroupKey
                  AND name_key = :nameKey
                """)
                .bind("subscriptionKey", Columns.key(subscriptionId))
                .bind("resourceGroupKey", Columns.key(resourceGroup))
                .bind("nameKey", Columns.key(name))
                .map(MAPPER)
                .findOne();
    }

    List<Workspace> of(String subscriptionId, String resourceGroup) {
        var inGroup = resourceGroup == null ? "" : " AND resource_group_key = :resourceGroupKey";
        var query = handle.createQuery("SELECT " + COLUMNS + " FROM workspaces"
                        + " WHERE subscription_key = :subscriptionKey" + inGroup
                        + " ORDER BY name_key, resource_group_key, id")
                .bind("subscriptionKey", Columns.key(subscriptionId));
        if (resourceGroup != null) {
            query.bind("resourceGroupKey", Columns.key(resourceGroup));
        }
        return query.map(MAPPER).list();
    }

    List<Workspace> all() {
        return handle.createQuery("SELECT " + COLUMNS + " FROM workspaces ORDER BY name_key, subscription_key,"
                        + " resource_group_key, id")
                .map(MAPPER)
                .list();
    }

    private static <S extends SqlStatement<S>> S bindAll(S statement, Workspace workspace) {
        return statement
                .bind("id", workspace.id())
                .bind("subscriptionId", workspace.subscriptionId())
                .bind("resourceGroup", workspace.resourceGroup())
                .bind("name", workspace.name())
                .bind("subscriptionKey", Columns.key(workspace.subscriptionId()))
                .bind("resourceGroupKey", Columns.key(workspace.resourceGroup()))
                .bind("nameKey", Columns.key(workspace.name()))
                .bind("location", workspace.location())
                .bind("description", workspace.description())
                .bind("tags", Json.write(workspace.tags()))
                .bind("createdOn", workspace.createdOn());
    }
}
