package dev.hangar.core.compute;

import dev.hangar.api.ProvisioningState;
import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of a compute instance, and its one transition table.
 *
 * <pre>
 *  Creating ──► Running ◄──────────── Starting ◄── Stopped
 *     │          │  │  └──► Restarting ──┘  ▲         ▲ │
 *     ▼          │  └─────► Stopping ───────┼─────────┘ │
 *  CreateFailed  ▼                          │           │
 *             Unusable                      └───────────┘ (a failed start returns to Stopped)
 *  every state except Deleting ──► Deleting (the record is then removed)
 * </pre>
 *
 * Running, Starting, Restarting and Stopping may fall to Unusable when the backend loses the instance.
 */
public enum InstanceState {
    Creating, Running, Stopping, Stopped, Starting, Restarting, CreateFailed, Unusable, Deleting;

    private static final Set<InstanceState> TRANSITIONAL = EnumSet.of(Creating, Stopping, Starting, Restarting, Deleting);

    /** Whether the table allows moving from this state to {@code to}. */
    public boolean canMoveTo(InstanceState to) {
        return switch (this) {
            case Creating -> to == Running || to == CreateFailed || to == Deleting;
            case Running -> to == Stopping || to == Restarting || to == Unusable || to == Deleting;
            case Stopping -> to == Stopped || to == Unusable || to == Deleting;
            case Stopped -> to == Starting || to == Deleting;
            case Starting -> to == Running || to == Stopped || to == Unusable || to == Deleting;
            case Restarting -> to == Running || to == Unusable || to == Deleting;
            case CreateFailed, Unusable -> to == Deleting;
            case Deleting -> false;
        };
    }

    /** Checks the move against the table. */
    public InstanceState moveTo(InstanceState to) {
        if (!canMoveTo(to)) {
            throw new IllegalTransitionException(this, to);
        }
        return to;
    }

    /** A state an operation passes through; the reconciler drives it to an end state. */
    public boolean isTransitional() {
        return TRANSITIONAL.contains(this);
    }

    /** A state the instance rests in because something failed; only delete is allowed. */
    public boolean isFailed() {
        return this == CreateFailed || this == Unusable;
    }

    /** ARM's {@code provisioningState}, derived from the instance state. */
    public ProvisioningState provisioningState() {
        return switch (this) {
            case Creating -> ProvisioningState.Creating;
            case CreateFailed -> ProvisioningState.Failed;
            case Deleting -> ProvisioningState.Deleting;
            case Running, Stopping, Stopped, Starting, Restarting, Unusable -> ProvisioningState.Succeeded;
        };
    }
}
