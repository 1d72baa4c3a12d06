package dev.hangar.cli;

/** A failure the command line itself detects, with the stable code and exit code it is reported with. */
final class CliException extends RuntimeException {
    private final String code;
    private final int exitCode;

    CliException(String code, String message, int exitCode) {
        super(message);
        this.code = code;
        this.exitCode = exitCode;
    }

    static CliException notLoggedIn() {
        return new CliException("NotLoggedIn", "not logged in: run 'hangar login --server URL --token TOKEN' "
                + "(or set HANGAR_SERVER and HANGAR_TOKEN)", ExitCodes.AUTHENTICATION);
    }

    String code() {
        return code;
    }

    int exitCode() {
        return exitCode;
    }
}
