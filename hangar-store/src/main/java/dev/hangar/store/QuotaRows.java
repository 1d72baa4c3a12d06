package dev.hangar.store;

import dev.hangar.core.quota.CoreReservation;
import dev.hangar.core.quota.QuotaLimit;
import dev.hangar.core.quota.VmPriority;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** The quota_locks, quota_limits and core_reservations tables. */
final class QuotaRows {
    private static final RowMapper<QuotaLimit> LIMIT = (rs, ctx) -> new QuotaLimit(
            rs.getString("subscription_key"),
            rs.getString("location_key"),
            Columns.uuid(rs, "workspace_id"),
            rs.getString("family"),
            Columns.enumOf(VmPriority.class, rs, "priority"),
            rs.getLong("core_limit"));

    private static final RowMapper<CoreReservation> RESERVATION = (rs, ctx) -> new CoreReservation(
            Columns.uuid(rs, "compute_id"),
            Columns.uuid(rs, "workspace_id"),
            rs.getString("name"),
            rs.getString("family"),
            Columns.enumOf(VmPriority.class, rs, "priority"),
            rs.getInt("cores"));

    private final Handle handle;

    QuotaRows(Handle handle) {
        this.handle = handle;
    }

    /** Updates the location's lock row, which holds its row lock to the end of the transaction; inserts it once. */
    void lock(String subscriptionId, String location) {
        var key = Columns.key(subscriptionId) + "|" + Columns.key(location);
        var updated = handle.createUpdate("UPDATE quota_locks SET admissions = admissions + 1 WHERE scope_key = :key")
                .bind("key", key).execute();
        if (updated == 0) {
            // Two first admissions race here: the loser's unique violation is a concurrent update, tried again.
            handle.createUpdate("INSERT INTO quota_locks (scope_key, admissions) VALUES (:key, 1)")
                    .bind("key", key).execute();
        }
    }

    List<QuotaLimit> limits(String subscriptionId, String location) {
        return handle.createQuery("SELECT subscription_key, location_key, workspace_id, family, priority, core_limit"
                        + " FROM quota_limits WHERE subscription_key = :sub AND location_key = :loc")
                .bind("sub", Columns.key(subscriptionId))
                .bind("loc", Columns.key(location))
                .map(LIMIT).list();
    }

    void put(QuotaLimit limit) {
        var key = String.join("|", Columns.key(limit.subscriptionId()), Columns.key(limit.location()),
                limit.workspaceId() == null ? "*" : limit.workspaceId().toString(),
                limit.family() == null ? "*" : Columns.key(limit.family()), limit.priority().name());
        handle.createUpdate("DELETE FROM quota_limits WHERE limit_key = :key").bind("key", key).execute();
        if (limit.limit() == QuotaLimit.NONE) {
            return;
        }
        handle.createUpdate("INSERT INTO quota_limits (limit_key, subscription_key, location_key, workspace_id, family,"
                        + " priority, core_limit) VALUES (:key, :sub, :loc, :workspaceId, :family, :priority, :limit)")
                .bind("key", key)
                .bind("sub", Columns.key(limit.subscriptionId()))
                .bind("loc", Columns.key(limit.location()))
                .bind("workspaceId", limit.workspaceId())
                .bind("family", limit.family())
                .bind("priority", limit.priority().name())
                .bind("limit", limit.limit())
                .execute();
    }

    void insertReservation(CoreReservation reservation) {
        handle.createUpdate("INSERT INTO core_reservations (compute_id, workspace_id, family, priority, cores)"
                        + " VALUES (:computeId, :workspaceId, :family, :priority, :cores)")
                .bind("computeId", reservation.computeId())
                .bind("workspaceId", reservation.workspaceId())
                .bind("family", reservation.family())
                .bind("priority", reservation.priority().name())
                .bind("cores", reservation.cores())
                .execute();
    }

    void deleteReservation(java.util.UUID computeId) {
        handle.createUpdate("DELETE FROM core_reservations WHERE compute_id = :computeId")
                .bind("computeId", computeId).execute();
    }

    List<CoreReservation> reservations(String subscriptionId, String location) {
        return handle.createQuery("SELECT r.compute_id, r.workspace_id, c.name, r.family, r.priority, r.cores"
                        + " FROM core_reservations r JOIN workspaces w ON w.id = r.workspace_id"
                        + " JOIN computes c ON c.id = r.compute_id"
                        + " WHERE w.subscription_key = :sub AND lower(w.location) = :loc")
                .bind("sub", Columns.key(subscriptionId))
                .bind("loc", Columns.key(location))
                .map(RESERVATION).list();
    }
}
