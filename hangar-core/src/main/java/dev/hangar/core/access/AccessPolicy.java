package dev.hangar.core.access;

import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;

/**
 * Who may do what. Admins manage every compute; other users manage the instances they own (created, or were assigned).
 * An instance's apps open only for its owner: the assigned user when one is set, else the creator. Not even an admin
 * gets into another user's Jupyter.
 */
public final class AccessPolicy {

    /** Refuses {@code action} on {@code compute} unless {@code caller} may manage it. */
    public void requireManage(User caller, Action action, ComputeInstance compute, String scope) {
        if (caller.admin() || owns(caller, compute) || created(caller, compute)) {
            return;
        }
        throw refusal(caller, action, scope);
    }

    /** Refuses anyone but the owner of the instance's apps. */
    public void requireAppAccess(User caller, ComputeInstance compute, String scope) {
        if (!owns(caller, compute)) {
            throw refusal(caller, Action.APPLICATION_ACCESS, scope);
        }
    }

    /** Refuses non-admins an action reserved to administrators. */
    public void requireAdmin(User caller, Action action, String scope) {
        if (!caller.admin()) {
            throw refusal(caller, action, scope);
        }
    }

    private static boolean owns(User caller, ComputeInstance compute) {
        return compute.owner() != null && caller.id().equals(compute.owner().objectId());
    }

    private static boolean created(User caller, ComputeInstance compute) {
        return compute.createdBy() != null && caller.id().equals(compute.createdBy().objectId());
    }

    private static ApiException refusal(User caller, Action action, String scope) {
        return ApiException.forbidden(ErrorCodes.AUTHORIZATION_FAILED, "The client '" + caller.name()
                + "' with object id '" + caller.id() + "' does not have authorization to perform action '"
                + action.azureName() + "' over scope '" + scope + "'.");
    }
}
