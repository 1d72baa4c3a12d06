package dev.hangar.client;

import dev.hangar.api.ErrorResponse;
import java.net.URI;

/**
 * Every failure of a {@link HangarClient} call: an error answer from the server, no answer at all, or a long-running
 * operation that ended badly or too late. Unchecked, like every client exception.
 *
 * <p>{@link #error()} is never {@code null}: it is the server's ARM error body when the server sent one, otherwise one
 * the client made up with a stable code ({@code ConnectionFailed}, {@code TlsHandshakeFailed}, {@code RequestTimedOut},
 * {@code OperationTimedOut}, {@code Interrupted}, {@code Http<status>} for an error without an ARM body).
 * {@link #status()} is the HTTP status, or 0 when the failure was not an HTTP error answer.
 */
public final class HangarException extends RuntimeException {

    /** What went wrong, coarsely: enough to choose a reaction (retry, re-login, give up). */
    public enum Kind {
        /** The server answered with a 4xx or 5xx status, or with a body the client could not read. */
        HTTP,
        /** No answer: connection refused, DNS, TLS handshake (untrusted certificate, wrong host), request timeout. */
        CONNECTION,
        /** A long-running operation ended {@code Failed} or {@code Canceled}; {@link #error()} is the operation's. */
        OPERATION_FAILED,
        /** {@link LongRunningOperation#waitForCompletion} gave up waiting; the operation may still finish. */
        TIMEOUT,
        /** The calling thread was interrupted; its interrupt flag is set again. */
        INTERRUPTED,
        /** What the caller gave cannot be sent as it is (a folder that cannot be a code snapshot); nothing was sent. */
        INVALID_INPUT
    }

    private final Kind kind;
    private final int status;
    private final ErrorResponse.ErrorDetail error;
    private final String method;
    private final URI uri;

    HangarException(Kind kind, int status, ErrorResponse.ErrorDetail error, String method, URI uri, Throwable cause) {
        super(describe(status, error, method, uri), cause);
        this.kind = kind;
        this.status = status;
        this.error = error;
        this.method = method;
        this.uri = uri;
    }

    static HangarException http(int status, ErrorResponse.ErrorDetail error, String method, URI uri) {
        return new HangarException(Kind.HTTP, status, error, method, uri, null);
    }

    static HangarException of(Kind kind, String code, String message, String method, URI uri, Throwable cause) {
        return new HangarException(kind, 0, detail(code, message), method, uri, cause);
    }

    static ErrorResponse.ErrorDetail detail(String code, String message) {
        return ErrorResponse.of(code, message).error();
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status of the error answer, or 0 when there was none (see {@link Kind}). */
    public int status() {
        return status;
    }

    /** The ARM error: the server's, or one the client made up. Never {@code null}. */
    public ErrorResponse.ErrorDetail error() {
        return error;
    }

    /** Shorthand for {@code error().code()}: a stable string such as {@code ResourceNotFound}. */
    public String code() {
        return error.code();
    }

    /** Shorthand for {@code error().message()}: for humans. */
    public String errorMessage() {
        return error.message();
    }

    /** The HTTP method of the request that failed. */
    public String method() {
        return method;
    }

    /** The URI of the request that failed. */
    public URI uri() {
        return uri;
    }

    private static String describe(int status, ErrorResponse.ErrorDetail error, String method, URI uri) {
        var answer = status == 0 ? "" : " -> " + status;
        return error.code() + ": " + error.message() + " (" + method + " " + uri + answer + ")";
    }
}
