package dev.hangar.server.gateway;

import dev.hangar.core.compute.AppEndpoint;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyOptions;
import io.vertx.httpproxy.ProxyResponse;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reverse proxies to the instances' apps: one per compute and app, replaced when the app moved (a restart gives it
 * a new port and token). Their connections to the apps are kept open and reused, and each event loop has its own: a
 * request is forwarded on a connection of the event loop it arrived on, so that its answer never waits for another
 * thread to be scheduled. Requests are forwarded unchanged in path; the caller's Hangar credential is swapped for the
 * app's own. Answers go back as the app made them: its status, headers (its {@code Cache-Control} and {@code ETag}
 * included; the {@code Date} is the gateway's) and body, not compressed again by Hangar's server, which costs more than
 * it saves for an app on the same host. What an app lets a cache keep is answered from the gateway's {@link AppCache}.
 * Call on the request's event loop.
 */
final class AppProxies {
    /** Connections kept per app and event loop: a browser opens up to 6 to a host, a user may have a few pages open. */
    static final int CONNECTIONS_PER_APP = 8;
    /** The largest piece of an app's answer passed on at once. */
    static final int CHUNK_BYTES = 64 * 1024;

    private final Vertx vertx;
    private final Map<Thread, HttpClient> clients = new ConcurrentHashMap<>();
    /** For a call from a thread that is no event loop's (none is expected): connections of any event loop. */
    private final HttpClient shared;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final AppCache cache = new AppCache();

    private record Route(AppEndpoint endpoint, HttpProxy proxy) {
    }

    AppProxies(Vertx vertx) {
        this.vertx = vertx;
        this.shared = newClient();
    }

    /**
     * Keep-alive with no pipelining: a slow answer (a large notebook) never holds up the requests queued behind it.
     * An answer's body is passed on in pieces of up to {@link #CHUNK_BYTES} as it arrives, not of 8 KB (the default),
     * each of which the caller's connection would otherwise write and flush on its own.
     */
    private HttpClient newClient() {
        return vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false)
                .setTcpNoDelay(true).setMaxChunkSize(CHUNK_BYTES),
                new PoolOptions().setHttp1MaxSize(CONNECTIONS_PER_APP));
    }

    /** The client of the calling event loop, whose connections live on that loop. */
    private HttpClient client() {
        if (!Context.isOnEventLoopThread()) {
            return shared;
        }
        return clients.computeIfAbsent(Thread.currentThread(), loop -> newClient());
    }

    /** Proxies {@code request} (paused) to {@code endpoint}, an app of the compute {@code computeId}. */
    void forward(UUID computeId, AppEndpoint endpoint, HttpServerRequest request) {
        proxyFor(computeId, endpoint).handle(request);
    }

    private HttpProxy proxyFor(UUID computeId, AppEndpoint endpoint) {
        var key = computeId + "/" + endpoint.name();
        var route = routes.get(key);
        if (route != null && route.endpoint().equals(endpoint)) {
            return route.proxy();
        }
        return routes.compute(key, (ignored, known) -> {
            if (known != null && known.endpoint().equals(endpoint)) {
                return known;
            }
            if (known != null) {
                cache.forget(computeId);
            }
            var target = endpoint.target();
            var port = target.getPort() > 0 ? target.getPort() : ("https".equals(target.getScheme()) ? 443 : 80);
            var address = SocketAddress.inetSocketAddress(port, target.getHost());
            return new Route(endpoint, HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(true), shared)
                    .origin(proxy -> client().request(new RequestOptions().setServer(address)))
                    .addInterceptor(new AsTheAppMadeIt(computeId, endpoint, cache), true));
        }).proxy();
    }

    /** Removes Hangar's session cookie from what an app is sent: the app never sees a Hangar credential. */
    static void stripSessionCookie(io.vertx.core.MultiMap headers) {
        var cookies = headers.getAll("Cookie");
        if (cookies.isEmpty()) {
            return;
        }
        headers.remove("Cookie");
        for (var header : cookies) {
            var kept = new StringBuilder();
            for (var part : header.split(";")) {
                if (!part.strip().startsWith(dev.hangar.server.http.Authentication.SESSION_COOKIE + "=")) {
                    kept.append(kept.isEmpty() ? "" : "; ").append(part.strip());
                }
            }
            if (!kept.isEmpty()) {
                headers.add("Cookie", kept.toString());
            }
        }
    }

    /**
     * The gateway path of an app in a request's URI ({@code /workspaces/<ws>/computes/<name>/apps/<app>}, which no
     * name's text can lengthen: each is one segment), and the rest, which starts with {@code /}.
     */
    static String[] splitGatewayPath(String uri) {
        var slash = 0;
        for (int seen = 0; seen < 7; seen++) {
            slash = uri.indexOf('/', seen == 0 ? 0 : slash + 1);
            if (slash < 0) {
                return new String[] {uri, "/"};
            }
        }
        return new String[] {uri.substring(0, slash), uri.substring(slash)};
    }

    /**
     * Swaps the caller's Hangar credential for the app's own, and leaves the app's answer as it is; answers what the
     * app let the gateway keep from the gateway's {@link AppCache}. An app served at its root (a custom service) is
     * sent the path without its gateway path, which {@code X-Forwarded-Prefix} names, and a redirect of it to a path of
     * its own is sent back under the gateway path.
     */
    private record AsTheAppMadeIt(UUID computeId, AppEndpoint endpoint, AppCache cache) implements ProxyInterceptor {
        @Override
        public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
            var kept = cache.answer(context, computeId, endpoint);
            if (kept != null) {
                context.request().proxiedRequest().resume();
                return Future.succeededFuture(kept);
            }
            var outgoing = context.request().headers();
            // A person's page load, which gets a page that waits for the app rather than a bare 502 when the app
            // does not answer (AppStarting).
            var page = context.request().getMethod() == HttpMethod.GET && !context.isWebSocket()
                    && String.valueOf(outgoing.get("Accept")).contains("text/html");
            outgoing.remove("Authorization");
            stripSessionCookie(outgoing);
            endpoint.headers().forEach(outgoing::set);
            if (endpoint.servedAtRoot()) {
                var parts = splitGatewayPath(context.request().getURI());
                context.request().setURI(parts[1]);
                outgoing.set("X-Forwarded-Prefix", parts[0]);
            }
            return context.sendRequest().recover(failure -> page ? Future.succeededFuture(AppStarting.page(context))
                    : Future.failedFuture(failure));
        }

        @Override
        public Future<Void> handleProxyResponse(ProxyContext context) {
            var answer = context.response().headers();
            var location = answer.get(HttpHeaders.LOCATION);
            if (endpoint.servedAtRoot() && location != null && location.startsWith("/")
                    && !location.startsWith("//")) {
                answer.set(HttpHeaders.LOCATION, context.request().headers().get("X-Forwarded-Prefix") + location);
            }
            // The proxy writes a Date of its own from the app's, which it parses first: an eighth of the event
            // loop's time for a small answer. Its own clock says the same second without that.
            answer.remove(HttpHeaders.DATE);
            var kept = cache.keep(context);
            if (hasBody(context) && !answer.contains(HttpHeaders.CONTENT_ENCODING)) {
                // Vert.x's server compresses an answer that has no encoding; "identity" tells it not to, and is
                // removed before the answer goes out.
                answer.set(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
            }
            return kept.compose(ignored -> context.sendResponse());
        }

        /**
         * Whether the answer carries a body the server could compress. Others are left alone: a 304's headers
         * update what the browser keeps, which may have been sent compressed.
         */
        private static boolean hasBody(ProxyContext context) {
            var status = context.response().getStatusCode();
            return !context.isWebSocket() && context.request().getMethod() != HttpMethod.HEAD && status >= 200
                    && status != 204 && status != 304;
        }
    }
}
