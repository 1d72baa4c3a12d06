package dev.hangar.cli;

import dev.hangar.api.PagedList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Lists the computes of the workspace, instances, clusters and attached Slurm clusters; a"
                + " cluster's state counts its nodes now and at most, a Slurm cluster's the nodes of its partition.",
        footerHeading = "%nExamples:%n", footer = {
            "  hangar compute list",
            "  hangar compute list --mine -o json"})
final class ComputeListCommand extends HangarCommand {
    @Option(names = "--mine", description = "only the computes you created or that were created for you")
    boolean mine;

    @Mixin
    WorkspaceOptions workspace;

    @Mixin
    OutputOptions output;

    @Mixin
    VerboseOptions verbose;

    ComputeListCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        try (var connection = context.connect()) {
            var computes = connection.computes(workspace).list(mine ? "me" : null);
            if (output.json()) {
                printJson(new PagedList<>(computes, null));
                return ExitCodes.OK;
            }
            var table = new Table("NAME", "STATE", "VM SIZE", "TYPE", "CREATED BY");
            computes.forEach(compute -> table.row(compute.name(), ComputeView.state(compute),
                    ComputeView.vmSize(compute), ComputeView.type(compute), ComputeView.createdBy(compute)));
            table.print(out());
            return ExitCodes.OK;
        }
    }
}
