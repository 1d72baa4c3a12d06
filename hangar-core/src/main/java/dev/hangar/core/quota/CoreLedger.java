package dev.hangar.core.quota;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One location's cores: its limits and what its computes hold, as read in one transaction. Answers how many cores
 * a scope uses and whether more would fit. Immutable.
 */
public final class CoreLedger {
    private final List<QuotaLimit> limits;
    private final List<CoreReservation> reservations;

    public CoreLedger(List<QuotaLimit> limits, List<CoreReservation> reservations) {
        this.limits = List.copyOf(limits);
        this.reservations = List.copyOf(reservations);
    }

    public List<QuotaLimit> limits() {
        return limits;
    }

    public List<CoreReservation> reservations() {
        return reservations;
    }

    /** Cores held in a workspace ({@code workspaceId} null: the whole location) of a family (null: every family). */
    public long used(UUID workspaceId, String family, VmPriority priority) {
        return reservations.stream()
                .filter(r -> r.priority() == priority)
                .filter(r -> workspaceId == null || r.workspaceId().equals(workspaceId))
                .filter(r -> family == null || r.family().equalsIgnoreCase(family))
                .mapToLong(CoreReservation::cores)
                .sum();
    }

    /** The scope's own limit, or {@link QuotaLimit#NONE}. */
    public long limit(UUID workspaceId, String family, VmPriority priority) {
        return limits.stream()
                .filter(l -> Objects.equals(l.workspaceId(), workspaceId) && l.priority() == priority)
                .filter(l -> family == null ? l.family() == null : family.equalsIgnoreCase(l.family()))
                .mapToLong(QuotaLimit::limit)
                .findFirst()
                .orElse(QuotaLimit.NONE);
    }

    /**
     * The first limit {@code cores} more cores of {@code family} in the workspace would break, most specific first:
     * the workspace's quota of the family, the location's quota of the family, the location's total.
     */
    public Optional<Breach> check(UUID workspaceId, String family, VmPriority priority, int cores) {
        return breach(workspaceId, family, priority, cores)
                .or(() -> breach(null, family, priority, cores))
                .or(() -> breach(null, null, priority, cores));
    }

    private Optional<Breach> breach(UUID workspaceId, String family, VmPriority priority, int cores) {
        var limit = limit(workspaceId, family, priority);
        var used = used(workspaceId, family, priority);
        if (limit == QuotaLimit.NONE || used + cores <= limit) {
            return Optional.empty();
        }
        var name = family == null ? QuotaName.total(priority) : QuotaName.of(family, priority);
        return Optional.of(new Breach(workspaceId != null, name, limit, used, cores));
    }

    /** A limit that more cores would break: its name, the limit, what is in use and what was asked for. */
    public record Breach(boolean inWorkspace, String quotaName, long limit, long used, int requested) {
    }
}
