package dev.hangar.api;

/**
 * Hangar's own {@code GET /hangar/v1/session}: who the caller is and the workspace clients use when none is named.
 */
public record SessionInfo(UserInfo user, WorkspaceRef defaultWorkspace, String serverVersion) {

    /** A workspace's coordinates: enough to build every ARM path under it. */
    public record WorkspaceRef(String id, String subscriptionId, String resourceGroup, String name, String location) {
    }
}
