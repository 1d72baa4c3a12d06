package dev.hangar.core.job;

import dev.hangar.core.store.ConcurrentUpdateException;
import dev.hangar.core.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * How the runners record a job's moves: each change is applied to the job as stored, and every move it makes is
 * appended to the job's history with its reason, in one transaction; a job changed meanwhile (a cancel) gets the
 * changes applied to what it is now.
 */
public final class JobMoves {
    private static final int ATTEMPTS = 5;

    private final Store store;
    private final Clock clock;

    public JobMoves(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * One move of a job: the change, why, and when it happened (null: when it is recorded). A change that leaves the
     * status as it is records nothing.
     */
    public record Step(UnaryOperator<Job> change, String reason, Instant at) {
    }

    /** Applies {@code change} to the stored job and records the move; null when the job is gone. */
    public Job move(UUID id, UnaryOperator<Job> change, String reason) {
        return move(id, List.of(new Step(change, reason, null)));
    }

    /** Applies the steps one after the other and records each move, all in one transaction; null when the job is gone. */
    public Job move(UUID id, List<Step> steps) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return store.inTransaction(tx -> {
                    var current = tx.job(id).orElse(null);
                    if (current == null) {
                        return null;
                    }
                    var next = current;
                    var moves = new ArrayList<JobTransition>();
                    for (var step : steps) {
                        var moved = step.change().apply(next);
                        if (moved.status() != next.status()) {
                            moves.add(new JobTransition(id, step.at() == null ? clock.instant() : step.at(),
                                    next.status(), moved.status(), step.reason()));
                        }
                        next = moved;
                    }
                    if (moves.isEmpty()) {
                        return current;
                    }
                    var updated = tx.updateJob(next);
                    moves.forEach(tx::appendJobTransition);
                    return updated;
                });
            } catch (ConcurrentUpdateException e) {
                // Changed meanwhile (a cancel): apply the change to what it is now.
            }
        }
        throw new IllegalStateException("Job " + id + " kept changing");
    }
}
