package dev.hangar.core.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * One thing that happened: a call that changed something (or tried to), or a state an instance reached.
 *
 * @param workspaceId the workspace it happened in; null for what belongs to none (users, tokens, roles)
 * @param actor       who: a user's name, {@code anonymous} for a call without a valid credential, {@code hangar} for
 *                    Hangar's own reconciler
 * @param action      the Azure action string of the call (or {@code METHOD /path/template} for Hangar's own calls
 *                    without one), or {@link #STATE_TRANSITION}
 * @param target      the path called, or the compute whose state changed
 * @param result      {@code Succeeded}, {@code Accepted} (a long-running operation began) or {@code Failed}
 * @param status      the HTTP status of a call; null for a transition
 * @param errorCode   the error's stable code when it failed
 * @param requestId   the call's {@code x-ms-request-id}
 * @param trigger     {@code User}, {@code Schedule}, {@code IdleShutdown} or {@code System}
 * @param detail      for a transition: from and to, and why
 */
public record AuditEvent(UUID id, Instant at, UUID workspaceId, String actor, String action, String target,
                         String result, Integer status, String errorCode, String requestId, String trigger,
                         String detail) {
    /** The action of an instance reaching a state. */
    public static final String STATE_TRANSITION = "Hangar/computes/stateTransition";
}
