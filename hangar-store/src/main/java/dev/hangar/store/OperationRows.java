package dev.hangar.store;

import dev.hangar.core.operation.Operation;
import dev.hangar.core.operation.OperationKind;
import dev.hangar.core.operation.OperationStatus;
import dev.hangar.core.operation.Trigger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The operations table. A row's status moves once, from InProgress to a terminal status, by a write conditional on
 * it still being InProgress.
 */
final class OperationRows {
    private static final String COLUMNS = "id, workspace_id, compute_id, compute_name, kind, status, trigger_source,"
            + " actor, started_on, ended_on, error";

    private static final RowMapper<Operation> MAPPER = (rs, ctx) -> new Operation(
            Columns.uuid(rs, "id"),
            Columns.uuid(rs, "workspace_id"),
            Columns.uuid(rs, "compute_id"),
            rs.getString("compute_name"),
            Columns.enumOf(OperationKind.class, rs, "kind"),
            Columns.enumOf(OperationStatus.class, rs, "status"),
            Columns.enumOf(Trigger.class, rs, "trigger_source"),
            rs.getString("actor"),
            Columns.instant(rs, "started_on"),
            Columns.instant(rs, "ended_on"),
            Json.read(rs.getString("error"), Json.ERROR));

    private final Handle handle;

    OperationRows(Handle handle) {
        this.handle = handle;
    }

    /** A second InProgress operation on the same compute violates a unique key, which the transaction translates. */
    void insert(Operation operation) {
        handle.createUpdate("INSERT INTO operations (" + COLUMNS + ", in_progress_compute_id) VALUES (:id,"
                        + " :workspaceId, :computeId, :computeName, :kind, :status, :trigger, :actor, :startedOn,"
                        + " :endedOn, :error, :inProgressComputeId)")
                .bind("id", operation.id())
                .bind("workspaceId", operation.workspaceId())
                .bind("computeId", operation.computeId())
                .bind("computeName", operation.computeName())
                .bind("kind", operation.kind())
                .bind("status", operation.status())
                .bind("trigger", operation.trigger())
                .bind("actor", operation.actor())
                .bind("startedOn", operation.startedOn())
                .bind("endedOn", operation.endedOn())
                .bind("error", Json.write(operation.error()))
                .bind("inProgressComputeId", operation.status().isTerminal() ? null : operation.computeId())
                .execute();
    }

    boolean end(Operation ended) {
        if (!ended.status().isTerminal()) {
            throw new IllegalArgumentException("Operation " + ended.id() + " cannot end as " + ended.status());
        }
        return handle.createUpdate("""
                UPDATE operations SET status = :status, ended_on = :endedOn, error = :error,
                    in_progress_compute_id = NULL
                WHERE id = :id AND status = :inProgress
                """)
                .bind("id", ended.id())
                .bind("status", ended.status())
                .bind("endedOn", ended.endedOn())
                .bind("error", Json.write(ended.error()))
                .bind("inProgress", OperationStatus.InProgress)
                .execute() == 1;
    }

    Optional<Operation> byId(UUID id) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM operations WHERE id = :id")
                .bind("id", id)
                .map(MAPPER)
                .findOne();
    }

    Optional<Operation> active(UUID computeId) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM operations WHERE in_progress_compute_id = :computeId")
                .bind("computeId", computeId)
                .map(MAPPER)
                .findOne();
    }

    /**
     * The newest lifecycle operation by start time (updates of mutable fields are not lifecycle operations); of
     * operations started at the same instant, the one inserted last.
     */
    Optional<Operation> last(UUID computeId) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM operations WHERE compute_id = :computeId"
                        + " AND kind <> 'Update' ORDER BY started_on DESC, seq DESC LIMIT 1")
                .bind("computeId", computeId)
                .map(MAPPER)
                .findFirst();
    }

    /** {@link #last(UUID)} of each compute, in one query. */
    Map<UUID, Operation> last(Collection<UUID> computeIds) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM (SELECT " + COLUMNS + ", ROW_NUMBER() OVER"
                        + " (PARTITION BY compute_id ORDER BY started_on DESC, seq DESC) AS newest FROM operations"
                        + " WHERE compute_id IN (<computeIds>) AND kind <> 'Update') ranked WHERE newest = 1")
                .bindList("computeIds", List.copyOf(computeIds))
                .map(MAPPER)
                .collect(Collectors.toMap(Operation::computeId, operation -> operation));
    }
}
