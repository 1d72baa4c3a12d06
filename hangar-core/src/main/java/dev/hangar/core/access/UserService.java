package dev.hangar.core.access;

import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.store.ConcurrentUpdateException;
import dev.hangar.core.store.Store;
import dev.hangar.core.workspace.Workspace;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Users and their API tokens: sign-in by token, and creation by admins. */
public final class UserService {
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

    /** The user a token secret belongs to, or 401 when it belongs to nobody. */
    public User authenticate(String secret) {
        if (secret == null || secret.isBlank()) {
            throw ApiException.unauthorized("No credential was given. Send 'Authorization: Bearer <token>'.");
        }
        var hash = Tokens.hash(secret.strip());
        return store.read(tx -> tx.findToken(hash).flatMap(token -> tx.user(token.userId())))
                .orElseThrow(() -> ApiException.unauthorized("The token is not valid."));
    }

    public List<User> list() {
        return store.read(tx -> tx.users());
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
                    var definition = RoleDefinition.BUILT_IN.stream()
                            .filter(candidate -> candidate.name().equalsIgnoreCase(role)).findFirst()
                            .or(() -> tx.findRoleDefinition(role))
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
        tx.insertToken(new ApiToken(UUID.randomUUID(), user.id(), "initial", Tokens.hash(secret), now));
        return new Created(user, secret);
    }

    /** A created user and the secret of its first token. */
    public record Created(User user, String token) {
    }
}
