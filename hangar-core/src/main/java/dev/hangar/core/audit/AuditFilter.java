package dev.hangar.core.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * Which events to read, newest first. Every field but {@code limit} may be null (no condition); {@code actor} and
 * {@code result} match whole values (ignoring case), {@code action} and {@code target} any part.
 *
 * @param workspaceId    one workspace's events; null with {@code allWorkspaces}: every event
 * @param allWorkspaces  every event, also those of no workspace (administrators only)
 */
public record AuditFilter(UUID workspaceId, boolean allWorkspaces, Instant since, Instant until, String actor,
                          String action, String target, String result, int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
}
