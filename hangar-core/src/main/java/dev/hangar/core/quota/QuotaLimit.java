package dev.hangar.core.quota;

import java.util.UUID;

/**
 * A limit on cores: of one VM family ({@code family}) or of all families ({@code family} null, location-wide only),
 * of one priority, in a whole location of a subscription ({@code workspaceId} null) or in one workspace there.
 * Without a limit row a scope has no limit of its own ({@link #NONE}).
 */
public record QuotaLimit(String subscriptionId, String location, UUID workspaceId, String family, VmPriority priority,
                         long limit) {
    /** Azure's way of saying "no limit of its own". */
    public static final long NONE = -1;

    public QuotaLimit {
        if (workspaceId != null && family == null) {
            throw new IllegalArgumentException("A workspace's quota is per VM family.");
        }
    }
}
