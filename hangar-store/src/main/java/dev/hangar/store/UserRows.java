package dev.hangar.store;

import dev.hangar.core.access.ApiToken;
import dev.hangar.core.access.User;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** The users and api_tokens tables. */
final class UserRows {
    private static final String USER_COLUMNS = "id, name, tenant_id, admin, created_on";

    private static final RowMapper<User> USER = (rs, ctx) -> new User(
            Columns.uuid(rs, "id"),
            rs.getString("name"),
            rs.getString("tenant_id"),
            rs.getBoolean("admin"),
            Columns.instant(rs, "created_on"));

    private static final RowMapper<ApiToken> TOKEN = (rs, ctx) -> new ApiToken(
            Columns.uuid(rs, "id"),
            Columns.uuid(rs, "user_id"),
            rs.getString("name"),
            rs.getString("secret_hash"),
            Columns.instant(rs, "created_on"),
            Columns.instant(rs, "expires_on"),
            Columns.instant(rs, "revoked_on"));
    private static final String TOKEN_COLUMNS = "id, user_id, name, secret_hash, created_on, expires_on, revoked_on";

    private final Handle handle;

    UserRows(Handle handle) {
        this.handle = handle;
    }

    void insert(User user) {
        handle.createUpdate("INSERT INTO users (" + USER_COLUMNS + ", name_key) VALUES (:id, :name, :tenantId, :admin,"
                        + " :createdOn, :nameKey)")
                .bind("id", user.id())
                .bind("name", user.name())
                .bind("tenantId", user.tenantId())
                .bind("admin", user.admin())
                .bind("createdOn", user.createdOn())
                .bind("nameKey", Columns.key(user.name()))
                .execute();
    }

    Optional<User> byId(UUID id) {
        return handle.createQuery("SELECT " + USER_COLUMNS + " FROM users WHERE id = :id")
                .bind("id", id)
                .map(USER)
                .findOne();
    }

    Optional<User> ofIdentity(String issuer, String subject) {
        return handle.createQuery("SELECT u.id, u.name, u.tenant_id, u.admin, u.created_on FROM user_identities i"
                        + " JOIN users u ON u.id = i.user_id WHERE i.issuer = :issuer AND i.subject = :subject")
                .bind("issuer", issuer)
                .bind("subject", subject)
                .map(USER)
                .findOne();
    }

    boolean hasIdentity(java.util.UUID userId, String issuer) {
        return handle.createQuery("SELECT COUNT(*) FROM user_identities WHERE user_id = :userId AND issuer = :issuer")
                .bind("userId", userId)
                .bind("issuer", issuer)
                .mapTo(Integer.class).one() > 0;
    }

    void insertIdentity(String issuer, String subject, java.util.UUID userId, java.time.Instant at) {
        handle.createUpdate("INSERT INTO user_identities (issuer, subject, user_id, created_on) VALUES (:issuer,"
                        + " :subject, :userId, :at)")
                .bind("issuer", issuer)
                .bind("subject", subject)
                .bind("userId", userId)
                .bind("at", at)
                .execute();
    }

    Optional<User> find(String name) {
        return handle.createQuery("SELECT " + USER_COLUMNS + " FROM users WHERE name_key = :nameKey")
                .bind("nameKey", Columns.key(name))
                .map(USER)
                .findOne();
    }

    List<User> all() {
        return handle.createQuery("SELECT " + USER_COLUMNS + " FROM users ORDER BY name_key")
                .map(USER)
                .list();
    }

    void insertToken(ApiToken token) {
        handle.createUpdate("INSERT INTO api_tokens (" + TOKEN_COLUMNS + ") VALUES (:id, :userId, :name, :secretHash,"
                        + " :createdOn, :expiresOn, :revokedOn)")
                .bind("id", token.id())
                .bind("userId", token.userId())
                .bind("name", token.name())
                .bind("secretHash", token.secretHash())
                .bind("createdOn", token.createdOn())
                .bind("expiresOn", token.expiresOn())
                .bind("revokedOn", token.revokedOn())
                .execute();
    }

    Optional<ApiToken> findToken(String secretHash) {
        return handle.createQuery("SELECT " + TOKEN_COLUMNS + " FROM api_tokens WHERE secret_hash = :secretHash")
                .bind("secretHash", secretHash)
                .map(TOKEN)
                .findOne();
    }

    Optional<ApiToken> token(UUID id) {
        return handle.createQuery("SELECT " + TOKEN_COLUMNS + " FROM api_tokens WHERE id = :id")
                .bind("id", id).map(TOKEN).findOne();
    }

    List<ApiToken> tokens(UUID userId) {
        return handle.createQuery("SELECT " + TOKEN_COLUMNS + " FROM api_tokens WHERE user_id = :userId"
                        + " ORDER BY created_on, id")
                .bind("userId", userId).map(TOKEN).list();
    }

    void revokeToken(UUID id, java.time.Instant at) {
        handle.createUpdate("UPDATE api_tokens SET revoked_on = :at WHERE id = :id AND revoked_on IS NULL")
                .bind("id", id).bind("at", at).execute();
    }
}
