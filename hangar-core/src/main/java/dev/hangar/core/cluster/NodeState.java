package dev.hangar.core.cluster;

import java.util.Locale;

/**
 * The states of a cluster node, as {@code listNodes} names them (in lower case on the wire).
 *
 * <pre>
 *  Preparing ──► Idle ◄──► Running
 *      │          │           │
 *      ▼          ▼           ▼
 *  Unusable    Leaving     Preempted (a low-priority node taken back while it ran; its job is queued again)
 * </pre>
 * A node in any state may be removed; Unusable and Preempted nodes are removed and replaced as the scale needs.
 */
public enum NodeState {
    Preparing, Idle, Running, Leaving, Unusable, Preempted;

    /** The name {@code listNodes} and {@code nodeStateCounts} use. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the node counts toward the cluster's nodes: it is, or is becoming, able to run a job. */
    public boolean isLive() {
        return this == Preparing || this == Idle || this == Running;
    }
}
