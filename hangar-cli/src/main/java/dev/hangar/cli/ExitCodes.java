package dev.hangar.cli;

/** The documented exit codes of {@code hangar}; keep {@link Main}'s {@code exitCodeList} in step. */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int AUTHENTICATION = 3;
    static final int NOT_FOUND = 4;
    static final int CONFLICT = 5;
    static final int UNREACHABLE = 6;

    private ExitCodes() {
    }
}
