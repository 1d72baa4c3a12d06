package dev.hangar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list-sizes", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Lists the VM sizes a location offers.",
        footerHeading = "%nExamples:%n", footer = {
            "  hangar compute list-sizes",
            "  hangar compute list-sizes --location local -o json"})
final class ListSizesCommand extends HangarCommand {
    @Option(names = {"-l", "--location"}, paramLabel = "LOCATION", description = "default: the workspace's location")
    String location;

    @Mixin
    WorkspaceOptions workspace;

    @Mixin
    OutputOptions output;

    @Mixin
    VerboseOptions verbose;

    ListSizesCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        try (var connection = context.connect()) {
            var ref = connection.workspace(workspace);
            var sizes = connection.client().workspace(ref)
                    .vmSizes(location != null ? location : connection.location(ref));
            if (output.json()) {
                printJson(sizes);
                return ExitCodes.OK;
            }
            var table = new Table("NAME", "FAMILY", "VCPUS", "MEMORY GB", "GPUS");
            if (sizes.value() != null) {
                sizes.value().forEach(size -> table.row(size.name(), size.family(), size.vCPUs(), size.memoryGB(),
                        size.gpus()));
            }
            table.print(out());
            return ExitCodes.OK;
        }
    }
}
