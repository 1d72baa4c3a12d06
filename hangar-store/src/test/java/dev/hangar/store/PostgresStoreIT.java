package dev.hangar.store;

import dev.hangar.testkit.postgres.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store contract on a real PostgreSQL: one throwaway server for the class, a new database for each test. */
class PostgresStoreIT extends StoreContractTest {
    private static PostgresServer postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected StoreConfig freshDatabase() {
        return new StoreConfig(postgres.createDatabase(), postgres.username(), postgres.password());
    }
}
