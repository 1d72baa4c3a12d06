package dev.hangar.server.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.hangar.core.compute.AppEndpoint;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.MediaType;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/**
 * The gateway's copy of what the instances' apps say may be kept: a {@code GET}'s answer that the app marks fresh
 * for a while ({@code Cache-Control: max-age}), such as Jupyter's versioned static files, kept in memory and given to
 * the next request for the same address of the same app without asking the app again, as a browser's own cache would.
 *
 * <p>Only the app's owners reach it: the gateway checks the caller before it looks here, and what is kept belongs to
 * one compute's app at one address (a restart, which moves the app, starts afresh). Kept only when the app allows a
 * shared cache to keep it: no {@code no-store}, {@code no-cache} or {@code private}, varying at most by encoding, 200
 * and at most {@link #LARGEST_BODY} bytes. A cookie the app set goes to the caller it was set for, and is never kept
 * (Jupyter sets its login cookie on every answer to a request that brought its token, as the gateway's do). A request that asks for a range, revalidates or sends a cache
 * directive of its own goes to the app. Thread-safe.
 */
final class AppCache {
    /** Bytes kept in all: Jupyter's static files for a few versions of Notebook, which are some megabytes each. */
    static final long MOST_BYTES = 64L * 1024 * 1024;
    /** The largest answer kept; larger ones are rare and streamed. */
    static final int LARGEST_BODY = 2 * 1024 * 1024;
    /** However long an app says its answer stays fresh, it is asked again after a day. */
    static final Duration LONGEST = Duration.ofDays(1);
    private static final String MISS = "hangar.cache.key";

    private record Key(UUID computeId, AppEndpoint endpoint, String uri) {
    }

    private record Kept(int status, MultiMap headers, Buffer body, MediaType type, long storedNanos,
                        long freshNanos) {
        Body copy() {
            return type == null ? Body.body(body) : Body.body(body, type);
        }
    }

    private final Cache<Key, Kept> kept = Caffeine.newBuilder()
            .maximumWeight(MOST_BYTES)
            .weigher((Key key, Kept value) -> value.body().length() + key.uri().length() + 512)
            .expireAfter(Expiry.creating((Key key, Kept value) -> Duration.ofNanos(value.freshNanos())))
            .build();

    /**
     * The kept answer to {@code context}'s request, or null when the app must be asked; then a request that may be
     * kept is marked, so that {@link #keep} keeps its answer.
     */
    ProxyResponse answer(ProxyContext context, UUID computeId, AppEndpoint endpoint) {
        var request = context.request();
        if (request.getMethod() != HttpMethod.GET || context.isWebSocket() || asksForMore(request.headers())) {
            return null;
        }
        var key = new Key(computeId, endpoint, request.getURI());
        var hit = kept.getIfPresent(key);
        if (hit == null) {
            context.set(MISS, key);
            return null;
        }
        var response = request.response();
        response.setStatusCode(hit.status());
        response.headers().clear().addAll(hit.headers());
        var age = Duration.ofNanos(System.nanoTime() - hit.storedNanos()).toSeconds();
        response.putHeader(HttpHeaders.AGE, String.valueOf(age));
        response.setBody(hit.copy());
        return response;
    }

    /**
     * Keeps the app's answer to a request {@link #answer} marked, when the app allows; the answer goes on to the caller
     * either way, whole when kept.
     */
    Future<Void> keep(ProxyContext context) {
        var key = context.get(MISS, Key.class);
        var response = context.response();
        var fresh = key == null ? null : freshFor(response);
        if (fresh == null) {
            return Future.succeededFuture();
        }
        var headers = MultiMap.caseInsensitiveMultiMap().addAll(response.headers());
        headers.remove(HttpHeaders.CONNECTION).remove("Keep-Alive").remove(HttpHeaders.TRANSFER_ENCODING)
                .remove(HttpHeaders.DATE).remove(HttpHeaders.AGE).remove(HttpHeaders.SET_COOKIE);
        MediaType type = null;
        if (headers.contains(HttpHeaders.CONTENT_TYPE)) {
            try {
                type = MediaType.parse(headers.get(HttpHeaders.CONTENT_TYPE));
            } catch (IllegalArgumentException e) {
                return Future.succeededFuture();
            }
        }
        var mediaType = type;
        return whole(response.getBody()).map(body -> {
            var stored = new Kept(response.getStatusCode(), headers, body, mediaType, System.nanoTime(),
                    fresh.toNanos());
            kept.put(key, stored);
            response.setBody(stored.copy());
            return null;
        });
    }

    /** Forgets what one compute's apps said: the compute was deleted or its apps moved. */
    void forget(UUID computeId) {
        kept.asMap().keySet().removeIf(key -> key.computeId().equals(computeId));
    }

    /** How many answers are kept. */
    long size() {
        kept.cleanUp();
        return kept.estimatedSize();
    }

    private static boolean asksForMore(MultiMap headers) {
        return headers.contains("Range") || headers.contains(HttpHeaders.IF_NONE_MATCH)
                || headers.contains(HttpHeaders.IF_MODIFIED_SINCE) || headers.contains(HttpHeaders.CACHE_CONTROL)
                || headers.contains("Pragma");
    }

    /** How long the app lets a shared cache keep its answer, or null when it may not. */
    static Duration freshFor(ProxyResponse response) {
        var headers = response.headers();
        if (response.getStatusCode() != 200 || headers.contains(HttpHeaders.CONTENT_RANGE)) {
            return null;
        }
        var length = headers.get(HttpHeaders.CONTENT_LENGTH);
        if (length == null || !length.matches("\\d{1,9}") || Integer.parseInt(length) > LARGEST_BODY) {
            return null;
        }
        for (var vary : headers.getAll(HttpHeaders.VARY)) {
            for (var name : vary.split(",")) {
                if (!name.isBlank() && !name.strip().equalsIgnoreCase("Accept-Encoding")) {
                    return null;
                }
            }
        }
        long maxAge = -1;
        long sharedMaxAge = -1;
        for (var control : headers.getAll(HttpHeaders.CACHE_CONTROL)) {
            for (var directive : control.split(",")) {
                var parts = directive.strip().toLowerCase(Locale.ROOT).split("=", 2);
                switch (parts[0]) {
                    case "no-store", "no-cache", "private" -> {
                        return null;
                    }
                    case "max-age", "s-maxage" -> {
                        var value = parts.length == 2 ? parts[1].replace("\"", "") : "";
                        if (!value.matches("\\d{1,12}")) {
                            return null;
                        }
                        if (parts[0].equals("s-maxage")) {
                            sharedMaxAge = Long.parseLong(value);
                        } else {
                            maxAge = Long.parseLong(value);
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        // A shared cache's own limit, when the app gives one, goes before the browsers'.
        var seconds = sharedMaxAge >= 0 ? sharedMaxAge : maxAge;
        if (seconds <= 0) {
            return null;
        }
        var fresh = Duration.ofSeconds(seconds);
        return fresh.compareTo(LONGEST) > 0 ? LONGEST : fresh;
    }

    private static Future<Buffer> whole(Body body) {
        Promise<Buffer> promise = Promise.promise();
        var buffer = Buffer.buffer((int) Math.max(0, Math.min(body.length(), LARGEST_BODY)));
        var stream = body.stream();
        stream.exceptionHandler(promise::tryFail);
        stream.handler(buffer::appendBuffer);
        stream.endHandler(ignored -> promise.tryComplete(buffer));
        stream.resume();
        return promise.future();
    }
}
