package dev.hangar.server;

import dev.hangar.core.store.Store;
import dev.hangar.server.config.ServerConfig;
import dev.hangar.store.JdbcStore;
import dev.hangar.store.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The data directory and the database in it (H2 by default, PostgreSQL when a JDBC URL is configured). */
final class Storage {
    private Storage() {
    }

    static Path prepare(Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory);
            return dataDirectory.toRealPath();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot use the data directory " + dataDirectory + ": " + e, e);
        }
    }

    static Store openStore(ServerConfig config, Path data) {
        var db = config.database();
        if (db.url() == null) {
            var embedded = StoreConfig.embedded(data.resolve("db"));
            return JdbcStore.open(new StoreConfig(embedded.jdbcUrl(), embedded.username(), embedded.password(),
                    db.maximumPoolSize()));
        }
        return JdbcStore.open(new StoreConfig(db.url(), db.username(), db.password(), db.maximumPoolSize()));
    }
}
