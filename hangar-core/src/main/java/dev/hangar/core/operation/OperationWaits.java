package dev.hangar.core.operation;

import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.InstanceState;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.store.Commits;
import dev.hangar.core.store.Store;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A long poll on an operation: the answer comes when the operation ends, when its compute's state changes (so that a
 * waiting client can show each state it passes through), or when the wait runs out, whichever is first. It wakes on
 * every commit of this process's store ({@link Commits}) and, to notice other writers too, looks again at least every
 * {@link #RECHECK}.
 */
public final class OperationWaits {
    /** The longest wait a caller may ask for. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(30);
    /** How often the store is read again when no commit of this process woke the wait. */
    static final Duration RECHECK = Duration.ofSeconds(1);

    private final Store store;
    private final Commits commits;
    private final AccessPolicy access;

    public OperationWaits(Store store, Commits commits, AccessPolicy access) {
        this.store = store;
        this.commits = commits;
        this.access = access;
    }

    /** The operation now; 404 when there is none, 403 unless the caller may read its workspace's computes. */
    public Operation now(User caller, UUID id) {
        return readAs(caller, id).operation();
    }

    /**
     * The operation once it ended, its compute's state changed, or {@code wait} (at most {@link #MAX_WAIT}) passed.
     * An interrupted wait answers with what is recorded then.
     *
     * @throws ApiException 404 when there is no such operation, 403 when the caller may not read its workspace's
     *                      computes
     */
    public Operation await(User caller, UUID id, Duration wait) {
        var deadline = System.nanoTime() + clamp(wait).toNanos();
        var seen = commits.count();
        var first = readAs(caller, id);
        var current = first;
        while (!current.operation().status().isTerminal()) {
            var left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                commits.awaitAfter(seen, Math.min(left, RECHECK.toNanos()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            seen = commits.count();
            current = read(id);
            if (!Objects.equals(current.state(), first.state())) {
                break;
            }
        }
        return current.operation();
    }

    /** The operation and its compute's state, after checking that the caller may read its workspace's computes. */
    private Reading readAs(User caller, UUID id) {
        return store.read(tx -> {
            var reading = read(tx, id);
            access.require(access.grants(tx, caller, reading.operation().workspaceId()), Action.READ,
                    "operation " + id + " of compute " + reading.operation().computeName());
            return reading;
        });
    }

    private Reading read(UUID id) {
        return store.read(tx -> read(tx, id));
    }

    private static Reading read(dev.hangar.core.store.Transaction tx, UUID id) {
        var operation = tx.operation(id).orElseThrow(() -> notFound(id));
        return new Reading(operation, tx.compute(operation.computeId()).map(ComputeInstance::state));
    }

    private static ApiException notFound(UUID id) {
        return ApiException.notFound("Operation '" + id + "' was not found.");
    }

    /** {@code wait}, within zero and {@link #MAX_WAIT}. */
    public static Duration clamp(Duration wait) {
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
    }

    /** An operation and its compute's state (empty once the compute is gone), read together. */
    private record Reading(Operation operation, Optional<InstanceState> state) {
    }
}
