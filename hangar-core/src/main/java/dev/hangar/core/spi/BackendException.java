package dev.hangar.core.spi;

/**
 * A backend call that failed. {@code code} is a stable error code shown to users; {@code retryable} says whether the
 * same call may succeed later (the engine restarted, a timeout) or never will (an image is missing).
 */
public class BackendException extends RuntimeException {
    private final String code;
    private final boolean retryable;

    public BackendException(String code, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
    }

    public static BackendException fatal(String code, String message) {
        return new BackendException(code, message, false, null);
    }

    public static BackendException retryable(String code, String message, Throwable cause) {
        return new BackendException(code, message, true, cause);
    }

    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }
}
