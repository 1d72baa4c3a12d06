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
 * Running, Starting, Restarting and Stopping may fall to Unusable when the backend loses the instance. An instance
 * with setup scripts passes through SettingUp on its way to Running from Creating, Starting and Restarting, while its
 * scripts run; a script that fails leaves it in SetupFailed, running and reachable, from which it may be stopped,
 * restarted or deleted:
 *
 * <pre>
 *  Creating, Starting, Restarting ──► SettingUp ──► Running
 *                                         └───────► SetupFailed ──► Stopping, Restarting
 * </pre>
 */
public enum InstanceState {
    Creating, Running, Stopping, Stopped, Starting, Restarting, SettingUp, SetupFailed, CreateFailed, Unusable,
    Deleting;

    private static final Set<InstanceState> TRANSITIONAL = EnumSet.of(Creating, Stopping, Starting, Restarting,
            SettingUp, Deleting);
    private static final Set<InstanceState> REACHABLE = EnumSet.of(Running, SettingUp, SetupFailed);

    /** Whether the table allows moving from this state to {@code to}. */
    public boolean canMoveTo(InstanceState to) {
        return switch (this) {
            case Creating -> to == Running || to == SettingUp || to == CreateFailed || to == Deleting;
            case Running -> to == Stopping || to == Restarting || to == Unusable || to == Deleting;
            case Stopping -> to == Stopped || to == Unusable || to == Deleting;
            case Stopped -> to == Starting || to == Deleting;
            case Starting -> to == Running || to == SettingUp || to == Stopped || to == Unusable || to == Deleting;
            case Restarting -> to == Running || to == SettingUp || to == Unusable || to == Deleting;
            case SettingUp -> to == Running || to == SetupFailed || to == Unusable || to == Deleting;
            case SetupFailed -> to == Stopping || to == Restarting || to == Unusable || to == Deleting;
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

    /**
     * Whether the instance runs and may be reached: its apps, terminal and SSH. A setup that failed leaves it so, for
     * its owner to see why; jobs run only on a {@code Running} one.
     */
    public boolean isReachable() {
        return REACHABLE.contains(this);
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
            case Running, Stopping, Stopped, Starting, Restarting, SettingUp, SetupFailed, Unusable ->
                    ProvisioningState.Succeeded;
        };
    }
}
