package dev.hangar.server;

import dev.hangar.core.secret.SecretBox;
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

    /**
     * A folder only Hangar's account may enter: the data directory is passable by others (search, not list) when the
     * host backend runs instances as accounts of their own, which must reach their homes in it.
     */
    private static Path privateFolder(Path folder) {
        try {
            Files.createDirectories(folder);
            Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            return folder;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot make " + folder + " private: " + e, e);
        }
    }

    /**
     * The store, its secrets sealed with the operator's key ({@code secrets.key-file}) or else the key in
     * {@code <data>/secrets/store.key} (made on first start): a copy of the database, or a PostgreSQL server's
     * backups, hold no secret without the key. Keys named in {@code secrets.previous-key-files} still open what they
     * sealed, which the store seals again with the key.
     */
    static JdbcStore openStore(ServerConfig config, Path data) {
        var db = config.database();
        var keys = config.secrets();
        var secrets = (keys.keyFile() != null ? SecretBox.read(keys.keyFile())
                : SecretBox.load(data.resolve("secrets").resolve("store.key")))
                .replacing(keys.previousKeyFiles().stream().map(SecretBox::read).toList());
        if (db.url() == null) {
            var embedded = StoreConfig.embedded(privateFolder(data.resolve("db")));
            return JdbcStore.open(new StoreConfig(embedded.jdbcUrl(), embedded.username(), embedded.password(),
                    db.maximumPoolSize()), secrets);
        }
        return JdbcStore.open(new StoreConfig(db.url(), db.username(), db.password(), db.maximumPoolSize()), secrets);
    }
}
