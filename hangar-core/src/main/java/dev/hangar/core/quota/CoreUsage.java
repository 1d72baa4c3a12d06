package dev.hangar.core.quota;

import dev.hangar.core.workspace.Workspace;

/**
 * One line of a location's usage: the cores of one family (or of all, {@code family} null) and priority held in the
 * location, in one workspace, or by one compute, beside the limit that applies there ({@link QuotaLimit#NONE}: none).
 */
public record CoreUsage(Workspace workspace, String computeName, String family, VmPriority priority, long current,
                        long limit) {

    /** The quota name the line counts against. */
    public String quotaName() {
        return family == null ? QuotaName.total(priority) : QuotaName.of(family, priority);
    }
}
