package dev.hangar.core.audit;

import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.store.Store;
import dev.hangar.core.workspace.Workspace;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit events: written by the server for every call that changes something and by the reconciler for every
 * state an instance reaches (in the transaction that records it); read with filters by administrators, and by those
 * whose roles in a workspace grant {@code Microsoft.Insights/eventtypes/values/read} (Readers and up) for its events.
 */
public final class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    private final Store store;
    private final AccessPolicy access;

    public AuditLog(Store store, AccessPolicy access) {
        this.store = store;
        this.access = access;
    }

    /** Records one event in a transaction of its own; a failure is logged, never thrown at the caller. */
    public void record(AuditEvent event) {
        try {
            store.inTransaction(tx -> {
                tx.insertAuditEvent(event);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.error("Could not record the audit event {} {} by {}: {}", event.action(), event.target(),
                    event.actor(), e.toString());
        }
    }

    /** Records the outcome of a call whose event was written with its change ({@link CallAudit}). */
    public void endCall(java.util.UUID eventId, String result, Integer status, String errorCode) {
        try {
            store.inTransaction(tx -> {
                tx.endAuditEvent(eventId, result, status, errorCode);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.error("Could not record the outcome of the audit event {}: {}", eventId, e.toString());
        }
    }

    /**
     * Events, newest first. {@code workspace} null asks for every event, which only administrators may.
     *
     * @throws ApiException 403 without the right to read them, 400 for a limit or skip out of range
     */
    public List<AuditEvent> events(User caller, Workspace workspace, AuditFilter filter) {
        if (filter.limit() < 1 || filter.limit() > AuditFilter.MAX_LIMIT) {
            throw ApiException.badRequest("InvalidTop", "top must be 1 to " + AuditFilter.MAX_LIMIT + "; got "
                    + filter.limit() + ".", "top");
        }
        if (filter.skip() < 0 || filter.skip() > AuditFilter.MAX_SKIP) {
            throw ApiException.badRequest("InvalidSkip", "skip must be 0 to " + AuditFilter.MAX_SKIP + "; got "
                    + filter.skip() + ".", "skip");
        }
        if (filter.since() != null && filter.until() != null && filter.until().isBefore(filter.since())) {
            throw ApiException.badRequest("InvalidTimeRange", "until (" + filter.until() + ") is before since ("
                    + filter.since() + ").", "until");
        }
        return store.read(tx -> {
            if (workspace == null) {
                access.requireAdmin(caller, Action.EVENTS_READ, "/");
            } else {
                access.require(access.grants(tx, caller, workspace.id()), Action.EVENTS_READ, workspace.armId());
            }
            return tx.auditEvents(filter);
        });
    }
}
