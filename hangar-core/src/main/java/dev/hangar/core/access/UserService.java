package dev.hangar.core.access;

import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.store.ConcurrentUpdateException;
import dev.hangar.core.store.Store;
import dev.hangar.core.workspace.Workspace;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Users and their API tokens: sign-in by token, and creation by admins. */
public final class UserService {
    /** How long a token made without an expiry works. */
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofDays(90);
    /** The longest a token may work. */
    public static final Duration MAX_TOKEN_LIFETIME = Duration.ofDays(3 * 365);
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._@-]{0,63}");

    private final Store store;
    private final AccessPolicy access;
    private final Clock clock;
    private final String tenantId;

    public UserService(Store store, AccessPolicy access, Clock clock, String tenantId) {
        this.store = store;
        this.access = access;
        this.clock = clock;
        this.tenantId = tenantId;
    }

    /** A signed-in caller and the token they used. */
    public record Credential(User user, ApiToken token) {
    }

    /**
     * The user a token secret belongs to; 401 {@code AuthenticationFailed} when it belongs to nobody,
     * {@code TokenExpired} or {@code TokenRevoked} when it no longer works.
     */
    public Credential authenticate(String secret) {
        if (secret == null || secret.isBlank()) {
            throw ApiException.unauthorized("No credential was given. Send 'Authorization: Bearer <token>'.");
        }
        var hash = Tokens.hash(secret.strip());
        var found = store.read(tx -> tx.findToken(hash).flatMap(token -> tx.user(token.userId())
                .map(user -> new Credential(user, token))))
                .orElseThrow(() -> ApiException.unauthorized("The token is not valid."));
        switch (found.token().state(clock.instant())) {
            case Expired -> throw ApiException.unauthorized("TokenExpired", "The token '" + found.token().name()
                    + "' expired at " + found.token().expiresOn() + "; make a new one.");
            case Revoked -> throw ApiException.unauthorized("TokenRevoked", "The token '" + found.token().name()
                    + "' was revoked at " + found.token().revokedOn() + ".");
            case Active -> { }
        }
        return found;
    }

    /** A new token and its secret, which is shown this once. */
    public record NewToken(ApiToken token, String secret) {
    }

    /**
     * A new token for the caller, or (administrators) for the user named {@code userName}.
     *
     * @param expiresOn when it stops working: after now and at most {@link #MAX_TOKEN_LIFETIME} ahead; null:
     *                  {@link #DEFAULT_TOKEN_LIFETIME} from now
     */
    public NewToken createToken(User caller, String userName, String name, Instant expiresOn) {
        if (name == null || name.isBlank() || name.length() > 64 || name.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badRequest("InvalidTokenName", "A token needs a name of 1 to 64 characters, e.g."
                    + " 'laptop' or 'ci'; got '" + name + "'.", "name");
        }
        var now = clock.instant();
        var expires = expiresOn == null ? now.plus(DEFAULT_TOKEN_LIFETIME) : expiresOn;
        if (!expires.isAfter(now) || expires.isAfter(now.plus(MAX_TOKEN_LIFETIME))) {
            throw ApiException.badRequest("InvalidTokenExpiry", "A token must expire after now and at most "
                    + MAX_TOKEN_LIFETIME.toDays() + " days ahead; got " + expires + ".", "expiresOn");
        }
        return store.inTransaction(tx -> {
            var owner = owner(tx, caller, userName);
            var secret = Tokens.newSecret();
            var token = new ApiToken(UUID.randomUUID(), owner.id(), name.strip(), Tokens.hash(secret), now, expires,
                    null);
            tx.insertToken(token);
            return new NewToken(token, secret);
        });
    }

    /** The caller's tokens, or (administrators) those of the user named {@code userName}. Never their secrets. */
    public List<ApiToken> tokens(User caller, String userName) {
        return store.read(tx -> tx.tokens(owner(tx, caller, userName).id()));
    }

    /**
     * Revokes one of the caller's tokens (administrators: anyone's); it stops working at once. Empty when there is no
     * such token the caller may see.
     */
    public Optional<ApiToken> revokeToken(User caller, UUID id) {
        return store.inTransaction(tx -> {
            var token = tx.token(id).filter(found -> caller.admin() || found.userId().equals(caller.id()));
            if (token.isEmpty()) {
                return Optional.<ApiToken>empty();
            }
            if (token.get().revokedOn() != null) {
                return token;
            }
            var now = clock.instant();
            tx.revokeToken(id, now);
            return Optional.of(token.get().revoked(now));
        });
    }

    /**
     * Revokes the token whose secret this is, as a browser's sign-out ends its session; it stops working at once.
     * Empty when the secret is no token's.
     */
    public Optional<ApiToken> revokeSecret(String secret) {
        if (secret == null || secret.isBlank()) {
            return Optional.empty();
        }
        var hash = Tokens.hash(secret.strip());
        return store.inTransaction(tx -> tx.findToken(hash).map(token -> {
            if (token.revokedOn() != null) {
                return token;
            }
            var now = clock.instant();
            tx.revokeToken(token.id(), now);
            return token.revoked(now);
        }));
    }

    /** Whose tokens a call is about: the caller's own, or another user's for administrators. */
    private User owner(dev.hangar.core.store.Transaction tx, User caller, String userName) {
        if (userName == null || userName.equalsIgnoreCase(caller.name())) {
            return caller;
        }
        access.requireAdmin(caller, Action.USER_WRITE, "/hangar/users/" + userName + "/tokens");
        return tx.findUser(userName).orElseThrow(() -> ApiException.badRequest(ErrorCodes.PRINCIPAL_NOT_FOUND,
                "No user is named '" + userName + "'.", "user"));
    }

    /**
     * The users of this server, for a caller with a role in some workspace (who may need to name a user, e.g. to
     * assign an instance): 403 for one with none, who has no business with anyone's name or id.
     */
    public List<User> list(User caller) {
        return store.read(tx -> {
            if (!caller.admin() && tx.allWorkspaces().stream()
                    .allMatch(workspace -> tx.roleAssignments(workspace.id(), caller.id()).isEmpty())) {
                throw ApiException.forbidden(ErrorCodes.AUTHORIZATION_FAILED, "The client '" + caller.name()
                        + "' with object id '" + caller.id() + "' has no role in any workspace, so may not list"
                        + " the users of this server.");
            }
            return tx.users();
        });
    }

    /**
     * A new user and its first token; the secret is returned here only. With {@code role} (a role's name, built-in or
     * custom), the user gets that role in {@code workspace} in the same transaction.
     */
    public Created create(User caller, String name, boolean admin, String role, Workspace workspace) {
        requireCreate(caller);
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest("InvalidUserName", "User name '" + name + "' is invalid: use 1 to 64"
                    + " letters, digits, dots, hyphens, underscores and @.", "name");
        }
        try {
            return store.inTransaction(tx -> {
                if (tx.findUser(name).isPresent()) {
                    throw ApiException.conflict("UserExists", "A user named '" + name + "' already exists.");
                }
                var created = insert(tx, name, admin);
                if (role != null) {
                    var definition = RoleService.byName(tx, role)
                            .orElseThrow(() -> ApiException.badRequest(ErrorCodes.ROLE_DEFINITION_NOT_FOUND,
                                    "No role named '" + role + "' exists; the built-in roles are Owner, Contributor"
                                            + " and Reader.", "role"));
                    tx.insertRoleAssignment(new RoleAssignment(UUID.randomUUID(), workspace.id(),
                            created.user().id(), definition.id(), clock.instant(), caller.name()));
                }
                return created;
            });
        } catch (ConcurrentUpdateException e) {
            throw ApiException.conflict("UserExists", "A user named '" + name + "' already exists.");
        }
    }

    /** Refuses anyone but an administrator the making of users; {@link #create} checks it too. */
    public void requireCreate(User caller) {
        access.requireAdmin(caller, Action.USER_WRITE, "/hangar/users");
    }

    /** Creates the first admin on first start; empty when one exists already (its token is never shown again). */
    public Optional<Created> bootstrapAdmin(String name) {
        return store.inTransaction(tx -> tx.users().stream().anyMatch(User::admin)
                ? Optional.<Created>empty() : Optional.of(insert(tx, name, true)));
    }

    private Created insert(dev.hangar.core.store.Transaction tx, String name, boolean admin) {
        var now = clock.instant();
        var user = new User(UUID.randomUUID(), name, tenantId, admin, now);
        tx.insertUser(user);
        var secret = Tokens.newSecret();
        // The first token does not expire: an administrator's must not lock them out. Later ones do.
        tx.insertToken(new ApiToken(UUID.randomUUID(), user.id(), "initial", Tokens.hash(secret), now, null, null));
        return new Created(user, secret);
    }

    /**
     * The user an OpenID Connect issuer vouches for: the one its subject was linked to; else, on the subject's first
     * sign-in, the user named {@code name} when none of the issuer's subjects claimed that user before (so that
     * administrators may make users, and give them roles, before they first sign in); else a new user of that name,
     * with no role. The issuer is trusted to say who its subjects are.
     *
     * @throws ApiException 401 {@code IdentityNameTaken} when another subject of the issuer has the user of that name
     */
    public User signInWith(String issuer, String subject, String name, String tenant) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.unauthorized("InvalidAuthenticationToken", "The token's user name '" + name + "' is"
                    + " not a valid Hangar user name (1 to 64 letters, digits, dots, hyphens, underscores and @).");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return store.inTransaction(tx -> {
                    var linked = tx.userOfIdentity(issuer, subject);
                    if (linked.isPresent()) {
                        return linked.get();
                    }
                    var now = clock.instant();
                    var user = tx.findUser(name).orElse(null);
                    if (user != null && tx.hasIdentity(user.id(), issuer)) {
                        throw ApiException.unauthorized("IdentityNameTaken", "User '" + name + "' signs in as"
                                + " another account of " + issuer + "; ask an administrator.");
                    }
                    if (user == null) {
                        user = new User(UUID.randomUUID(), name, tenant != null ? tenant : tenantId, false, now);
                        tx.insertUser(user);
                    }
                    tx.insertIdentity(issuer, subject, user.id(), now);
                    return user;
                });
            } catch (ConcurrentUpdateException e) {
                // A first sign-in of the same subject (or name) ran at once: the second attempt finds its link.
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** A created user and the secret of its first token. */
    public record Created(User user, String token) {
    }
}
