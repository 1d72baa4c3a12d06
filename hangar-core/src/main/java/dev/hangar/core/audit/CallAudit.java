package dev.hangar.core.audit;

import dev.hangar.core.store.Transaction;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * The audit event of the API call running on this thread, written by the first write transaction that commits during
 * the call ({@link CallAuditingStore}), in that transaction: a crash cannot keep a change and lose its record. The event
 * says {@code Accepted} until the call's answer is known; {@link AuditLog#endCall} then records its result and status.
 * A call that committed nothing (refused, or only read) has its event written after its answer, as before.
 *
 * <p>One call, one thread: the event's author sets it around the call's blocking work with {@link #during}.
 */
public final class CallAudit {
    private static final ThreadLocal<CallAudit> CURRENT = new ThreadLocal<>();

    private final Function<Transaction, AuditEvent> event;
    private UUID pending;
    private volatile UUID written;

    /** @param event the call's event, made in the transaction that writes it (which may look up its workspace) */
    public CallAudit(Function<Transaction, AuditEvent> event) {
        this.event = event;
    }

    /** Runs {@code work} with this call's event pending on this thread. */
    public <T> T during(Callable<T> work) throws Exception {
        var outer = CURRENT.get();
        CURRENT.set(this);
        try {
            return work.call();
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** The id of the event once a committed transaction holds it. */
    public Optional<UUID> written() {
        return Optional.ofNullable(written);
    }

    static CallAudit current() {
        return CURRENT.get();
    }

    boolean pendingWrite() {
        return written == null;
    }

    /** Inserts the event in {@code tx}; it counts as written once that transaction has committed. */
    void writeIn(Transaction tx) {
        var made = event.apply(tx);
        tx.insertAuditEvent(made);
        pending = made.id();
    }

    void committed() {
        written = pending;
    }
}
