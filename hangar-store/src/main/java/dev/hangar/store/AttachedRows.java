package dev.hangar.store;

import dev.hangar.core.compute.AttachedCompute;
import dev.hangar.core.compute.ComputeFilter;
import dev.hangar.core.secret.SecretBox;
import dev.hangar.core.spi.engine.EngineJobRef;
import dev.hangar.core.store.ConcurrentUpdateException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Attached computes' rows of the computes table (every compute_type but an instance's and a cluster's), their
 * credentials sealed, the engine_jobs table and the attach_lock. Every write but an insert is conditional on the row's version.
 */
final class AttachedRows {
    /** The compute_type values that are not attachments. */
    static final String IS_ATTACHED = "compute_type NOT IN ('" + ComputeRows.INSTANCE + "', '" + ClusterRows.TYPE
            + "')";
    private static final String COLUMNS = "id, workspace_id, name, compute_type, description, tags, created_by,"
            + " errors, attachment, attachment_secrets, created_on, modified_on, version";

    /** How an attachment is stored: everything of it but its identity, its envelope and its credentials. */
    record Attachment(String resourceId, Map<String, String> settings, AttachedCompute.JobUser jobUser,
                      Map<String, String> userMap, AttachedCompute.EngineSummary engine) {
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<Attachment> ATTACHMENT =
            new com.fasterxml.jackson.core.type.TypeReference<>() { };

    private final Handle handle;
    private final SecretBox secrets;
    final RowMapper<AttachedCompute> mapper;

    AttachedRows(Handle handle, SecretBox secrets) {
        this.handle = handle;
        this.secrets = secrets;
        this.mapper = (rs, ctx) -> {
            var attachment = Json.read(rs.getString("attachment"), ATTACHMENT);
            return new AttachedCompute(
                    Columns.uuid(rs, "id"),
                    Columns.uuid(rs, "workspace_id"),
                    rs.getString("name"),
                    rs.getString("compute_type"),
                    rs.getString("description"),
                    Json.read(rs.getString("tags"), Json.STRING_MAP),
                    attachment.resourceId(),
                    attachment.settings() == null ? Map.of() : attachment.settings(),
                    opened(rs.getString("attachment_secrets")),
                    attachment.jobUser(),
                    attachment.userMap() == null ? Map.of() : attachment.userMap(),
                    attachment.engine(),
                    Json.read(rs.getString("created_by"), Json.USER_REF),
                    Json.read(rs.getString("errors"), Json.ERRORS),
                    Columns.instant(rs, "created_on"),
                    Columns.instant(rs, "modified_on"),
                    rs.getLong("version"));
        };
    }

    /** The credentials as read; ones that do not open with this server's key read as none. */
    private Map<String, String> opened(String stored) {
        return stored == null ? Map.of() : secrets.open(stored).map(text -> Json.read(text, Json.STRING_MAP))
                .orElse(Map.of());
    }

    AttachedCompute insert(AttachedCompute compute) {
        var stored = asStored(compute).withVersion(1);
        bind(handle.createUpdate("INSERT INTO computes (" + COLUMNS + ", name_key, created_by_id, state,"
                + " ssh_public_access, apps) VALUES (:id, :workspaceId, :name, :kind, :description, :tags, :createdBy,"
                + " :errors, :attachment, :secrets, :createdOn, :modifiedOn, :version, :nameKey, :createdById,"
                + " 'Succeeded', FALSE, '[]')"), stored).execute();
        return stored;
    }

    AttachedCompute update(AttachedCompute compute) {
        var stored = asStored(compute).withVersion(compute.version() + 1);
        var updated = bind(handle.createUpdate("UPDATE computes SET description = :description, tags = :tags,"
                + " errors = :errors, attachment = :attachment, attachment_secrets = :secrets,"
                + " modified_on = :modifiedOn, version = :version WHERE id = :id AND version = :expected AND "
                + IS_ATTACHED), stored)
                .bind("expected", compute.version())
                .execute();
        if (updated == 0) {
            throw new ConcurrentUpdateException("Attached compute " + compute.name() + " (" + compute.id()
                    + ") is no longer at version " + compute.version() + ": it was changed or detached meanwhile.");
        }
        return stored;
    }

    Optional<AttachedCompute> byId(UUID id) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM computes WHERE id = :id AND " + IS_ATTACHED)
                .bind("id", id).map(mapper).findOne();
    }

    Optional<AttachedCompute> find(UUID workspaceId, String name) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM computes WHERE workspace_id = :workspaceId"
                        + " AND name_key = :nameKey AND " + IS_ATTACHED)
                .bind("workspaceId", workspaceId)
                .bind("nameKey", Columns.key(name))
                .map(mapper).findOne();
    }

    List<AttachedCompute> page(UUID workspaceId, ComputeFilter filter, int skip, int limit) {
        return ComputeRows.page(handle, COLUMNS, IS_ATTACHED, workspaceId, filter,
                dev.hangar.core.compute.ComputeOrder.NAME, skip, limit).map(mapper).list();
    }

    List<AttachedCompute> all() {
        return handle.createQuery("SELECT " + COLUMNS + " FROM computes WHERE " + IS_ATTACHED
                + " ORDER BY workspace_id, name_key").map(mapper).list();
    }

    /** Updates the one attach_lock row, which holds its row lock to the end of the transaction. */
    void lock() {
        handle.createUpdate("UPDATE attach_lock SET attaches = attaches + 1 WHERE id = 1").execute();
    }

    void insertEngineJob(UUID jobId, EngineJobRef ref, Instant at) {
        handle.createUpdate("INSERT INTO engine_jobs (job_id, engine_id, folder, run_as, submitted_on)"
                        + " VALUES (:jobId, :engineId, :folder, :runAs, :at)")
                .bind("jobId", jobId).bind("engineId", ref.engineId()).bind("folder", ref.folder())
                .bind("runAs", ref.runAs()).bind("at", at).execute();
    }

    Map<UUID, EngineJobRef> engineJobs(Collection<UUID> jobIds) {
        if (jobIds.isEmpty()) {
            return Map.of();
        }
        return handle.createQuery("SELECT job_id, engine_id, folder, run_as FROM engine_jobs WHERE job_id IN (<ids>)")
                .bindList("ids", List.copyOf(jobIds))
                .map((rs, ctx) -> Map.entry(Columns.uuid(rs, "job_id"), new EngineJobRef(rs.getString("engine_id"),
                        rs.getString("folder"), rs.getString("run_as"))))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * Seals every attachment's credentials again with the box's own key (after a key change); ones no key opens are
     * left as they are, and read as none. Returns how many were written.
     */
    int reseal() {
        var rows = handle.createQuery("SELECT id, attachment_secrets FROM computes WHERE attachment_secrets IS NOT NULL")
                .map((rs, ctx) -> Map.entry(Columns.uuid(rs, "id"), rs.getString("attachment_secrets"))).list();
        int written = 0;
        for (var row : rows) {
            if (secrets.sealedWithThisKey(row.getValue())) {
                continue;
            }
            var plain = secrets.open(row.getValue());
            if (plain.isPresent()) {
                handle.createUpdate("UPDATE computes SET attachment_secrets = :secrets WHERE id = :id")
                        .bind("secrets", secrets.seal(plain.get())).bind("id", row.getKey()).execute();
                written++;
            }
        }
        return written;
    }

    private static AttachedCompute asStored(AttachedCompute c) {
        return new AttachedCompute(c.id(), c.workspaceId(), c.name(), c.kind(), c.description(), c.tags(),
                c.resourceId(), c.settings(), c.secrets(), c.jobUser(), c.userMap(), c.engine(), c.createdBy(),
                c.errors(), Columns.truncate(c.createdOn()), Columns.truncate(c.modifiedOn()), c.version());
    }

    private <S extends SqlStatement<S>> S bind(S statement, AttachedCompute compute) {
        return ComputeHeaders.bind(statement, compute)
                .bind("kind", compute.kind())
                .bind("attachment", Json.write(new Attachment(compute.resourceId(), compute.settings(),
                        compute.jobUser(), compute.userMap(), compute.engine())))
                .bind("secrets", compute.secrets().isEmpty() ? null : secrets.seal(Json.write(compute.secrets())));
    }
}
