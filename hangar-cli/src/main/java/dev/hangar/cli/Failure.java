package dev.hangar.cli;

import dev.hangar.client.HangarException;

/** How one exception is reported: the code and message of its {@code ERROR:} line, and the exit code. */
record Failure(String code, String message, int exitCode) {

    static Failure of(Throwable error) {
        return switch (error) {
            case HangarException e -> new Failure(e.code(), withHint(e), exitCode(e));
            case CliException e -> new Failure(e.code(), e.getMessage(), e.exitCode());
            default -> new Failure(error.getClass().getSimpleName(),
                    error.getMessage() == null ? "(no message)" : error.getMessage(), ExitCodes.FAILED);
        };
    }

    /** {@code ERROR: <code>: <message>}, always on one line. */
    String line() {
        return ("ERROR: " + code + ": " + message).replaceAll("\\s*\\R\\s*", " ");
    }

    /**
     * One exit code per kind of failure, whatever the command: a code that says something is missing ({@code
     * ComputeNotFound}, which {@code job create} gets as a 400) is {@link ExitCodes#NOT_FOUND} as a 404 is.
     */
    private static int exitCode(HangarException e) {
        if (e.code() != null && e.code().endsWith("NotFound") && e.kind() == HangarException.Kind.HTTP) {
            return ExitCodes.NOT_FOUND;
        }
        return switch (e.kind()) {
            case CONNECTION -> ExitCodes.UNREACHABLE;
            case OPERATION_FAILED, TIMEOUT, INTERRUPTED -> ExitCodes.FAILED;
            case INVALID_INPUT -> ExitCodes.USAGE;
            case HTTP -> switch (e.status()) {
                case 400 -> ExitCodes.USAGE;
                case 401, 403 -> ExitCodes.AUTHENTICATION;
                case 404 -> ExitCodes.NOT_FOUND;
                case 409 -> ExitCodes.CONFLICT;
                default -> ExitCodes.FAILED;
            };
        };
    }

    private static String withHint(HangarException e) {
        var message = FlagWords.of(e.code(), e.errorMessage());
        if ("TlsHandshakeFailed".equals(e.code())) {
            return message + " (log in with --ca-cert FILE holding the server's certificate, or --insecure)";
        }
        if (e.status() == 401) {
            return message + " (log in again with 'hangar login')";
        }
        return message;
    }
}
