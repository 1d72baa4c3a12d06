package dev.hangar.core.store;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Counts the write transactions a {@link Store} committed and lets a thread wait for the next one, so that a long poll
 * (an operation's status asked with {@code Prefer: wait}) answers the moment the reconciler records an outcome, instead
 * of the client asking again and again.
 *
 * <p>Only commits made through {@link #observing} in this process are seen. That is every commit of a server that owns
 * its database; a waiter that must also notice other writers re-reads on a timer of its own.
 */
public final class Commits {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition committed = lock.newCondition();
    // Written under the lock; read without it, so that a hot path (the app gateway) never waits on it.
    private volatile long count;

    /** {@code store}, counting each {@link Store#inTransaction} that returns; {@link Store#read} is not counted. */
    public Store observing(Store store) {
        return new Store() {
            @Override
            public <T> T inTransaction(Function<Transaction, T> work) {
                var result = store.inTransaction(work);
                signal();
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
        };
    }

    /**
     * How many commits have been counted so far; pass it to {@link #awaitAfter}, or compare it with a later count to
     * learn whether anything was committed in between. Never blocks.
     */
    public long count() {
        return count;
    }

    /**
     * Waits until a commit after the one {@code seen} was counted (returning at once if one already was), or until
     * {@code timeoutNanos} pass.
     *
     * @return whether a commit came
     */
    public boolean awaitAfter(long seen, long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            var left = timeoutNanos;
            while (count <= seen) {
                if (left <= 0) {
                    return false;
                }
                left = committed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        lock.lock();
        try {
            count++;
            committed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
