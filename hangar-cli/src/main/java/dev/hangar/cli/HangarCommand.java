package dev.hangar.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A leaf command: runs with the shared {@link CliContext} and writes to picocli's out and err. */
abstract class HangarCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    final CliContext context;

    HangarCommand(CliContext context) {
        this.context = context;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /**
     * Prints a wire record as the command's {@code -o} and {@code --query} ask (see {@link Printer}), as JSON with
     * every key written as the server writes it when the command has no such options.
     */
    void printJson(Object value) {
        out().println(Printer.print(value, outputOptions()));
    }

    private OutputOptions outputOptions() {
        return spec.mixins().values().stream().map(CommandSpec::userObject)
                .filter(OutputOptions.class::isInstance).map(OutputOptions.class::cast).findFirst().orElse(null);
    }
}
