package dev.hangar.core.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * Which events to read, newest first. Every field but {@code limit} and {@code skip} may be null (no condition);
 * {@code actor} and {@code result} match whole values (ignoring case), {@code action} and {@code target} any part.
 *
 * @param workspaceId    one workspace's events; null with {@code allWorkspaces}: every event
 * @param allWorkspaces  every event, also those of no workspace (administrators only)
 * @param skip           how many of the newest matching events to pass over (a page's start); with {@code until}
 *                       fixed at the first page's reading, later events do not shift the pages
 */
public record AuditFilter(UUID workspaceId, boolean allWorkspaces, Instant since, Instant until, String actor,
                          String action, String target, String result, int limit, int skip) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    /** The most events passed over: deeper than this, narrow the time range instead. */
    public static final int MAX_SKIP = 100_000;

    /** The newest {@code limit} events that match. */
    public AuditFilter(UUID workspaceId, boolean allWorkspaces, Instant since, Instant until, String actor,
                       String action, String target, String result, int limit) {
        this(workspaceId, allWorkspaces, since, until, actor, action, target, result, limit, 0);
    }
}
