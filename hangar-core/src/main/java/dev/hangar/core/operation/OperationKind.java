package dev.hangar.core.operation;

import dev.hangar.core.compute.InstanceState;

/** What an operation does to an instance: the state it passes through and the state it ends in. */
public enum OperationKind {
    Create(InstanceState.Creating, InstanceState.Running),
    Start(InstanceState.Starting, InstanceState.Running),
    Stop(InstanceState.Stopping, InstanceState.Stopped),
    Restart(InstanceState.Restarting, InstanceState.Running),
    Delete(InstanceState.Deleting, null),
    /** A change of mutable fields (description, tags): recorded already ended, it never moves the state. */
    Update(null, null);

    private final InstanceState passesThrough;
    private final InstanceState endsIn;

    OperationKind(InstanceState passesThrough, InstanceState endsIn) {
        this.passesThrough = passesThrough;
        this.endsIn = endsIn;
    }

    /** The transitional state, or null for Update. */
    public InstanceState passesThrough() {
        return passesThrough;
    }

    /** The state a successful operation ends in; null for Delete, whose success removes the record, and Update. */
    public InstanceState endsIn() {
        return endsIn;
    }

    /** Whether ARM's {@code lastOperation} shows this kind (it has no name for updates). */
    public boolean isLifecycle() {
        return this != Update;
    }

    /** The ARM {@code lastOperation.operationStatus} of a failed operation of this kind. */
    public String failedStatus() {
        return name() + "Failed";
    }

    /** The kind whose transitional state is {@code state}, if any. */
    public static OperationKind passingThrough(InstanceState state) {
        for (var kind : values()) {
            if (kind.passesThrough != null && kind.passesThrough == state) {
                return kind;
            }
        }
        throw new IllegalArgumentException(state + " is not a state an operation passes through");
    }
}
