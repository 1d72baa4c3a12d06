package dev.hangar.core.job;

import java.util.Set;
import java.util.UUID;

/**
 * Which of a workspace's jobs a list shows: those on one compute (by name, case-insensitive; null: any), in one of
 * some states (empty: any) and submitted by one user (by object id; null: anyone).
 */
public record JobFilter(String computeName, Set<JobStatus> statuses, UUID createdBy) {
    public static final JobFilter ALL = new JobFilter(null, Set.of(), null);

    public JobFilter {
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
    }

    public JobFilter(String computeName, Set<JobStatus> statuses) {
        this(computeName, statuses, null);
    }
}
