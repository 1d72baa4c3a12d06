package dev.hangar.api;

/** Hangar's own {@code POST /hangar/v1/users}: creates a user and its first API token (admins only). */
public final class NewUser {
    private NewUser() {
    }

    /**
     * @param role a role (built-in or custom, by name) to give the user in the server's default workspace; none when
     *             null, and the user can then do nothing there until someone assigns one
     */
    public record Request(String name, Boolean admin, String role) {
        public Request(String name, Boolean admin) {
            this(name, admin, null);
        }
    }

    /** The token secret is shown here once and never again. */
    public record Response(UserInfo user, String token) {
    }
}
