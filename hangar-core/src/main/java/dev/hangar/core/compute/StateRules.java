package dev.hangar.core.compute;

import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.operation.OperationKind;

/** The state an instance must be in for a user's start, stop or restart, with the error users see otherwise. */
final class StateRules {
    private StateRules() {
    }

    static void check(OperationKind kind, ComputeInstance compute) {
        var state = compute.state();
        if (state.isFailed()) {
            throw ApiException.conflict(ErrorCodes.INSTANCE_FAILED, "Compute instance '" + compute.name() + "' is in '"
                    + state + "' state; the only action allowed is delete.");
        }
        switch (kind) {
            case Start -> require(state == InstanceState.Stopped, ErrorCodes.START_ONLY_WHEN_STOPPED,
                    "Start Azure ML Compute Instance is only allowed when the instance " + compute.name()
                            + " is in 'stopped' state; it is '" + state + "'.");
            case Stop -> require(state == InstanceState.Running || state == InstanceState.SetupFailed,
                    ErrorCodes.STOP_ONLY_WHEN_RUNNING,
                    "Stop is only allowed when the instance " + compute.name() + " is in 'running' state; it is '"
                            + state + "'.");
            case Restart -> require(state == InstanceState.Running || state == InstanceState.SetupFailed,
                    ErrorCodes.RESTART_ONLY_WHEN_RUNNING,
                    "Restart is only allowed when the instance " + compute.name() + " is in 'running' state; it is '"
                            + state + "'.");
            case Create, Delete, Update -> throw new IllegalArgumentException(kind + " has no state rule here");
        }
    }

    private static void require(boolean allowed, String code, String message) {
        if (!allowed) {
            throw ApiException.conflict(code, message);
        }
    }
}
