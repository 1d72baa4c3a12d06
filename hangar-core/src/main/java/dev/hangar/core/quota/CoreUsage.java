package dev.hangar.core.quota;

import dev.hangar.core.workspace.Workspace;

/**
 * One line of a location's usage: the cores of one family (or of all, {@code family} null) and priority held in the
 * location, in one workspace, or by one compute, beside the limit that applies there ({@link QuotaLimit#NONE}: none).
 *
 * @param attachedKind for an attached compute's line, its kind: it runs on nodes of its own and holds no cores here,
 *                     so it is listed with none and no limit; null for every other line
 */
public record CoreUsage(Workspace workspace, String computeName, String family, VmPriority priority, long current,
                        long limit, String attachedKind) {

    public CoreUsage(Workspace workspace, String computeName, String family, VmPriority priority, long current,
                     long limit) {
        this(workspace, computeName, family, priority, current, limit, null);
    }

    /** An attached compute's line: listed, holding no cores, under no limit. */
    public static CoreUsage attached(Workspace workspace, String computeName, String kind) {
        return new CoreUsage(workspace, computeName, null, VmPriority.Dedicated, 0, QuotaLimit.NONE, kind);
    }

    /** The quota name the line counts against; an attached compute's counts against none. */
    public String quotaName() {
        if (attachedKind != null) {
            return QuotaName.attached(attachedKind);
        }
        return family == null ? QuotaName.total(priority) : QuotaName.of(family, priority);
    }
}
