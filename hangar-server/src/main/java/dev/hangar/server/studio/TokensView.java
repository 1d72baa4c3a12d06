package dev.hangar.server.studio;

import java.util.List;

/**
 * The reader's tokens and sessions, and the secret of one just made (shown this once; else null).
 *
 * @param defaultDays how long a new token lasts unless asked otherwise
 * @param mostDays    the longest a token may last
 */
public record TokensView(Chrome chrome, List<Row> rows, String made, String secret, long defaultDays,
                         long mostDays) {

    /**
     * A token as the page lists it.
     *
     * @param current whether it is the session of the browser reading the page
     * @param revoke  the path its revocation is posted to; null for one that no longer works
     */
    public record Row(String name, String created, String expires, String state, boolean current, String revoke) {
    }
}
