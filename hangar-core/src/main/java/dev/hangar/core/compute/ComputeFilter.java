package dev.hangar.core.compute;

import java.util.Locale;
import java.util.UUID;

/**
 * Which of a workspace's computes a list shows: by user object id, those {@code createdBy} made, those assigned to
 * {@code assignedTo}, those {@code user} made or was given; and those whose name contains {@code nameContains}
 * (case-insensitively). A null field does not filter.
 */
public record ComputeFilter(UUID createdBy, UUID assignedTo, UUID user, String nameContains) {
    public static final ComputeFilter NONE = new ComputeFilter(null, null, null, null);

    public ComputeFilter {
        nameContains = nameContains == null || nameContains.isBlank() ? null
                : nameContains.strip().toLowerCase(Locale.ROOT);
    }

    public ComputeFilter(UUID createdBy, UUID assignedTo, UUID user) {
        this(createdBy, assignedTo, user, null);
    }

    /** This filter, and only names containing {@code text} (all names when it is blank). */
    public ComputeFilter named(String text) {
        return new ComputeFilter(createdBy, assignedTo, user, text);
    }
}
