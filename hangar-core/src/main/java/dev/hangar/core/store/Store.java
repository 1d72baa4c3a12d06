package dev.hangar.core.store;

import java.util.function.Function;

/**
 * The persistence port. All reads and writes happen inside a transaction; a unit of work either commits whole or
 * leaves nothing behind.
 *
 * <p>Thread-safe: every call runs in its own transaction on its own connection. Implementations may block (JDBC), so
 * call them from virtual threads, never from an event loop.
 */
public interface Store extends AutoCloseable {

    /**
     * Runs {@code work} in one transaction and commits it. Any exception rolls the whole transaction back and is
     * rethrown; a lost conditional write surfaces as {@link ConcurrentUpdateException}.
     */
    <T> T inTransaction(Function<Transaction, T> work);

    /** Runs read-only {@code work}; implementations may use a cheaper transaction for it. */
    default <T> T read(Function<Transaction, T> work) {
        return inTransaction(work);
    }

    @Override
    void close();
}
