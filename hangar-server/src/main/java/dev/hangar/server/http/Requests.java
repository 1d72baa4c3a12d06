package dev.hangar.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.server.wire.WireSchema;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.function.Supplier;

/** What routes read from a request: a JSON body of a given shape, a GUID in the path. */
public final class Requests {
    private Requests() {
    }

    /**
     * The request's JSON body as {@code type}, checked whole against its wire {@code schema} first; 400
     * {@code MissingRequestBody} without one, 400 {@code InvalidRequestBody} when it is not {@code shape} (as the
     * message says it) or breaks the schema (naming the field).
     */
    public static <T> T body(RoutingContext ctx, Class<T> type, String shape, WireSchema schema) {
        var raw = ctx.body().asString();
        if (raw == null || raw.isBlank()) {
            throw ApiException.badRequest(ErrorCodes.MISSING_BODY, "The request needs a body " + shape + ".");
        }
        T body;
        try {
            body = Json.MAPPER.treeToValue(schema.validate(Json.MAPPER.readTree(raw)), type);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(ErrorCodes.INVALID_BODY, "The body is not " + shape + ": "
                    + e.getOriginalMessage());
        }
        if (body == null) {
            throw ApiException.badRequest(ErrorCodes.INVALID_BODY, "The body is null, not " + shape + ".");
        }
        return body;
    }

    /** {@code text} as a GUID, or the failure {@code otherwise} makes (a 404 for a path, a 400 for a new id). */
    public static UUID uuid(String text, Supplier<? extends ApiException> otherwise) {
        try {
            return UUID.fromString(text == null ? "" : text.strip());
        } catch (IllegalArgumentException e) {
            throw otherwise.get();
        }
    }

    /** A list's {@code $skip}, the continuation token its {@code nextLink} carries; 0 without one. */
    public static int skip(RoutingContext ctx) {
        var raw = ctx.request().getParam("$skip");
        if (raw == null || raw.isBlank()) {
            return 0;
        }
        try {
            var skip = Integer.parseInt(raw);
            if (skip < 0) {
                throw new NumberFormatException();
            }
            return skip;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(ErrorCodes.INVALID_ARGUMENT, "$skip must be a continuation token from a"
                    + " nextLink, not '" + raw + "'.", "$skip");
        }
    }
}
