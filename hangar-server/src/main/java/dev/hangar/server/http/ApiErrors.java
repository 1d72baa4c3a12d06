package dev.hangar.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hangar.api.ErrorResponse;
import dev.hangar.core.compute.IllegalTransitionException;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.store.ConcurrentUpdateException;
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
