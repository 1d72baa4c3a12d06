package dev.hangar.server.http;

import dev.hangar.core.access.Tokens;
import dev.hangar.core.access.User;
import dev.hangar.core.access.UserService;
import dev.hangar.core.error.ApiException;
import dev.hangar.server.oidc.OidcProvider;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the caller of a request: {@code Authorization: Bearer <token>}, or for browsers the session cookie set by the
 * sign-in page. The token is a Hangar API token, or, when an OpenID Connect provider is configured, a JWT it signed
 * (mapped to a Hangar user by {@link UserService#signInWith}). Known tokens are remembered for a few seconds so that
 * hot GETs do not hit the database or the provider for each call. Call from virtual threads: a cache miss reads the
 * store.
 */
public final class Authentication {
    public static final String SESSION_COOKIE = "hangar_session";
    private static final Duration REMEMBER = Duration.ofSeconds(10);

    private final UserService users;
    private final OidcProvider oidc;
    private final Clock clock;
    private final BrowserSession browser;
    private final Map<String, Remembered> cache = new ConcurrentHashMap<>();

    /**
     * @param oidc    the OpenID Connect provider whose JWTs sign in, or null for API tokens only
     * @param browser what a call made with the session cookie must show
     */
    public Authentication(UserService users, OidcProvider oidc, Clock clock, BrowserSession browser) {
        this.users = users;
        this.oidc = oidc;
        this.clock = clock;
        this.browser = browser;
    }

    /** Whether the request's {@code Origin} is a page of this server ({@link BrowserSession#sameOrigin}). */
    public boolean sameOrigin(RoutingContext ctx) {
        return browser.sameOrigin(ctx);
    }

    /**
     * The caller, or 401 {@code AuthenticationFailed}; 403 {@code CrossOriginRefused} for a change authorized by the
     * session cookie that another site's page may have made ({@link BrowserSession}).
     */
    public User require(RoutingContext ctx) {
        return require(ctx, true);
    }

    /**
     * As {@link #require}, for the app gateway: a change or WebSocket made with the session cookie must come from a
     * page of this server, whatever body the app takes.
     */
    public User requireForApp(RoutingContext ctx) {
        return require(ctx, false);
    }

    /**
     * As {@link #require}, for the studio's forms: a change made with the session cookie must come from a page of this
     * server, and may be a form.
     */
    public User requireForPage(RoutingContext ctx) {
        return require(ctx, false);
    }

    /** Forgets one token looked up, so that its revocation holds at once rather than after {@link #REMEMBER}. */
    public void forget(String secret) {
        if (secret != null) {
            cache.remove(Tokens.hash(secret.strip()));
        }
    }

    /**
     * As {@link #requireForApp}, but only from the credentials remembered lately: never reads the store or asks the
     * provider, so it may run on the event loop. Null when the request's credential is not remembered (then call
     * {@link #requireForApp} on a virtual thread); the same refusals as {@link #requireForApp} otherwise.
     */
    public User rememberedForApp(RoutingContext ctx) {
        var secret = secretOf(ctx);
        if (secret == null || secret.isBlank()) {
            return null;
        }
        var known = cache.get(Tokens.hash(secret.strip()));
        if (known == null || !known.until().isAfter(clock.instant())) {
            return null;
        }
        return checked(ctx, known.user(), false);
    }

    private User require(RoutingContext ctx, boolean apiBody) {
        return checked(ctx, authenticate(secretOf(ctx)), apiBody);
    }

    private User checked(RoutingContext ctx, User caller, boolean apiBody) {
        if (BrowserSession.bySessionCookie(ctx)) {
            browser.check(ctx, apiBody);
        }
        signedIn(ctx, caller);
        return caller;
    }

    /** Notes who made the request, for its audit event. */
    public static void signedIn(RoutingContext ctx, User caller) {
        ctx.put(AuditTrail.CALLER, caller);
    }

    public User authenticate(String secret) {
        if (secret == null || secret.isBlank()) {
            throw ApiException.unauthorized("No credential was given. Send 'Authorization: Bearer <token>'.");
        }
        var key = Tokens.hash(secret.strip());
        var now = clock.instant();
        var known = cache.get(key);
        if (known != null && known.until().isAfter(now)) {
            return known.user();
        }
        if (oidc != null && isJwt(secret)) {
            var identity = oidc.verify(secret, oidc.settings().audience());
            var user = users.signInWith(identity.issuer(), identity.subject(), identity.name(), identity.tenant());
            cache.put(key, new Remembered(user, until(now, identity.expiresAt())));
            return user;
        }
        var credential = users.authenticate(secret);
        cache.put(key, new Remembered(credential.user(), until(now, credential.token().expiresOn())));
        return credential.user();
    }

    /** How long a credential is remembered: {@link #REMEMBER}, or less when it expires sooner. */
    private static Instant until(Instant now, Instant expires) {
        return expires != null && expires.isBefore(now.plus(REMEMBER)) ? expires : now.plus(REMEMBER);
    }

    /** A compact JWS: three dot-separated parts, and not one of Hangar's own tokens. */
    private static boolean isJwt(String secret) {
        return !secret.startsWith(Tokens.PREFIX) && secret.chars().filter(c -> c == '.').count() == 2;
    }

    /** The token a request carries in its Authorization header or session cookie, or null. */
    public static String secretOf(RoutingContext ctx) {
        var header = ctx.request().getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).strip();
        }
        var cookie = ctx.request().getCookie(SESSION_COOKIE);
        return cookie == null ? null : cookie.getValue();
    }

    /** Forgets every token looked up, so that a revocation holds at once rather than after {@link #REMEMBER}. */
    public void forgetAll() {
        cache.clear();
    }

    private record Remembered(User user, Instant until) {
    }
}
