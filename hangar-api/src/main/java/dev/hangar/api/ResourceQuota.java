package dev.hangar.api;

/** One line of {@code locations/{loc}/quotas}: a location's or a workspace's limit on cores; -1 for none. */
public record ResourceQuota(String id, String amlWorkspaceLocation, String type, UsageName name, long limit,
                            String unit) {
}
