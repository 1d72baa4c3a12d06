package dev.hangar.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hangar.api.ErrorResponse;
import dev.hangar.core.compute.IllegalTransitionException;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.store.ConcurrentUpdateException;
import io.netty.handler.codec.DecoderException;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place that turns any failure into an HTTP status and an ARM error body. */
public final class ApiErrors {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {
    }

    /** A status and the body to send with it. */
    public record Rendered(int status, ErrorResponse body) {
    }

    /**
     * What the router's failure handler answers: a status the framework chose (404, 405, 413, 415, 417...) keeps its
     * own 4xx, a form field too large is 413, a form or request the decoder refused is 400, and anything
     * else is {@link #render}ed. A client's mistake is logged on one INFO line: method, path without its query, status
     * and code, never the failure's message (it may quote the form, with its token).
     */
    public static Rendered renderFailure(RoutingContext ctx, long bodyLimit) {
        var failure = ctx.failure();
        var status = ctx.statusCode();
        Rendered rendered;
        if (failure instanceof IOException e && String.valueOf(e.getMessage()).startsWith("Size exceed")) {
            // Netty's words for a form field over the server's form attribute size (a token, a next of 100 KB).
            rendered = new Rendered(413, ErrorResponse.of("RequestTooLarge", "A field of the form is larger than"
                    + " Hangar takes."));
        } else if (fromHttpDecoder(failure)) {
            rendered = new Rendered(400, ErrorResponse.of("InvalidRequest", "The request's body is not framed as"
                    + " HTTP/1.1 says (a chunk size that is no hexadecimal number, or the like)."));
        } else if (failure instanceof DecoderException) {
            rendered = new Rendered(400, ErrorResponse.of("InvalidRequest", "The request's body does not decode as"
                    + " its Content-Type says."));
        } else if (status >= 400 && status < 500) {
            rendered = forStatus(status, bodyLimit);
        } else if (failure == null) {
            rendered = render(new IllegalStateException("status " + status));
        } else {
            rendered = render(failure);
        }
        if (rendered.status() < 500) {
            LOG.info("Refused {} {}: {} {}", ctx.request().method(), Redact.path(ctx.request().uri()),
                    rendered.status(), rendered.body().error().code());
        }
        return rendered;
    }

    /**
     * Whether Netty's HTTP decoder threw {@code failure} while reading the request's body (a malformed chunk): the
     * client's mistake, answered 400 before the connection, whose framing is lost, is closed.
     */
    static boolean fromHttpDecoder(Throwable failure) {
        if (failure == null || failure instanceof ApiException) {
            return false;
        }
        for (var frame : failure.getStackTrace()) {
            if (frame.getClassName().startsWith("io.netty.handler.codec.http.HttpObjectDecoder")) {
                return true;
            }
        }
        return false;
    }

    /** A framework's 4xx, with a stable code and message of its own. */
    static Rendered forStatus(int status, long bodyLimit) {
        return switch (status) {
            case 404 -> new Rendered(404, ErrorResponse.of("ResourceNotFound", "No such resource."));
            case 405 -> new Rendered(405, ErrorResponse.of("MethodNotAllowed", "The resource does not take this"
                    + " method."));
            case 408 -> new Rendered(408, ErrorResponse.of("RequestTimeout", "The request did not arrive in time."));
            case 413 -> new Rendered(413, ErrorResponse.of("RequestTooLarge", "The request body is larger than "
                    + bodyLimit + " bytes."));
            case 414 -> new Rendered(414, ErrorResponse.of("RequestUriTooLong", "The request's URL is too long."));
            case 415 -> new Rendered(415, ErrorResponse.of("UnsupportedMediaType", "The request's Content-Type is not"
                    + " one this call takes."));
            case 417 -> new Rendered(417, ErrorResponse.of("ExpectationFailed", "Hangar meets only 'Expect:"
                    + " 100-continue'."));
            case 431 -> new Rendered(431, ErrorResponse.of("RequestHeadersTooLarge", "The request's headers are too"
                    + " large."));
            default -> new Rendered(status, ErrorResponse.of(status == 400 ? "InvalidRequest" : "ClientError" + status,
                    "The request is not one Hangar can answer (HTTP " + status + ")."));
        };
    }

    public static Rendered render(Throwable failure) {
        return switch (failure) {
            case ApiException e -> new Rendered(status(e), ErrorResponse.of(e.code(), e.getMessage(), e.target()));
            case IllegalTransitionException e -> new Rendered(409, ErrorResponse.of("IllegalStateTransition",
                    e.getMessage()));
            case ConcurrentUpdateException e -> new Rendered(409, ErrorResponse.of("ActiveOperationConflict",
                    "There is already an active operation submitted: " + e.getMessage()));
            case JsonProcessingException e -> new Rendered(400, ErrorResponse.of(ErrorCodes.INVALID_BODY,
                    "The request body is not the JSON this call takes: " + e.getOriginalMessage()));
            default -> {
                LOG.error("Unexpected failure", failure);
                yield new Rendered(500, ErrorResponse.of("InternalServerError",
                        "Hangar failed unexpectedly; the server log has the details."));
            }
        };
    }

    /** The HTTP status of an API error. */
    public static int status(ApiException e) {
        return switch (e) {
            case ApiException.BadRequest b -> 400;
            case ApiException.Unauthorized u -> 401;
            case ApiException.Forbidden f -> 403;
            case ApiException.NotFound n -> 404;
            case ApiException.Conflict c -> 409;
            case ApiException.TooLarge t -> 413;
            case ApiException.Unavailable u -> 503;
        };
    }
}
