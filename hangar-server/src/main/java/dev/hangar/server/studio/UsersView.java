package dev.hangar.server.studio;

import java.util.List;

/**
 * The server's users, the roles the form offers in {@code workspace}, and the user just made with their first token
 * (shown this once; else nulls).
 */
public record UsersView(Chrome chrome, List<Row> rows, List<String> roles, String workspace, String made,
                        String token) {

    /** A user as the page lists them. */
    public record Row(String name, String id, boolean admin, String created) {
    }
}
