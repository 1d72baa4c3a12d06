package dev.hangar.store;

import dev.hangar.core.environment.EnvironmentVersion;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** The environments table: each workspace's environment versions. */
final class EnvironmentRows {
    private static final String COLUMNS = "workspace_id, name, version, image, description, tags, anonymous,"
            + " created_by, created_on";
    private static final RowMapper<EnvironmentVersion> VERSION = (rs, ctx) -> new EnvironmentVersion(
            Columns.uuid(rs, "workspace_id"),
            rs.getString("name"),
            rs.getString("version"),
            rs.getString("image"),
            rs.getString("description"),
            Json.read(rs.getString("tags"), Json.STRING_MAP),
            rs.getBoolean("anonymous"),
            Json.read(rs.getString("created_by"), Json.USER_REF),
            Columns.instant(rs, "created_on"));

    private final Handle handle;

    EnvironmentRows(Handle handle) {
        this.handle = handle;
    }

    /** Inserts the version; a taken one surfaces as a unique violation, which the transaction translates. */
    EnvironmentVersion insert(EnvironmentVersion version) {
        var stored = new EnvironmentVersion(version.workspaceId(), version.name(), version.version(), version.image(),
                version.description(), version.tags(), version.anonymous(), version.createdBy(),
                Columns.truncate(version.createdOn()));
        handle.createUpdate("INSERT INTO environments (" + COLUMNS + ", name_key) VALUES (:workspaceId, :name,"
                        + " :version, :image, :description, :tags, :anonymous, :createdBy, :createdOn, :nameKey)")
                .bind("workspaceId", stored.workspaceId())
                .bind("name", stored.name())
                .bind("nameKey", Columns.key(stored.name()))
                .bind("version", stored.version())
                .bind("image", stored.image())
                .bind("description", stored.description())
                .bind("tags", Json.write(stored.tags()))
                .bind("anonymous", stored.anonymous())
                .bind("createdBy", Json.write(stored.createdBy()))
                .bind("createdOn", stored.createdOn())
                .execute();
        return stored;
    }

    Optional<EnvironmentVersion> find(UUID workspaceId, String name, String version) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM environments WHERE workspace_id = :workspaceId"
                        + " AND name_key = :nameKey AND version = :version")
                .bind("workspaceId", workspaceId).bind("nameKey", Columns.key(name)).bind("version", version)
                .map(VERSION).findOne();
    }

    /** The versions of a name, newest first. */
    List<EnvironmentVersion> versions(UUID workspaceId, String name) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM environments WHERE workspace_id = :workspaceId"
                        + " AND name_key = :nameKey ORDER BY seq DESC")
                .bind("workspaceId", workspaceId).bind("nameKey", Columns.key(name)).map(VERSION).list();
    }

    /** The latest version of each name, by name. */
    List<EnvironmentVersion> latest(UUID workspaceId) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM environments WHERE seq IN (SELECT MAX(seq) FROM"
                        + " environments WHERE workspace_id = :workspaceId GROUP BY name_key) ORDER BY name_key")
                .bind("workspaceId", workspaceId).map(VERSION).list();
    }
}
