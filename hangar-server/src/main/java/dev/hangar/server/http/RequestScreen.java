package dev.hangar.server.http;

import dev.hangar.api.ErrorResponse;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The front door, before any route: refuses a request Hangar could not answer correctly or safely, with its own 4xx
 * and the ARM error body, so that no route runs on it. Refused: {@code CONNECT} and a target that is not a path
 * ({@code OPTIONS *}); no {@code Host} (even in HTTP/1.0), or a {@code Host} with spaces or control characters; an
 * {@code Expect} other than {@code 100-continue} (417); more than one {@code Authorization} header; a URL with a
 * {@code %} not followed by two hex digits, or whose path or query decodes to a control character (Hangar echoes the
 * query's {@code api-version} into headers, where a CR, LF or NUL cannot go). It also bounds how long a request may
 * take to arrive ({@link #connected}, {@link #bodyWithin}). Each refusal is logged at INFO, on one line, with the
 * path but not the query.
 */
public final class RequestScreen implements Handler<HttpServerRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(RequestScreen.class);
    private static final String REQUEST_TIMEOUT = "RequestTimeout";
    private static final int LONGEST_HOST = 255;
    private static final Duration LINGER = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final Duration requestTimeout;
    private final Handler<HttpServerRequest> next;
    /** The connections whose first request has not arrived yet, with the timer that closes them. */
    private final Map<HttpConnection, Long> waiting = new ConcurrentHashMap<>();

    /**
     * @param requestTimeout how long a request may take to arrive
     * @param next           where an acceptable request goes: the router
     */
    public RequestScreen(Vertx vertx, Duration requestTimeout, Handler<HttpServerRequest> next) {
        this.vertx = vertx;
        this.requestTimeout = requestTimeout;
        this.next = next;
    }

    /** Why a request is refused: its status, stable code and message. */
    record Refusal(int status, String code, String message) {
    }

    @Override
    public void handle(HttpServerRequest request) {
        var pending = waiting.remove(request.connection());
        if (pending != null) {
            vertx.cancelTimer(pending);
        }
        var refusal = refusal(request);
        if (refusal == null) {
            next.handle(request);
            return;
        }
        LOG.info("Refused {} {}: {} {}", request.method(), Redact.path(request.uri()), refusal.status(),
                refusal.code());
        refuse(request, refusal);
    }

    /**
     * Answers a request the HTTP decoder could not parse (a request line or header that breaks the syntax, one too
     * long): 414, 431 or 400 in the ARM error format, and the connection is closed, as it cannot be read further.
     * Not at once: the client may still be sending what the decoder now skips (a 70 KB request line), and a socket
     * closed with unread bytes is reset, which can destroy the answer before the client reads it. A short linger
     * lets the answer arrive; the client, told {@code Connection: close}, usually closes first.
     */
    public void invalid(HttpServerRequest request) {
        var cause = request.decoderResult().cause();
        var refusal = switch (cause) {
            case TooLongHttpLineException tooLong -> new Refusal(414, "RequestUriTooLong", "The request line is too"
                    + " long.");
            case TooLongHttpHeaderException tooLong -> new Refusal(431, "RequestHeadersTooLarge", "The request's"
                    + " headers are too large.");
            case null, default -> new Refusal(400, "InvalidRequest", "The request does not parse as HTTP.");
        };
        LOG.info("Refused a request that does not parse: {} {}", refusal.status(), refusal.code());
        refuse(request, refusal).onComplete(done -> vertx.setTimer(LINGER.toMillis(),
                timer -> request.connection().close()));
    }

    /** The refusal, with a request id of its own (what the client sent as one is not to be trusted yet). */
    private static io.vertx.core.Future<Void> refuse(HttpServerRequest request, Refusal refusal) {
        var id = UUID.randomUUID().toString();
        return request.response().setStatusCode(refusal.status()).putHeader("x-ms-request-id", id)
                .putHeader("x-ms-correlation-request-id", id)
                .putHeader("Content-Type", "application/json; charset=utf-8").putHeader("Connection", "close")
                .end(Buffer.buffer(json(refusal.code(), refusal.message())));
    }

    static Refusal refusal(HttpServerRequest request) {
        if (request.method() == HttpMethod.CONNECT) {
            return new Refusal(405, "MethodNotAllowed", "Hangar is not a proxy: CONNECT is not served.");
        }
        var uri = request.uri();
        if (!uri.startsWith("/") && !uri.regionMatches(true, 0, "http://", 0, 7)
                && !uri.regionMatches(true, 0, "https://", 0, 8)) {
            return new Refusal(400, "InvalidRequestTarget", "The request target must be a path ('/...').");
        }
        var headers = request.headers();
        // HTTP/1.0 may leave Host out, but the router cannot do without one: it is asked for there too.
        if (request.version() != HttpVersion.HTTP_2 && headers.get("Host") == null) {
            return new Refusal(400, "MissingHost", "A request needs a Host header.");
        }
        // The Host names the server in the URLs Hangar answers with (operation and app links), in headers too.
        var host = headers.get("Host");
        if (host != null && (host.length() > LONGEST_HOST || !host.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            return new Refusal(400, "InvalidHost", "The Host header is not a host name and port.");
        }
        var expect = headers.get("Expect");
        if (expect != null && !expect.strip().equalsIgnoreCase("100-continue")) {
            return new Refusal(417, "ExpectationFailed", "Hangar meets only 'Expect: 100-continue'.");
        }
        var contentType = contentTypeProblem(request.method(), headers.getAll("Content-Type"));
        if (contentType != null) {
            return contentType;
        }
        if (headers.getAll("Authorization").size() > 1) {
            return new Refusal(400, "InvalidAuthorization", "Send one Authorization header, not "
                    + headers.getAll("Authorization").size() + ".");
        }
        var problem = uriProblem(uri);
        return problem == null ? null : new Refusal(400, "InvalidRequestUri", problem);
    }

    /**
     * What is wrong with the request's Content-Type, or null: more than one, a parameter whose quotes do not close, a
     * charset this JVM does not know (415), or a form announced on a method that carries no body (the body decoder
     * fails on it). Each would otherwise fail when the body is read, as a 500.
     */
    static Refusal contentTypeProblem(HttpMethod method, java.util.List<String> values) {
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            return new Refusal(400, "InvalidContentType", "Send one Content-Type header, not " + values.size() + ".");
        }
        var value = values.getFirst();
        var parts = value.split(";");
        for (int i = 1; i < parts.length; i++) {
            var parameter = parts[i].strip();
            var equals = parameter.indexOf('=');
            var content = equals < 0 ? "" : parameter.substring(equals + 1).strip();
            if (equals <= 0 || content.startsWith("\"") && (content.length() < 2 || !content.endsWith("\""))) {
                return new Refusal(400, "InvalidContentType", "The Content-Type's parameter '" + printable(parameter)
                        + "' is not name=value.");
            }
            var name = parameter.substring(0, equals).strip();
            var unquoted = content.replace("\"", "");
            if (name.equalsIgnoreCase("charset") && !supported(unquoted)) {
                return new Refusal(415, "UnsupportedMediaType", "The charset '" + printable(unquoted)
                        + "' is not known; send UTF-8.");
            }
        }
        var type = parts[0].strip().toLowerCase(java.util.Locale.ROOT);
        var form = type.startsWith("multipart/") || type.equals("application/x-www-form-urlencoded");
        if (form && method != HttpMethod.POST && method != HttpMethod.PUT && method != HttpMethod.PATCH
                && method != HttpMethod.DELETE) {
            return new Refusal(400, "InvalidContentType", "A " + method + " carries no body, so no form: send no"
                    + " Content-Type, or application/json.");
        }
        return null;
    }

    private static boolean supported(String charset) {
        try {
            return java.nio.charset.Charset.isSupported(charset);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String printable(String text) {
        var shown = text.codePoints().map(c -> c < 0x20 || c > 0x7e ? '?' : c).collect(StringBuilder::new,
                StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return shown.length() > 60 ? shown.substring(0, 60) + "..." : shown;
    }

    /** What is wrong with the URL's escapes, or null: a bad {@code %}, or an escaped control character. */
    static String uriProblem(String uri) {
        for (int i = 0; i < uri.length(); i++) {
            var c = uri.charAt(i);
            if (c == '%') {
                if (i + 2 >= uri.length() || Character.digit(uri.charAt(i + 1), 16) < 0
                        || Character.digit(uri.charAt(i + 2), 16) < 0) {
                    return "The URL has a '%' not followed by two hex digits; escape a '%' as %25.";
                }
                var decoded = Integer.parseInt(uri.substring(i + 1, i + 3), 16);
                if (decoded < 0x20 || decoded == 0x7f) {
                    return "The URL holds an escaped control character (%" + uri.substring(i + 1, i + 3) + ").";
                }
            } else if (c < 0x20 || c == 0x7f) {
                return "The URL holds a control character.";
            }
        }
        return null;
    }

    /**
     * Watches a new connection: it is closed when its first request has not arrived within the request timeout (a
     * client that sends nothing, or blank lines, or its headers a byte at a time).
     */
    public void connected(HttpConnection connection) {
        var timer = vertx.setTimer(requestTimeout.toMillis(), ignored -> {
            if (waiting.remove(connection) != null) {
                // Browsers open connections they may never use: not worth a line at INFO each.
                LOG.debug("Closed a connection from {}: no request within {}", connection.remoteAddress(),
                        requestTimeout);
                connection.close();
            }
        });
        waiting.put(connection, timer);
        connection.closeHandler(ignored -> {
            var pending = waiting.remove(connection);
            if (pending != null) {
                vertx.cancelTimer(pending);
            }
        });
    }

    /**
     * A route handler that answers 408 {@code RequestTimeout} and closes the connection when the request's body has
     * not all arrived within {@code timeout} (a client that promised more than it sends).
     */
    public static Handler<RoutingContext> bodyWithin(Vertx vertx, Duration timeout) {
        return ctx -> {
            var request = ctx.request();
            if (!request.isEnded()) {
                var timer = vertx.setTimer(timeout.toMillis(), ignored -> {
                    if (request.isEnded() || ctx.response().ended() || ctx.response().closed()) {
                        return;
                    }
                    LOG.info("Refused {} {}: 408 {}", request.method(), Redact.path(request.uri()), REQUEST_TIMEOUT);
                    ctx.response().setStatusCode(408).putHeader("Content-Type", "application/json; charset=utf-8")
                            .putHeader("Connection", "close")
                            .end(Buffer.buffer(json(REQUEST_TIMEOUT, "The request's body did not arrive within "
                                    + timeout.toSeconds() + " s.")))
                            .onComplete(done -> request.connection().close());
                });
                // Answered in time: the timer goes, and with it its hold on the request and its body.
                ctx.addEndHandler(done -> vertx.cancelTimer(timer));
            }
            ctx.next();
        };
    }

    private static byte[] json(String code, String message) {
        try {
            return Json.MAPPER.writeValueAsBytes(ErrorResponse.of(code, message));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
