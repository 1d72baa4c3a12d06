package dev.hangar.core.error;

/**
 * The closed family of errors a caller of Hangar sees. Each carries a stable {@code code} users can search for, a
 * message, and optionally the {@code target} it concerns. The server maps the family to HTTP statuses and the ARM
 * error body in one place.
 */
public abstract sealed class ApiException extends RuntimeException {
    private final String code;
    private final String target;

    private ApiException(String code, String message, String target) {
        super(message);
        this.code = code;
        this.target = target;
    }

    public String code() {
        return code;
    }

    public String target() {
        return target;
    }

    public static BadRequest badRequest(String code, String message) {
        return new BadRequest(code, message, null);
    }

    public static BadRequest badRequest(String code, String message, String target) {
        return new BadRequest(code, message, target);
    }

    public static NotFound notFound(String message) {
        return new NotFound("ResourceNotFound", message, null);
    }

    public static NotFound notFound(String code, String message) {
        return new NotFound(code, message, null);
    }

    public static Conflict conflict(String code, String message) {
        return new Conflict(code, message, null);
    }

    public static Forbidden forbidden(String code, String message) {
        return new Forbidden(code, message, null);
    }

    public static Unauthorized unauthorized(String message) {
        return new Unauthorized("AuthenticationFailed", message, null);
    }

    public static Unauthorized unauthorized(String code, String message) {
        return new Unauthorized(code, message, null);
    }

    public static TooLarge tooLarge(String code, String message, String target) {
        return new TooLarge(code, message, target);
    }

    public static Unavailable unavailable(String code, String message) {
        return new Unavailable(code, message, null);
    }

    /** The request is malformed or breaks a rule (400). */
    public static final class BadRequest extends ApiException {
        BadRequest(String code, String message, String target) {
            super(code, message, target);
        }
    }

    /** The workspace, compute or operation does not exist (404). */
    public static final class NotFound extends ApiException {
        NotFound(String code, String message, String target) {
            super(code, message, target);
        }
    }

    /** The request clashes with the current state or with an active operation (409). */
    public static final class Conflict extends ApiException {
        Conflict(String code, String message, String target) {
            super(code, message, target);
        }
    }

    /** The caller is known but not allowed (403). */
    public static final class Forbidden extends ApiException {
        Forbidden(String code, String message, String target) {
            super(code, message, target);
        }
    }

    /** The caller is not known: no credential, or a bad one (401). */
    public static final class Unauthorized extends ApiException {
        Unauthorized(String code, String message, String target) {
            super(code, message, target);
        }
    }

    /** What was sent is larger than Hangar takes (413). */
    public static final class TooLarge extends ApiException {
        TooLarge(String code, String message, String target) {
            super(code, message, target);
        }
    }

    /** Something Hangar depends on cannot serve now (503). */
    public static final class Unavailable extends ApiException {
        Unavailable(String code, String message, String target) {
            super(code, message, target);
        }
    }
}
