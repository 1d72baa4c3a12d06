package dev.hangar.api;

/** Hangar's own {@code POST /hangar/v1/users}: creates a user and its first API token (admins only). */
public final class NewUser {
    private NewUser() {
    }

    public record Request(String name, Boolean admin) {
    }

    /** The token secret is shown here once and never again. */
    public record Response(UserInfo user, String token) {
    }
}
