package dev.hangar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "compute", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Create, list, show, start, stop, restart, delete and log in to compute instances, set their idle"
                + " shutdown, keep them alive and read their setup scripts' logs; create, rescale and delete compute"
                + " clusters and list their nodes; attach and detach Slurm clusters.",
        subcommands = {ComputeCreateCommand.class, ComputeListCommand.class, ComputeShowCommand.class,
            ActionCommand.Start.class, ActionCommand.Stop.class, ActionCommand.Restart.class,
            ActionCommand.Delete.class, ComputeUpdateCommand.class, ComputeKeepAliveCommand.class,
            ComputeListNodesCommand.class, ComputeAttachCommand.class, ActionCommand.Detach.class,
            ComputeHistoryCommand.class, ComputeLogsCommand.class, ComputeSshCommand.class, ListSizesCommand.class,
            ListUsageCommand.class},
        footerHeading = "%nExamples:%n", footer = {
            "  hangar compute create -n ci1 -s Standard_DS3_v2",
            "  hangar compute create -n cpu-cluster --type amlcompute -s Standard_DS3_v2 --max-instances 4",
            "  hangar compute attach -n hpc --type slurm --address login1.example \\",
            "      --admin-username svc --ssh-private-key-file ~/.ssh/hangar_svc",
            "  hangar compute logs -n ci1 --setup --follow",
            "  hangar compute keepalive -n ci1 --for 2h",
            "  hangar compute list --mine",
            "  hangar compute stop -n ci1 --no-wait"})
final class ComputeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a compute command is required");
    }
}
