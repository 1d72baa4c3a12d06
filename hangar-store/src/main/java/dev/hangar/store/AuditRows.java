package dev.hangar.store;

import dev.hangar.core.audit.AuditEvent;
import dev.hangar.core.audit.AuditFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** The audit_events table. */
final class AuditRows {
    private static final String COLUMNS = "id, at, workspace_id, actor, action, target, result, status, error_code,"
            + " request_id, trigger_source, detail";

    private static final RowMapper<AuditEvent> EVENT = (rs, ctx) -> new AuditEvent(
            Columns.uuid(rs, "id"),
            Columns.instant(rs, "at"),
            Columns.uuid(rs, "workspace_id"),
            rs.getString("actor"),
            rs.getString("action"),
            rs.getString("target"),
            rs.getString("result"),
            rs.getObject("status") == null ? null : rs.getInt("status"),
            rs.getString("error_code"),
            rs.getString("request_id"),
            rs.getString("trigger_source"),
            rs.getString("detail"));

    private final Handle handle;

    AuditRows(Handle handle) {
        this.handle = handle;
    }

    void insert(AuditEvent event) {
        handle.createUpdate("INSERT INTO audit_events (" + COLUMNS + ") VALUES (:id, :at, :workspaceId, :actor,"
                        + " :action, :target, :result, :status, :errorCode, :requestId, :trigger, :detail)")
                .bind("id", event.id())
                .bind("at", event.at())
                .bind("workspaceId", event.workspaceId())
                .bind("actor", event.actor())
                .bind("action", event.action())
                .bind("target", event.target())
                .bind("result", event.result())
                .bind("status", event.status())
                .bind("errorCode", event.errorCode())
                .bind("requestId", event.requestId())
                .bind("trigger", event.trigger())
                .bind("detail", event.detail())
                .execute();
    }

    void end(java.util.UUID id, String result, Integer status, String errorCode) {
        handle.createUpdate("UPDATE audit_events SET result = :result, status = :status, error_code = :errorCode"
                        + " WHERE id = :id")
                .bind("id", id)
                .bind("result", result)
                .bind("status", status)
                .bind("errorCode", errorCode)
                .execute();
    }

    List<AuditEvent> find(AuditFilter filter) {
        var where = new ArrayList<String>();
        if (!filter.allWorkspaces()) {
            where.add(filter.workspaceId() == null ? "workspace_id IS NULL" : "workspace_id = :workspaceId");
        }
        if (filter.since() != null) {
            where.add("at >= :since");
        }
        if (filter.until() != null) {
            where.add("at <= :until");
        }
        if (filter.actor() != null) {
            where.add("LOWER(actor) = :actor");
        }
        if (filter.action() != null) {
            where.add("LOWER(action) LIKE :action");
        }
        if (filter.target() != null) {
            where.add("LOWER(target) LIKE :target");
        }
        if (filter.result() != null) {
            where.add("LOWER(result) = :result");
        }
        var sql = "SELECT " + COLUMNS + " FROM audit_events" + (where.isEmpty() ? "" : " WHERE "
                + String.join(" AND ", where)) + " ORDER BY at DESC, seq DESC LIMIT :limit OFFSET :skip";
        var query = handle.createQuery(sql)
                .bind("limit", filter.limit())
                .bind("skip", filter.skip());
        if (filter.workspaceId() != null) {
            query.bind("workspaceId", filter.workspaceId());
        }
        if (filter.since() != null) {
            query.bind("since", filter.since());
        }
        if (filter.until() != null) {
            query.bind("until", filter.until());
        }
        if (filter.actor() != null) {
            query.bind("actor", lower(filter.actor()));
        }
        if (filter.action() != null) {
            query.bind("action", "%" + likeEscaped(lower(filter.action())) + "%");
        }
        if (filter.target() != null) {
            query.bind("target", "%" + likeEscaped(lower(filter.target())) + "%");
        }
        if (filter.result() != null) {
            query.bind("result", lower(filter.result()));
        }
        return query.map(EVENT).list();
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    /** A LIKE pattern's wildcards taken literally (both databases treat backslash as LIKE's default escape). */
    private static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
