package dev.hangar.core.compute;

import java.util.UUID;

/** A user as a compute records it: object id, tenant id and name. */
public record UserRef(UUID objectId, String tenantId, String name) {
}
