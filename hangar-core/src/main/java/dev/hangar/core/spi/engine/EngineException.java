package dev.hangar.core.spi.engine;

/**
 * A failure of an engine call. {@code code} is stable and reaches users (e.g. {@code SlurmControllerUnreachable},
 * {@code SlurmCommandFailed}, {@code InvalidSlurmSetting}); {@code retryable} says whether the same call may succeed later.
 */
public final class EngineException extends RuntimeException {
    private final String code;
    private final boolean retryable;

    public EngineException(String code, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
    }

    /** A failure that may pass: the engine did not answer, a connection dropped. */
    public static EngineException transientFailure(String code, String message, Throwable cause) {
        return new EngineException(code, message, true, cause);
    }

    /** A failure a retry cannot mend: a wrong setting, a refused submission. */
    public static EngineException fatal(String code, String message) {
        return new EngineException(code, message, false, null);
    }

    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }
}
