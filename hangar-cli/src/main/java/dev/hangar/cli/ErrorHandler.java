package dev.hangar.cli;

import dev.hangar.client.HangarException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place failures are reported: a single {@code ERROR: <code>: <message>} line on stderr, the cause chain after
 * it only with {@code --verbose}, and the exit code from {@link Failure}.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception error, CommandLine command, ParseResult parsed) {
        var failure = Failure.of(error);
        report(command.getErr(), failure, verbose(parsed) ? error : null);
        return failure.exitCode();
    }

    @Override
    public int handleParseException(ParameterException error, String[] args) {
        var command = error.getCommandLine();
        var failure = new Failure("UsageError", error.getMessage() + " (see '"
                + command.getCommandSpec().qualifiedName() + " --help')", ExitCodes.USAGE);
        report(command.getErr(), failure, null);
        return failure.exitCode();
    }

    private static void report(PrintWriter err, Failure failure, Throwable chain) {
        err.println(failure.line());
        for (Throwable cause = chain; cause != null; cause = cause.getCause()) {
            err.println((cause == chain ? "  " : "  caused by: ") + cause.getClass().getName() + ": "
                    + cause.getMessage());
            if (cause == chain && chain instanceof HangarException e) {
                err.println("  request: " + e.method() + " " + e.uri() + (e.status() == 0 ? "" : " -> " + e.status()));
            }
        }
        err.flush();
    }

    private static boolean verbose(ParseResult parsed) {
        for (var result = parsed; result != null; result = result.subcommand()) {
            if (result.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
