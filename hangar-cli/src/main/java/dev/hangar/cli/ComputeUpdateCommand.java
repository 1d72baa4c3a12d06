package dev.hangar.cli;

import dev.hangar.api.OperationStatus;
import dev.hangar.client.ComputeClient;
import dev.hangar.client.LongRunningOperation;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "update", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Changes a compute cluster's scale settings, or a compute instance's idle shutdown. A cluster"
                + " keeps the value of what is not given, and its nodes follow in the background.",
        footerHeading = "%nExamples:%n", footer = {
            "  hangar compute update -n cpu-cluster --max-instances 8",
            "  hangar compute update -n cpu-cluster --min-instances 1 \\",
            "      --idle-time-before-scale-down 600",
            "  hangar compute update -n ci1 --idle-time-before-shutdown-minutes 120",
            "  hangar compute update -n ci1 --no-idle-shutdown"})
final class ComputeUpdateCommand extends ActionCommand {
    @Option(names = "--min-instances", paramLabel = "N", description = "clusters: the nodes kept even when idle")
    Integer minInstances;

    @Option(names = "--max-instances", paramLabel = "N", description = "clusters: the most nodes")
    Integer maxInstances;

    @Option(names = "--idle-time-before-scale-down", paramLabel = "SECONDS",
            description = "clusters: how long a node above the minimum stays idle before it is removed")
    Integer idleTimeBeforeScaleDown;

    @Mixin
    IdleTimeOptions idleTime;

    @Option(names = "--no-idle-shutdown", description = "instances: turn idle shutdown off")
    boolean noIdleShutdown;

    /** Whether an instance's idle shutdown is updated rather than a cluster's scale settings: the options say. */
    private boolean idleShutdown;

    ComputeUpdateCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        var scale = minInstances != null || maxInstances != null || idleTimeBeforeScaleDown != null;
        idleShutdown = idleTime.given() || noIdleShutdown;
        if (!scale && !idleShutdown) {
            throw new ParameterException(spec.commandLine(), "nothing to update: give --min-instances,"
                    + " --max-instances or --idle-time-before-scale-down for a cluster, or"
                    + " --idle-time-before-shutdown-minutes, --idle-time-before-shutdown or --no-idle-shutdown for an"
                    + " instance");
        }
        if (scale && idleShutdown) {
            throw new ParameterException(spec.commandLine(), "scale settings are a cluster's and idle shutdown an"
                    + " instance's: give the options of one");
        }
        if (idleTime.idleTime(spec) != null && noIdleShutdown) {
            throw new ParameterException(spec.commandLine(), "--no-idle-shutdown and an idle time exclude each other");
        }
        if (idleTimeBeforeScaleDown != null && idleTimeBeforeScaleDown < 0) {
            throw new ParameterException(spec.commandLine(), "--idle-time-before-scale-down is 0 seconds or more");
        }
        return super.call();
    }

    /** A cluster's options on an instance are refused here, an instance's on a cluster by the server. */
    @Override
    LongRunningOperation begin(ComputeClient computes) {
        if (idleShutdown) {
            return computes.updateIdleShutdown(name, noIdleShutdown ? null : idleTime.idleTime(spec));
        }
        return computes.rescaleCluster(name, minInstances, maxInstances,
                idleTimeBeforeScaleDown == null ? null : Duration.ofSeconds(idleTimeBeforeScaleDown));
    }

    /** An instance's idle shutdown as the server's answer has it, {@code Compute 'ci1': idle shutdown off.} */
    @Override
    void done(ComputeClient computes, LongRunningOperation operation, OperationStatus status) {
        var compute = operation.resource();
        if (!idleShutdown || compute.isEmpty()) {
            super.done(computes, operation, status);
        } else if (output.json()) {
            printJson(compute.get());
        } else {
            out().printf("Compute '%s': idle shutdown %s.%n", name, ComputeView.idleShutdown(compute.get()));
        }
    }
}
