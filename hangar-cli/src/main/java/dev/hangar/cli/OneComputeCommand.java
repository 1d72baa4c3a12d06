package dev.hangar.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A command about one compute, named with {@code -n}: its workspace, output and verbosity options. */
abstract class OneComputeCommand extends HangarCommand {
    @Option(names = {"-n", "--name"}, required = true, paramLabel = "NAME", description = "the compute's name")
    String name;

    @Mixin
    WorkspaceOptions workspace;

    @Mixin
    OutputOptions output;

    @Mixin
    VerboseOptions verbose;

    OneComputeCommand(CliContext context) {
        super(context);
    }
}
