package dev.hangar.core.quota;

import dev.hangar.core.workspace.Workspace;

/**
 * One quota as {@code quotas} lists it: a location's ({@code workspace} null) or a workspace's limit on the cores of
 * a family (or of all families, {@code family} null) of one priority; {@link QuotaLimit#NONE} when it has none.
 */
public record Quota(Workspace workspace, String family, VmPriority priority, long limit) {

    public String quotaName() {
        return family == null ? QuotaName.total(priority) : QuotaName.of(family, priority);
    }
}
