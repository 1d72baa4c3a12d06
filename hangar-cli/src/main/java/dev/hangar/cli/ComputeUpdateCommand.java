package dev.hangar.cli;

import dev.hangar.client.ComputeClient;
import dev.hangar.client.LongRunningOperation;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "update", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Changes a compute cluster's scale settings; what is not given keeps its value. The nodes follow"
                + " in the background.",
        footerHeading = "%nExamples:%n", footer = {
            "  hangar compute update -n cpu-cluster --max-instances 8",
            "  hangar compute update -n cpu-cluster --min-instances 1 \\",
            "      --idle-time-before-scale-down 600"})
final class ComputeUpdateCommand extends ActionCommand {
    @Option(names = "--min-instances", paramLabel = "N", description = "the nodes kept even when idle")
    Integer minInstances;

    @Option(names = "--max-instances", paramLabel = "N", description = "the most nodes")
    Integer maxInstances;

    @Option(names = "--idle-time-before-scale-down", paramLabel = "SECONDS",
            description = "how long a node above the minimum stays idle before it is removed")
    Integer idleTimeBeforeScaleDown;

    ComputeUpdateCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        if (minInstances == null && maxInstances == null && idleTimeBeforeScaleDown == null) {
            throw new ParameterException(spec.commandLine(), "nothing to update: give --min-instances,"
                    + " --max-instances or --idle-time-before-scale-down");
        }
        if (idleTimeBeforeScaleDown != null && idleTimeBeforeScaleDown < 0) {
            throw new ParameterException(spec.commandLine(), "--idle-time-before-scale-down is 0 seconds or more");
        }
        return super.call();
    }

    @Override
    LongRunningOperation begin(ComputeClient computes) {
        return computes.rescaleCluster(name, minInstances, maxInstances,
                idleTimeBeforeScaleDown == null ? null : Duration.ofSeconds(idleTimeBeforeScaleDown));
    }
}
