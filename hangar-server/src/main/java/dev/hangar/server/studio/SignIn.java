package dev.hangar.server.studio;

import dev.hangar.core.access.User;
import dev.hangar.core.access.UserService;
import dev.hangar.core.error.ApiException;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Blocking;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import dev.hangar.server.oidc.OidcProvider;
import dev.hangar.server.oidc.OidcSignIn;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The browser's way in and out. Signing in with an API token starts a session of its own: a new token of the user's,
 * named {@value #SESSION_NAME}, kept in a secure, http-only, same-site cookie, so the token typed in is not kept by the
 * browser. The session lasts {@link #SESSION} in a cookie that ends with the browser, or {@link #REMEMBERED} in one
 * that survives its restart when "keep me signed in" is ticked; it is listed with the user's tokens and revoked like
 * them. Signing out revokes it and clears the cookie. After sign-in the browser returns to the page it asked for, only
 * ever a path on this server.
 */
public final class SignIn {
    public static final String PATH = "/signin";
    public static final String SIGN_OUT = "/signout";
    /** The name of the token a browser session is. */
    public static final String SESSION_NAME = "browser session";
    public static final Duration SESSION = Duration.ofHours(12);
    public static final Duration REMEMBERED = Duration.ofDays(30);
    static final int LONGEST_NEXT = 2048;

    private final Authentication authentication;
    private final UserService users;
    private final Pages pages;
    private final Clock clock;
    private final OidcProvider provider;

    /** @param provider the OpenID Connect provider offered as a way in, or null */
    public SignIn(Authentication authentication, UserService users, Pages pages, Clock clock, OidcProvider provider) {
        this.authentication = authentication;
        this.users = users;
        this.pages = pages;
        this.clock = clock;
        this.provider = provider != null && provider.settings().clientId() != null ? provider : null;
    }

    public void mount(RouteTable routes, Blocking blocking) {
        routes.path(HttpMethod.GET, PATH, PATH, Guard.ANYONE, null,
                blocking.handler(ctx -> page(200, null, next(ctx))));
        routes.path(HttpMethod.POST, PATH, PATH, Guard.ANYONE, null, blocking.handler(this::signIn));
        routes.path(HttpMethod.GET, SIGN_OUT, SIGN_OUT, Guard.ANYONE, null, blocking.handler(ctx -> pages.render(200,
                "signout.jte", Map.of("chrome", pages.signedOut("Sign out")))));
        routes.path(HttpMethod.POST, SIGN_OUT, SIGN_OUT, Guard.ANYONE, null, blocking.handler(this::signOut));
    }

    private Reply signIn(RoutingContext ctx) {
        // Signing a browser in from another site's page would sign it in as someone else (login forgery).
        if (ctx.request().getHeader("Origin") != null && !authentication.sameOrigin(ctx)) {
            return page(403, "Sign in from this server's own page.", next(ctx));
        }
        var form = ctx.request().formAttributes();
        var next = safeNext(form.get("next"));
        User user;
        try {
            user = authentication.authenticate(form.get("token"));
        } catch (ApiException e) {
            return page(401, e.getMessage(), next);
        }
        var remember = "yes".equals(form.get("remember"));
        Authentication.signedIn(ctx, user);
        return start(ctx, user, remember, next);
    }

    /**
     * Starts a browser session for {@code user}: a new session token in the cookie, then on to {@code next}. Also the
     * end of a sign-in with the OpenID Connect provider.
     */
    public Reply start(RoutingContext ctx, User user, boolean remember, String next) {
        var lifetime = remember ? REMEMBERED : SESSION;
        var session = users.createToken(user, null, SESSION_NAME, clock.instant().plus(lifetime));
        var cookie = Cookie.cookie(Authentication.SESSION_COOKIE, session.secret()).setPath("/").setHttpOnly(true)
                .setSecure(ctx.request().isSSL()).setSameSite(CookieSameSite.LAX);
        if (remember) {
            cookie.setMaxAge(lifetime.toSeconds());
        }
        return Reply.status(303).withHeaders(Map.of("Location", next, "Set-Cookie", cookie.encode(),
                "Cache-Control", "no-store"));
    }

    /** Ends the browser's session: its token is revoked, whoever holds a copy, and the cookie is cleared. */
    private Reply signOut(RoutingContext ctx) {
        if (ctx.request().getHeader("Origin") != null && !authentication.sameOrigin(ctx)) {
            return pages.message(403, pages.signedOut("Sign out"), "Not signed out",
                    "Sign out from this server's own page.", new Link("Sign out", SIGN_OUT));
        }
        var cookie = ctx.request().getCookie(Authentication.SESSION_COOKIE);
        if (cookie != null) {
            users.revokeSecret(cookie.getValue());
            authentication.forget(cookie.getValue());
        }
        var cleared = Cookie.cookie(Authentication.SESSION_COOKIE, "").setPath("/").setHttpOnly(true)
                .setSecure(ctx.request().isSSL()).setSameSite(CookieSameSite.LAX).setMaxAge(0);
        return pages.message(200, pages.signedOut("Signed out"), "Signed out",
                "Your session has ended on this server.", new Link("Sign in again", PATH))
                .withHeaders(Map.of("Set-Cookie", cleared.encode()));
    }

    /** The sign-in page, with {@code error} when the last try failed, and the provider's button when there is one. */
    public Reply page(int status, String error, String next) {
        var button = provider == null ? null : new Link("Sign in with "
                + URI.create(provider.settings().issuer()).getHost(), OidcSignIn.start(next).toString());
        return pages.render(status, "signin.jte", Map.of("chrome", pages.signedOut("Sign in"),
                "form", new SignInForm(error, next, button, REMEMBERED.toDays())));
    }

    private static String next(RoutingContext ctx) {
        return safeNext(ctx.request().getParam("next") != null ? ctx.request().getParam("next")
                : ctx.request().getFormAttribute("next"));
    }

    /**
     * Only a path on this server: anything else (another host, a scheme) goes to the root. The path is printable
     * ASCII without spaces or backslashes, since browsers drop tabs and line breaks from a URL and read a backslash
     * as a slash ({@code /\t/evil.example} would take them to {@code //evil.example}), and at most
     * {@value #LONGEST_NEXT} characters.
     */
    public static String safeNext(String next) {
        if (next == null || next.length() > LONGEST_NEXT || !next.startsWith("/") || next.startsWith("//")
                || !next.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '\\')) {
            return "/";
        }
        return next;
    }
}
