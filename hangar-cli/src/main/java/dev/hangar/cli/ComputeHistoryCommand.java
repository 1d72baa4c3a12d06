package dev.hangar.cli;

import dev.hangar.api.PagedList;
import dev.hangar.api.StateTransitionEntry;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "history", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Shows a compute's state transitions, oldest first.",
        footerHeading = "%nExamples:%n", footer = {
            "  hangar compute history -n ci1",
            "  hangar compute history -n ci1 -o json"})
final class ComputeHistoryCommand extends OneComputeCommand {
    ComputeHistoryCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        try (var connection = context.connect()) {
            var history = connection.computes(workspace).history(name);
            if (output.json()) {
                printJson(new PagedList<>(history, null));
            } else {
                table(history).wide(output.wide).print(out());
            }
            return ExitCodes.OK;
        }
    }

    static Table table(List<StateTransitionEntry> history) {
        var table = new Table("TIME", "FROM", "TO", "REASON", "ACTOR").text("REASON");
        history.forEach(entry -> table.row(entry.time(), entry.from(), entry.to(), entry.reason(), entry.actor()));
        return table;
    }
}
