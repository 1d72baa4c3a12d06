package dev.hangar.core.job;

import java.util.Set;

/**
 * Which of a workspace's jobs a list shows: those on one compute (by name, case-insensitive; null: any) and in one of
 * some states (empty: any).
 */
public record JobFilter(String computeName, Set<JobStatus> statuses) {
    public static final JobFilter ALL = new JobFilter(null, Set.of());

    public JobFilter {
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
    }
}
