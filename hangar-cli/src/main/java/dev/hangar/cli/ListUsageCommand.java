package dev.hangar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list-usage", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Lists the cores a location's computes hold against their quotas.",
        footerHeading = "%nExamples:%n", footer = {
            "  hangar compute list-usage",
            "  hangar compute list-usage --all -o json"})
final class ListUsageCommand extends HangarCommand {
    @Option(names = {"-l", "--location"}, paramLabel = "LOCATION", description = "default: the workspace's location")
    String location;

    @Option(names = "--all", description = "also each compute's cores")
    boolean all;

    @Mixin
    WorkspaceOptions workspace;

    @Mixin
    OutputOptions output;

    @Mixin
    VerboseOptions verbose;

    ListUsageCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        try (var connection = context.connect()) {
            var ref = connection.workspace(workspace);
            var usages = connection.client().quotas(ref, location != null ? location : connection.location(ref))
                    .usages(all);
            if (output.json()) {
                printJson(usages);
                return ExitCodes.OK;
            }
            var table = new Table("QUOTA", "SCOPE", "CURRENT", "LIMIT");
            usages.forEach(usage -> table.row(usage.name().value(), QuotaCommand.scope(usage.id()),
                    usage.currentValue(), usage.limit() < 0 ? "none" : usage.limit()));
            table.print(out());
            return ExitCodes.OK;
        }
    }
}
