package dev.hangar.api;

import java.util.List;

/**
 * The ARM error body {@code {"error":{"code","message","target","details","additionalInfo"}}}. Also the element type of
 * {@code provisioningErrors} and {@code errors} arrays.
 */
public record ErrorResponse(ErrorDetail error) {

    public static ErrorResponse of(String code, String message) {
        return new ErrorResponse(new ErrorDetail(code, message, null, List.of(), List.of()));
    }

    public static ErrorResponse of(String code, String message, String target) {
        return new ErrorResponse(new ErrorDetail(code, message, target, List.of(), List.of()));
    }

    /** One error: a stable {@code code} users can search for, and a human {@code message}. */
    public record ErrorDetail(String code, String message, String target, List<ErrorDetail> details,
                              List<Object> additionalInfo) {
    }
}
