package dev.hangar.server.studio;

/**
 * What the sign-in page shows.
 *
 * @param error        why the last try failed, or null
 * @param next         the path on this server to return to after sign-in
 * @param provider     the OpenID Connect provider's button, or null when none is configured
 * @param rememberDays how long a remembered session lasts
 */
public record SignInForm(String error, String next, Link provider, long rememberDays) {
}
