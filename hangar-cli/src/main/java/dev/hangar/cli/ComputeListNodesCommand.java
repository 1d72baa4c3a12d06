package dev.hangar.cli;

import dev.hangar.api.AmlComputeNodesInformation;
import picocli.CommandLine.Command;

@Command(name = "list-nodes", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Lists a compute cluster's nodes: each one's state and the job it runs.",
        footerHeading = "%nExamples:%n", footer = {
            "  hangar compute list-nodes -n cpu-cluster",
            "  hangar compute list-nodes -n cpu-cluster -o json"})
final class ComputeListNodesCommand extends OneComputeCommand {
    ComputeListNodesCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        try (var connection = context.connect()) {
            var nodes = connection.computes(workspace.id).listNodes(name);
            if (output.json()) {
                printJson(new AmlComputeNodesInformation(nodes, null));
                return ExitCodes.OK;
            }
            var table = new Table("NODE ID", "STATE", "JOB");
            nodes.forEach(node -> table.row(node.nodeId(), node.nodeState(), node.runId()));
            table.print(out());
            return ExitCodes.OK;
        }
    }
}
