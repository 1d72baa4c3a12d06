package dev.hangar.server.http;

import dev.hangar.core.error.ApiException;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * What a call authorized by the session cookie alone must also show, since a browser sends the cookie with requests
 * another site's page makes (cross-site request forgery): a change (any method but GET, HEAD and OPTIONS) comes from
 * a page of this server, by its {@code Origin} header, and, for Hangar's own API, carries no body a cross-site form
 * can send (a form, multipart or text: Hangar's calls take JSON); a WebSocket comes from a page of this server, or
 * from a client that is no browser (no {@code Origin}). A call with {@code Authorization: Bearer} is not concerned:
 * no other site can make a browser send it. This server's pages are those of the request's {@code Host}, and those of
 * {@code server.public-url} when one is configured (a proxy in front may pass another Host).
 */
public final class BrowserSession {
    public static final String CROSS_ORIGIN_REFUSED = "CrossOriginRefused";
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    /** The content types a page of another site can send without asking first (CORS's "simple" ones). */
    private static final Set<String> FORM_TYPES = Set.of("application/x-www-form-urlencoded", "multipart/form-data",
            "text/plain");

    /** {@code scheme://authority} of the configured public URL, or null. */
    private final String publicOrigin;

    /** @param publicUrl {@code server.public-url}, or null */
    public BrowserSession(String publicUrl) {
        this.publicOrigin = publicUrl == null ? null : origin(publicUrl);
    }

    /** Whether the request's credential is the session cookie (it has no bearer token). */
    static boolean bySessionCookie(RoutingContext ctx) {
        var header = ctx.request().getHeader("Authorization");
        return (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7))
                && ctx.request().getCookie(Authentication.SESSION_COOKIE) != null;
    }

    /**
     * Refuses (403 {@value #CROSS_ORIGIN_REFUSED}) a cookie-authorized request that another site's page may have
     * made.
     *
     * @param apiBody whether the route is Hangar's own API, which takes JSON (an app behind the gateway takes what it
     *                takes)
     */
    void check(RoutingContext ctx, boolean apiBody) {
        var request = ctx.request();
        if (isWebSocket(ctx)) {
            if (request.getHeader("Origin") != null && !sameOrigin(ctx)) {
                throw refusal("A WebSocket opened with the browser session must come from a page of this server, not"
                        + " from " + request.getHeader("Origin") + ".");
            }
            return;
        }
        if (SAFE.contains(request.method())) {
            return;
        }
        if (!sameOrigin(ctx)) {
            throw refusal("A change made with the browser session must come from a page of this server (its Origin"
                    + " header); from elsewhere send 'Authorization: Bearer <token>'.");
        }
        var type = request.getHeader("Content-Type");
        var media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (apiBody && FORM_TYPES.contains(media)) {
            throw refusal("With the browser session Hangar's calls take a JSON body, not " + media + ".");
        }
    }

    /** Whether the request opens a WebSocket. */
    public static boolean isWebSocket(RoutingContext ctx) {
        return "websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"));
    }

    /** Whether {@code headers} ask to open a WebSocket. */
    public static boolean isWebSocketUpgrade(io.vertx.core.MultiMap headers) {
        return "websocket".equalsIgnoreCase(headers.get("Upgrade"));
    }

    /** Whether the request's {@code Origin} is this server: its {@code Host}, or its public URL. */
    public boolean sameOrigin(RoutingContext ctx) {
        var origin = ctx.request().getHeader("Origin");
        if (origin == null) {
            return false;
        }
        var host = ctx.request().getHeader("Host");
        try {
            var authority = URI.create(origin).getRawAuthority();
            if (authority != null && authority.equalsIgnoreCase(host)) {
                return true;
            }
        } catch (IllegalArgumentException e) {
            return false;
        }
        return publicOrigin != null && publicOrigin.equalsIgnoreCase(origin(origin));
    }

    /** {@code scheme://authority} of {@code url}, or "" when it has none. */
    private static String origin(String url) {
        try {
            var uri = URI.create(url.strip());
            return uri.getScheme() == null || uri.getRawAuthority() == null ? ""
                    : uri.getScheme() + "://" + uri.getRawAuthority();
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static ApiException refusal(String message) {
        return ApiException.forbidden(CROSS_ORIGIN_REFUSED, message);
    }
}
