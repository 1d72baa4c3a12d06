package dev.hangar.core.audit;

import dev.hangar.core.store.Store;
import dev.hangar.core.store.Transaction;
import java.util.function.Function;

/**
 * The store, with the pending {@link CallAudit} of the thread's API call written into the first write transaction
 * that commits during the call. Reads, and transactions outside any call (the control loops), pass through unchanged.
 */
public final class CallAuditingStore implements Store {
    private final Store store;

    public CallAuditingStore(Store store) {
        this.store = store;
    }

    @Override
    public <T> T inTransaction(Function<Transaction, T> work) {
        var call = CallAudit.current();
        if (call == null || !call.pendingWrite()) {
            return store.inTransaction(work);
        }
        T result = store.inTransaction(tx -> {
            T done = work.apply(tx);
            call.writeIn(tx);
            return done;
        });
        call.committed();
        return result;
    }

    @Override
    public <T> T read(Function<Transaction, T> work) {
        return store.read(work);
    }

    @Override
    public void close() {
        store.close();
    }
}
