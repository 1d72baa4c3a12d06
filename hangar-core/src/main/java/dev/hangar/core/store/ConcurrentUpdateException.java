package dev.hangar.core.store;

/**
 * A conditional write found the row changed since it was read (its version moved on, or a unique key was taken by a
 * concurrent writer). The transaction is rolled back; the caller decides whether to retry or to refuse.
 */
public final class ConcurrentUpdateException extends RuntimeException {
    public ConcurrentUpdateException(String message) {
        super(message);
    }

    public ConcurrentUpdateException(String message, Throwable cause) {
        super(message, cause);
    }
}
