package dev.hangar.cli;

import dev.hangar.api.OperationStatus;
import dev.hangar.client.ComputeClient;
import dev.hangar.client.LongRunningOperation;
import picocli.CommandLine.Mixin;

/**
 * A command that starts a long-running operation on one compute and, unless {@code --no-wait}, waits for it. The
 * compute is named by the subclass: with {@code -n} (see {@link ActionCommand}), or also by a file ({@code create}).
 */
abstract class OperationCommand extends HangarCommand {
    @Mixin
    WorkspaceOptions workspace;

    @Mixin
    OutputOptions output;

    @Mixin
    WaitOptions waiting;

    @Mixin
    VerboseOptions verbose;

    OperationCommand(CliContext context) {
        super(context);
    }

    /** The compute's name; known when {@link #begin} is called. */
    abstract String name();

    abstract LongRunningOperation begin(ComputeClient computes);

    /** Whether to go on; a destructive command asks first (see {@link ConfirmOptions}). */
    boolean confirmed() {
        return true;
    }

    @Override
    public Integer call() {
        if (!confirmed()) {
            out().printf("Nothing done to compute '%s'.%n", name());
            return ExitCodes.OK;
        }
        try (var connection = context.connect()) {
            var computes = connection.computes(workspace);
            var operation = begin(computes);
            if (waiting.noWait && !operation.isDone()) {
                accepted(operation);
                return ExitCodes.OK;
            }
            // with --output json, stdout is for the JSON alone: states go to stderr, no rewritten status line
            var waiter = context.waiter(output.json() ? err() : out(), output.json() ? null : out(),
                    "waiting for the " + operation.action().verb() + " of " + name(),
                    operation.action() == LongRunningOperation.Action.DETACH ? "Detached" : "Deleted");
            OperationStatus status;
            try {
                status = operation.waitForCompletion(waiting.timeout(), waiter);
            } finally {
                waiter.clear();
            }
            done(computes, operation, status);
            return ExitCodes.OK;
        }
    }

    void accepted(LongRunningOperation operation) {
        if (output.json()) {
            printJson(operation.resource().isPresent() ? operation.resource().get()
                    : new Accepted(operation.action().verb(), name(), "Accepted", operation.statusUri().orElse(null),
                            operation.resultUri().orElse(null)));
        } else {
            out().printf("Accepted: %s of '%s'. Follow it with 'hangar compute show -n %s'.%n",
                    operation.action().verb(), name(), name());
        }
    }

    void done(ComputeClient computes, LongRunningOperation operation, OperationStatus status) {
        var compute = computes.get(name());
        if (output.json()) {
            printJson(compute);
        } else {
            out().printf("Compute '%s' is %s.%n", name(), ComputeView.state(compute));
        }
    }
}
