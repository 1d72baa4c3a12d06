package dev.hangar.core.access;

import java.time.Instant;
import java.util.UUID;

/**
 * An API token as stored: only the SHA-256 of its secret is kept.
 *
 * @param expiresOn when it stops working; null: never (the first token of a user made before tokens expired)
 * @param revokedOn when it was revoked, or null
 */
public record ApiToken(UUID id, UUID userId, String name, String secretHash, Instant createdOn, Instant expiresOn,
                       Instant revokedOn) {

    /** What a token is at {@code now}. */
    public enum State { Active, Expired, Revoked }

    public State state(Instant now) {
        if (revokedOn != null) {
            return State.Revoked;
        }
        return expiresOn != null && !now.isBefore(expiresOn) ? State.Expired : State.Active;
    }

    public ApiToken revoked(Instant at) {
        return new ApiToken(id, userId, name, secretHash, createdOn, expiresOn, at);
    }
}
