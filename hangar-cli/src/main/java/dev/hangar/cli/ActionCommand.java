package dev.hangar.cli;

import dev.hangar.api.OperationStatus;
import dev.hangar.client.ComputeClient;
import dev.hangar.client.LongRunningOperation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * start, stop, restart, delete, detach and update of a compute named with {@code -n}: one request each, then the shared
 * wait.
 */
abstract class ActionCommand extends OperationCommand {
    @Option(names = {"-n", "--name"}, required = true, paramLabel = "NAME", description = "the compute's name")
    String name;

    ActionCommand(CliContext context) {
        super(context);
    }

    @Override
    String name() {
        return name;
    }

    @Command(name = "start", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Starts a stopped compute instance.",
            footerHeading = "%nExamples:%n", footer = {"  hangar compute start -n ci1", "  hangar compute start -n ci1 --no-wait -o json"})
    static final class Start extends ActionCommand {
        Start(CliContext context) {
            super(context);
        }

        @Override
        LongRunningOperation begin(ComputeClient computes) {
            return computes.start(name);
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Stops a running compute instance; it keeps its disk and quota.",
            footerHeading = "%nExamples:%n", footer = {"  hangar compute stop -n ci1", "  hangar compute stop -n ci1 --no-wait"})
    static final class Stop extends ActionCommand {
        Stop(CliContext context) {
            super(context);
        }

        @Override
        LongRunningOperation begin(ComputeClient computes) {
            return computes.stop(name);
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Restarts a running compute instance.",
            footerHeading = "%nExamples:%n", footer = {"  hangar compute restart -n ci1"})
    static final class Restart extends ActionCommand {
        Restart(CliContext context) {
            super(context);
        }

        @Override
        LongRunningOperation begin(ComputeClient computes) {
            return computes.restart(name);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Deletes a compute and what backs it. Asks first unless --yes; deleting a compute that"
            + " does not exist succeeds.",
            footerHeading = "%nExamples:%n", footer = {"  hangar compute delete -n ci1",
                "  hangar compute delete -n ci1 --yes --no-wait"})
    static final class Delete extends ActionCommand {
        @Mixin
        ConfirmOptions confirm;

        Delete(CliContext context) {
            super(context);
        }

        @Override
        boolean confirmed() {
            return confirm.confirmed(context.environment(), "delete compute '" + name + "'");
        }

        @Override
        LongRunningOperation begin(ComputeClient computes) {
            return computes.delete(name);
        }

        @Override
        void done(ComputeClient computes, LongRunningOperation operation, OperationStatus status) {
            if (output.json()) {
                printJson(status);
            } else if (operation.isDone()) {
                out().printf("Compute '%s' does not exist: nothing to delete.%n", name);
            } else {
                out().printf("Compute '%s' is deleted.%n", name);
            }
        }
    }

    @Command(name = "detach", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Detaches an attached compute (a Slurm cluster): Hangar forgets it and ends the jobs it runs"
            + " there; the cluster itself is left as it is. Asks first unless --yes; detaching a compute that does"
            + " not exist succeeds. Instances and clusters are deleted, not detached.",
            footerHeading = "%nExamples:%n", footer = {"  hangar compute detach -n hpc",
                "  hangar compute detach -n hpc --yes --no-wait"})
    static final class Detach extends ActionCommand {
        @Mixin
        ConfirmOptions confirm;

        Detach(CliContext context) {
            super(context);
        }

        @Override
        boolean confirmed() {
            return confirm.confirmed(context.environment(), "detach compute '" + name + "'");
        }

        @Override
        LongRunningOperation begin(ComputeClient computes) {
            return computes.detach(name);
        }

        @Override
        void done(ComputeClient computes, LongRunningOperation operation, OperationStatus status) {
            if (output.json()) {
                printJson(status);
            } else if (operation.isDone()) {
                out().printf("Compute '%s' does not exist: nothing to detach.%n", name);
            } else {
                out().printf("Compute '%s' is detached.%n", name);
            }
        }
    }
}
