package dev.hangar.cli;

import dev.hangar.api.AmlComputeNodesInformation;
import picocli.CommandLine.Command;

@Command(name = "list-nodes", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Lists a compute cluster's nodes, or an attached Slurm cluster's (with their addresses): each"
                + " one's state and the jobs it runs.",
        footerHeading = "%nExamples:%n", footer = {
            "  hangar compute list-nodes -n cpu-cluster",
            "  hangar compute list-nodes -n hpc",
            "  hangar compute list-nodes -n cpu-cluster -o json"})
final class ComputeListNodesCommand extends OneComputeCommand {
    ComputeListNodesCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        try (var connection = context.connect()) {
            var nodes = connection.computes(workspace).listNodes(name);
            if (output.json()) {
                printJson(new AmlComputeNodesInformation(nodes, null));
                return ExitCodes.OK;
            }
            // A cluster's nodes are reached only through Hangar (loopback addresses); an attached Slurm's have their own.
            var addressed = nodes.stream().anyMatch(node -> isReachable(node.privateIpAddress()));
            var table = addressed ? new Table("NODE ID", "STATE", "ADDRESS", "JOB") : new Table("NODE ID", "STATE", "JOB");
            for (var node : nodes) {
                if (addressed) {
                    table.row(node.nodeId(), node.nodeState(), node.privateIpAddress(), jobs(node.runId()));
                } else {
                    table.row(node.nodeId(), node.nodeState(), jobs(node.runId()));
                }
            }
            table.print(out());
            return ExitCodes.OK;
        }
    }

    private static boolean isReachable(String address) {
        return address != null && !address.isBlank() && !address.startsWith("127.") && !address.equals("::1")
                && !address.equalsIgnoreCase("localhost");
    }

    /** A node's jobs: Slurm's comma-joined names, {@code a,b}, as {@code a, b}. */
    private static String jobs(String runId) {
        return runId == null ? null : String.join(", ", runId.split(",\\s*"));
    }
}
