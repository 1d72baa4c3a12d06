package dev.hangar.store;

import dev.hangar.core.code.CodeSnapshot;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** The codes table: the code snapshots each workspace was sent. */
final class CodeRows {
    private static final RowMapper<CodeSnapshot> CODE = (rs, ctx) -> new CodeSnapshot(
            Columns.uuid(rs, "workspace_id"),
            rs.getString("digest"),
            rs.getInt("files"),
            rs.getLong("bytes"),
            Json.read(rs.getString("created_by"), Json.USER_REF),
            Columns.instant(rs, "created_on"));

    private final Handle handle;

    CodeRows(Handle handle) {
        this.handle = handle;
    }

    CodeSnapshot insert(CodeSnapshot code) {
        handle.createUpdate("INSERT INTO codes (workspace_id, digest, files, bytes, created_by, created_on)"
                        + " VALUES (:workspaceId, :digest, :files, :bytes, :createdBy, :createdOn)")
                .bind("workspaceId", code.workspaceId())
                .bind("digest", code.digest())
                .bind("files", code.files())
                .bind("bytes", code.bytes())
                .bind("createdBy", Json.write(code.createdBy()))
                .bind("createdOn", code.createdOn())
                .execute();
        return code;
    }

    Optional<CodeSnapshot> find(UUID workspaceId, String digest) {
        return handle.createQuery("SELECT workspace_id, digest, files, bytes, created_by, created_on FROM codes"
                        + " WHERE workspace_id = :workspaceId AND digest = :digest")
                .bind("workspaceId", workspaceId).bind("digest", digest).map(CODE).findOne();
    }
}
