package dev.hangar.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the store keeps its data: an embedded H2 file database ({@link #embedded(Path)}) or a PostgreSQL server
 * ({@code jdbc:postgresql://host:port/db}).
 *
 * @param jdbcUrl a {@code jdbc:h2:} or {@code jdbc:postgresql:} URL
 * @param username the database user
 * @param password the password, empty when the server does not ask for one
 * @param maximumPoolSize how many connections the pool opens at most
 */
public record StoreConfig(String jdbcUrl, String username, String password, int maximumPoolSize) {

    public static final int DEFAULT_MAXIMUM_POOL_SIZE = 10;

    /** The user of the embedded database; H2 creates it with the database file. */
    public static final String EMBEDDED_USERNAME = "hangar";

    /**
     * H2 settings that make it read the same SQL as PostgreSQL: its PostgreSQL dialect, lower-case identifiers, and
     * NULLs sorted last as PostgreSQL sorts them.
     */
    static final String H2_POSTGRESQL_MODE = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    /**
     * H2 writes a commit to its file at once rather than within its default 500 ms: a control plane killed right
     * after it answered "accepted" must not forget the operation it accepted.
     */
    static final String H2_DURABLE_COMMITS = ";WRITE_DELAY=0";

    public StoreConfig {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "Store URL '" + jdbcUrl + "' is neither an H2 (jdbc:h2:) nor a PostgreSQL (jdbc:postgresql:) URL.");
        }
        if (maximumPoolSize < 1) {
            throw new IllegalArgumentException("maximumPoolSize must be at least 1, was " + maximumPoolSize);
        }
        username = username == null ? "" : username;
        password = password == null ? "" : password;
    }

    public StoreConfig(String jdbcUrl, String username, String password) {
        this(jdbcUrl, username, password, DEFAULT_MAXIMUM_POOL_SIZE);
    }

    /** The embedded default: an H2 database in the file {@code hangar.mv.db} inside {@code directory}. */
    public static StoreConfig embedded(Path directory) {
        var file = directory.toAbsolutePath().resolve("hangar");
        return new StoreConfig("jdbc:h2:file:" + file + H2_POSTGRESQL_MODE + H2_DURABLE_COMMITS, EMBEDDED_USERNAME, "");
    }

    @Override
    public String toString() {
        // Never print the password.
        return "StoreConfig[jdbcUrl=" + jdbcUrl + ", username=" + username + ", maximumPoolSize=" + maximumPoolSize
                + "]";
    }
}
