package dev.hangar.server.gateway;

import dev.hangar.core.error.ApiException;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import dev.hangar.server.oidc.OidcProvider;
import dev.hangar.server.oidc.OidcSignIn;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.concurrent.ExecutorService;

/**
 * The browser's way in: a page that takes an API token and keeps it in a secure, http-only, same-site cookie, then
 * returns to the app the browser asked for. Only paths on this server are returned to, never another site.
 */
public final class SignIn {
    public static final String PATH = "/signin";
    static final int LONGEST_NEXT = 2048;

    private final Authentication authentication;
    private final ExecutorService executor;
    private final OidcProvider provider;

    /** @param provider the OpenID Connect provider offered as a way in, or null */
    public SignIn(Authentication authentication, ExecutorService executor, OidcProvider provider) {
        this.authentication = authentication;
        this.executor = executor;
        this.provider = provider != null && provider.settings().clientId() != null ? provider : null;
    }

    public void mount(RouteTable routes) {
        routes.path(HttpMethod.GET, PATH, PATH, Guard.ANYONE, null, ctx -> page(ctx, 200, null, provider));
        routes.path(HttpMethod.POST, PATH, PATH, Guard.ANYONE, null, this::signIn);
    }

    private void signIn(RoutingContext ctx) {
        // Signing a browser in from another site's page would sign it in as someone else (login forgery).
        if (ctx.request().getHeader("Origin") != null && !authentication.sameOrigin(ctx)) {
            page(ctx, 403, "Sign in from this server's own page.", provider);
            return;
        }
        var form = ctx.request().formAttributes();
        var token = form.get("token");
        var next = safeNext(form.get("next"));
        var context = Vertx.currentContext();
        executor.execute(() -> {
            try {
                var caller = authentication.authenticate(token);
                context.runOnContext(ignored -> {
                    Authentication.signedIn(ctx, caller);
                    keep(ctx, token.strip());
                    ctx.response().setStatusCode(303).putHeader("Location", next).end();
                });
            } catch (ApiException e) {
                context.runOnContext(ignored -> page(ctx, 401, e.getMessage(), provider));
            }
        });
    }

    /** Keeps the session's token in a secure, http-only, same-site cookie. */
    public static void keep(RoutingContext ctx, String token) {
        ctx.response().addCookie(Cookie.cookie(Authentication.SESSION_COOKIE, token).setPath("/")
                .setHttpOnly(true).setSecure(ctx.request().isSSL()).setSameSite(CookieSameSite.LAX));
    }

    /** The sign-in page, with {@code error} when the last try failed, and the provider's button when there is one. */
    public static void page(RoutingContext ctx, int status, String error, OidcProvider provider) {
        var next = safeNext(ctx.request().getParam("next") != null ? ctx.request().getParam("next")
                : ctx.request().getFormAttribute("next"));
        var html = """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in to Hangar</title>
                <style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}
                input{width:100%%;padding:.5rem;margin:.5rem 0;box-sizing:border-box}.error{color:#b00020}</style>
                </head><body><h1>Sign in to Hangar</h1>%s%s
                <form method="post" action="/signin"><label for="token">API token</label>
                <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
                <input type="hidden" name="next" value="%s"><button type="submit">Sign in</button></form>
                <p>An API token: make one for this browser with <code>hangar token create browser</code> (it is
                printed once), or use the admin token Hangar printed at its first start, or one an administrator
                made for you.</p>
                </body></html>""".formatted(error == null ? "" : "<p class=\"error\">" + escape(error) + "</p>",
                provider == null ? "" : "<p><a class=\"provider\" href=\"" + escape(OidcSignIn.start(next).toString())
                        + "\">Sign in with " + escape(URI.create(provider.settings().issuer()).getHost())
                        + "</a></p><p>or with an API token:</p>",
                escape(next));
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store").end(html);
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

    static void stripSessionCookie(MultiMap headers) {
        var cookies = headers.getAll("Cookie");
        if (cookies.isEmpty()) {
            return;
        }
        headers.remove("Cookie");
        for (var header : cookies) {
            var kept = new StringBuilder();
            for (var part : header.split(";")) {
                if (!part.strip().startsWith(Authentication.SESSION_COOKIE + "=")) {
                    kept.append(kept.isEmpty() ? "" : "; ").append(part.strip());
                }
            }
            if (!kept.isEmpty()) {
                headers.add("Cookie", kept.toString());
            }
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
