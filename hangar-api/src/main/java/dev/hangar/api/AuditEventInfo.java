package dev.hangar.api;

import java.time.Instant;

/**
 * One audit event as {@code GET /hangar/v1/events} shows it.
 *
 * @param workspace the workspace's name, or null for what belongs to none (users, tokens, roles)
 * @param result    {@code Succeeded}, {@code Accepted} or {@code Failed}
 * @param status    the HTTP status of a call; null for a state transition
 * @param trigger   {@code User}, {@code Schedule}, {@code IdleShutdown} or {@code System}
 */
public record AuditEventInfo(String id, Instant time, String workspace, String actor, String action, String target,
                             String result, Integer status, String errorCode, String requestId, String trigger,
                             String detail) {
}
