package dev.hangar.api;

import java.time.Instant;

/**
 * An API token as {@code /hangar/v1/tokens} shows it: never its secret.
 *
 * @param expiresOn null: it never expires (a user's first token)
 * @param state     {@code Active}, {@code Expired} or {@code Revoked}
 */
public record TokenInfo(String id, String name, String userId, Instant createdOn, Instant expiresOn,
                        Instant revokedOn, String state) {
}
