package dev.hangar.core.access;

import dev.hangar.core.compute.UserRef;
import java.time.Instant;
import java.util.UUID;

/** A person or service that calls Hangar. {@code admin} users may act on every compute of every workspace. */
public record User(UUID id, String name, String tenantId, boolean admin, Instant createdOn) {

    public UserRef ref() {
        return new UserRef(id, tenantId, name);
    }
}
