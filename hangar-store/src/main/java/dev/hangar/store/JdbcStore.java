package dev.hangar.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.hangar.core.job.Job;
import dev.hangar.core.operation.Operation;
import dev.hangar.core.secret.SecretBox;
import dev.hangar.core.store.Store;
import dev.hangar.core.store.Transaction;
import dev.hangar.store.migration.V20__JobCreatorIds;
import dev.hangar.store.migration.V3__ExistingUsersBecomeContributors;
import dev.hangar.store.migration.V7__VmSizesAndReservedCores;
import dev.hangar.store.migration.V9__ComputeUserIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Store} on a JDBC database: H2 embedded or PostgreSQL, with the same schema, migrated on open.
 *
 * <p>Transactions run at READ COMMITTED; consistency comes from conditional writes (a version column, an InProgress
 * status) and unique keys, whose violations surface as {@link dev.hangar.core.store.ConcurrentUpdateException}.
 * Instants are kept to the microsecond: a value written with nanoseconds reads back truncated to microseconds.
 */
public final class JdbcStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final SecretBox secrets;
    private final List<Consumer<Operation>> endListeners = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<Job, Instant>> runningListeners = new CopyOnWriteArrayList<>();

    private JdbcStore(HikariDataSource dataSource, SecretBox secrets) {
        this.dataSource = dataSource;
        this.secrets = secrets;
        this.jdbi = Jdbi.create(dataSource);
        jdbi.registerArgument(new Columns.InstantArgumentFactory());
        jdbi.registerArgument(new Columns.UuidArgumentFactory());
    }

    /**
     * Connects to the database {@code config} names, brings its schema up to date and returns the store. Secrets in
     * it (the headers that open an instance's apps) are sealed with {@code secrets}; when {@code secrets} replaces the
     * key they were sealed with, they are sealed again with its own ({@link SecretsKeyCheck}).
     *
     * @throws org.flywaydb.core.api.FlywayException when the schema cannot be migrated (the pool is closed again)
     * @throws IllegalStateException when {@code secrets} does not open the secrets the database holds
     */
    public static JdbcStore open(StoreConfig config, SecretBox secrets) {
        var dataSource = new HikariDataSource(poolConfig(config));
        try {
            Flyway.configure().dataSource(dataSource)
                    .javaMigrations(new V3__ExistingUsersBecomeContributors(), new V7__VmSizesAndReservedCores(),
                            new V9__ComputeUserIds(), new V20__JobCreatorIds()).load().migrate();
            var store = new JdbcStore(dataSource, secrets);
            store.jdbi.useTransaction(handle -> SecretsKeyCheck.verify(handle, secrets));
            return store;
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    private static HikariConfig poolConfig(StoreConfig config) {
        var pool = new HikariConfig();
        pool.setPoolName("hangar-store");
        pool.setJdbcUrl(config.jdbcUrl());
        pool.setUsername(config.username());
        pool.setPassword(config.password());
        pool.setMaximumPoolSize(config.maximumPoolSize());
        pool.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        return pool;
    }

    @Override
    public <T> T inTransaction(Function<Transaction, T> work) {
        return run(work, false);
    }

    @Override
    public <T> T read(Function<Transaction, T> work) {
        return run(work, true);
    }

    /**
     * Has {@code listener} told of each operation a transaction ended ({@link Transaction#endOperation}), once that
     * transaction committed, on the committing thread; never of one whose transaction rolled back.
     */
    public void onOperationEnded(Consumer<Operation> listener) {
        endListeners.add(listener);
    }

    /**
     * Has {@code listener} told of each job a transaction moved to Running (the job as written, and when it began to
     * run), once that transaction committed, on the committing thread.
     */
    public void onJobRunning(BiConsumer<Job, Instant> listener) {
        runningListeners.add(listener);
    }

    private <T> T run(Function<Transaction, T> work, boolean readOnly) {
        var ended = new ArrayList<Operation>();
        var started = new ArrayList<JdbcTransaction.JobStart>();
        T committed;
        try (Handle handle = jdbi.open()) {
            // Hikari restores the connection's read-only flag when the handle gives it back.
            handle.setReadOnly(readOnly);
            committed = handle.inTransaction(h -> {
                var transaction = new JdbcTransaction(h, readOnly, secrets);
                T result = work.apply(transaction);
                // The work caught a failure and carried on: the transaction is still doomed.
                var failure = transaction.failure();
                if (failure.isPresent()) {
                    throw failure.get();
                }
                ended.addAll(transaction.endedOperations());
                started.addAll(transaction.startedJobs());
                return result;
            });
        } catch (JdbiException e) {
            // A commit can still lose to a concurrent writer; everything else passes through as it is.
            throw SqlErrors.asConcurrentUpdate(e).orElseThrow(() -> e);
        }
        ended.forEach(operation -> endListeners.forEach(listener -> tell(() -> listener.accept(operation))));
        started.forEach(start -> runningListeners.forEach(listener -> tell(() -> listener.accept(start.job(),
                start.at()))));
        return committed;
    }

    /** What was committed stays committed: a listener's failure is its own. */
    private static void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("A listener of committed changes failed", e);
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
