package dev.hangar.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;
import org.jdbi.v3.core.argument.AbstractArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;

/**
 * How values the drivers disagree on cross JDBC. Instants are written as UTC {@code OffsetDateTime}s, which H2 and
 * PostgreSQL both take for TIMESTAMP WITH TIME ZONE without consulting the JVM's default zone.
 *
 * <p>Both databases keep microseconds, Java instants have nanoseconds: every instant is truncated to microseconds
 * before it is written, so a value read back equals the value written once that value is {@link #truncate}d.
 */
final class Columns {

    private Columns() {
    }

    /**
     * The value of a {@code *_key} column: names are compared lower-cased in the root locale, computed here rather
     * than by SQL {@code lower()} so that both databases agree.
     */
    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The instant as the store keeps it. */
    static Instant truncate(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        var value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static UUID uuid(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, UUID.class);
    }

    static <E extends Enum<E>> E enumOf(Class<E> type, ResultSet rs, String column) throws SQLException {
        var name = rs.getString(column);
        return name == null ? null : Enum.valueOf(type, name);
    }

    /** Binds {@link Instant} parameters as UTC {@code OffsetDateTime}s truncated to microseconds. */
    static final class InstantArgumentFactory extends AbstractArgumentFactory<Instant> {
        InstantArgumentFactory() {
            super(Types.TIMESTAMP_WITH_TIMEZONE);
        }

        @Override
        protected Argument build(Instant value, ConfigRegistry config) {
            var utc = truncate(value).atOffset(ZoneOffset.UTC);
            return (position, statement, context) -> statement.setObject(position, utc);
        }
    }

    /**
     * Binds {@link UUID} parameters natively. Jdbi's own binding sends a null UUID as VARCHAR, which PostgreSQL
     * refuses for a uuid column; as OTHER the server infers the type.
     */
    static final class UuidArgumentFactory extends AbstractArgumentFactory<UUID> {
        UuidArgumentFactory() {
            super(Types.OTHER);
        }

        @Override
        protected Argument build(UUID value, ConfigRegistry config) {
            return (position, statement, context) -> statement.setObject(position, value);
        }
    }
}
