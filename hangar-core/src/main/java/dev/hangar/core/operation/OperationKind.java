package dev.hangar.core.operation;

import dev.hangar.core.compute.InstanceState;

/** What an operation does to an instance: the state it passes through and the state it ends in. */
public enum OperationKind {
    Create(InstanceState.Creating, InstanceState.Running),
    Start(InstanceState.Starting, InstanceState.Running),
    Stop(InstanceState.Stopping, InstanceState.Stopped),
    Restart(InstanceState.Restarting, InstanceState.Running),
    Delete(InstanceState.Deleting, null);

    private final InstanceState passesThrough;
    private final InstanceState endsIn;

    OperationKind(InstanceState passesThrough, InstanceState endsIn) {
        this.passesThrough = passesThrough;
        this.endsIn = endsIn;
    }

    public InstanceState passesThrough() {
        return passesThrough;
    }

    /** The state a successful operation ends in; null for Delete, whose success removes the record. */
    public InstanceState endsIn() {
        return endsIn;
    }

    /** The ARM {@code lastOperation.operationStatus} of a failed operation of this kind. */
    public String failedStatus() {
        return name() + "Failed";
    }

    /** The kind whose transitional state is {@code state}, if any. */
    public static OperationKind passingThrough(InstanceState state) {
        for (var kind : values()) {
            if (kind.passesThrough == state) {
                return kind;
            }
        }
        throw new IllegalArgumentException(state + " is not a state an operation passes through");
    }
}
