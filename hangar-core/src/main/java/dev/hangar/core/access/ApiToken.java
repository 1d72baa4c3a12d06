package dev.hangar.core.access;

import java.time.Instant;
import java.util.UUID;

/** An API token as stored: only the SHA-256 of its secret is kept. */
public record ApiToken(UUID id, UUID userId, String name, String secretHash, Instant createdOn) {
}
