package dev.hangar.store;

import dev.hangar.core.store.ConcurrentUpdateException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

/** Recognises the SQL failures that mean "a concurrent writer got there first". */
final class SqlErrors {
    private static final String UNIQUE_VIOLATION = "23505";

    /**
     * Serialization failure or deadlock (40001; PostgreSQL reports deadlocks as 40P01), and H2's lock timeout (HYT00)
     * and "concurrent update" (90131), which is how H2 reports a row lock lost to another transaction.
     */
    private static final Set<String> CONCURRENCY_STATES = Set.of("40001", "40P01", "HYT00", "90131");

    private SqlErrors() {
    }

    /** The {@link ConcurrentUpdateException} that {@code failure} stands for, if it stands for one. */
    static Optional<ConcurrentUpdateException> asConcurrentUpdate(Throwable failure) {
        for (var cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConcurrentUpdateException concurrent) {
                return Optional.of(concurrent);
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                if (UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                    return Optional.of(new ConcurrentUpdateException(
                            "A concurrent writer took a unique key: " + sql.getMessage(), failure));
                }
                if (CONCURRENCY_STATES.contains(sql.getSQLState())) {
                    return Optional.of(new ConcurrentUpdateException(
                            "A concurrent transaction changed the same rows: " + sql.getMessage(), failure));
                }
            }
        }
        return Optional.empty();
    }
}
