package dev.hangar.core.compute;

import java.util.UUID;

/**
 * Which of a workspace's computes a list shows, by user object id: those {@code createdBy} made, those assigned to
 * {@code assignedTo}, those {@code user} made or was given; a null field does not filter.
 */
public record ComputeFilter(UUID createdBy, UUID assignedTo, UUID user) {
    public static final ComputeFilter NONE = new ComputeFilter(null, null, null);
}
