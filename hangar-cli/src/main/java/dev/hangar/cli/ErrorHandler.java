package dev.hangar.cli;

import dev.hangar.client.HangarException;
import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

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
        var failure = new Failure("UsageError", usage(error) + " (see '"
                + command.getCommandSpec().qualifiedName() + " --help')", ExitCodes.USAGE);
        report(command.getErr(), failure, null);
        return failure.exitCode();
    }

    /** The parse error; an unknown command or option with the nearest names ("did you mean ...?"). */
    private static String usage(ParameterException error) {
        if (!(error instanceof UnmatchedArgumentException unmatched) || unmatched.getUnmatched().isEmpty()) {
            return error.getMessage();
        }
        var typed = unmatched.getUnmatched().getFirst();
        var spec = error.getCommandLine().getCommandSpec();
        if (unmatched.isUnknownOption()) {
            var options = spec.options().stream().flatMap(option -> Stream.of(option.names())).toList();
            return error.getMessage() + didYouMean(Nearest.to(typed.replaceFirst("=.*", ""), options));
        }
        if (!spec.subcommands().isEmpty()) {
            return "Unknown command '" + typed + "'" + didYouMean(Nearest.to(typed, spec.subcommands().keySet()));
        }
        return error.getMessage();
    }

    private static String didYouMean(List<String> names) {
        return names.isEmpty() ? "" : "; did you mean "
                + String.join(" or ", names.stream().map(name -> "'" + name + "'").toList()) + "?";
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
