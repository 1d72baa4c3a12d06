package dev.hangar.api;

/** A Hangar user: {@code id} is the object id used by {@code createdBy.userId} and {@code assignedUser.objectId}. */
public record UserInfo(String id, String name, String tenantId, boolean admin) {
}
