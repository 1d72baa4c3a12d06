package dev.hangar.core.quota;

/** How a node is paid for, and so which quota its cores count against. Compute instances are always Dedicated. */
public enum VmPriority {
    Dedicated,
    /** Cheaper nodes the platform may take back (preempt); counted against their own, separate quota. */
    LowPriority
}
