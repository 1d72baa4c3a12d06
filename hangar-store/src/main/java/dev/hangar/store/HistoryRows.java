package dev.hangar.store;

import dev.hangar.core.compute.InstanceState;
import dev.hangar.core.compute.StateTransition;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** The append-only compute_history table. */
final class HistoryRows {
    private static final RowMapper<StateTransition> MAPPER = (rs, ctx) -> new StateTransition(
            Columns.uuid(rs, "compute_id"),
            Columns.instant(rs, "at"),
            Columns.enumOf(InstanceState.class, rs, "from_state"),
            Columns.enumOf(InstanceState.class, rs, "to_state"),
            rs.getString("reason"),
            rs.getString("actor"));

    private final Handle handle;

    HistoryRows(Handle handle) {
        this.handle = handle;
    }

    void append(StateTransition transition) {
        handle.createUpdate("""
                INSERT INTO compute_history (compute_id, at, from_state, to_state, reason, actor)
                VALUES (:computeId, :at, :from, :to, :reason, :actor)
                """)
                .bind("computeId", transition.computeId())
                .bind("at", transition.at())
                .bind("from", transition.from())
                .bind("to", transition.to())
                .bind("reason", transition.reason())
                .bind("actor", transition.actor())
                .execute();
    }

    /** Oldest first; lines with the same time in the order they were appended. */
    List<StateTransition> of(UUID computeId) {
        return handle.createQuery("""
                SELECT compute_id, at, from_state, to_state, reason, actor FROM compute_history
                WHERE compute_id = :computeId ORDER BY at, seq
                """)
                .bind("computeId", computeId)
                .map(MAPPER)
                .list();
    }
}
