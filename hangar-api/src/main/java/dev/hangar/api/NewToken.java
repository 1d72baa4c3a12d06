package dev.hangar.api;

import java.time.Instant;

/** Hangar's own {@code POST /hangar/v1/tokens}: a new API token for the caller (administrators: for anyone). */
public final class NewToken {
    private NewToken() {
    }

    /**
     * @param expiresOn when it stops working (at most three years ahead); absent: in 90 days
     * @param user      whose token (administrators only); absent: the caller's
     */
    public record Request(String name, Instant expiresOn, String user) {
    }

    /** The secret is shown here once and never again. */
    public record Response(TokenInfo token, String secret) {
    }
}
