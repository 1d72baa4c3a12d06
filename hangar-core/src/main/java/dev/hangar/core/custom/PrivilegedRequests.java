package dev.hangar.core.custom;

/**
 * What a request for a privileged custom service ({@code docker.privileged: true}) gets. Hangar never runs one: a
 * privileged container is root on the machine every instance shares. azure-ai-ml (and so {@code az ml}) asks for
 * privileged containers for every custom application, whatever its YAML says, so an operator whose users come through
 * it may have such requests run without privileges instead of refused.
 */
public enum PrivilegedRequests {
    /** Refused with {@link CustomServiceRules#PRIVILEGED_REFUSED} (the default). */
    REFUSE,
    /** Taken, and run without privileges, as every custom service is; the compute then says {@code privileged: false}. */
    RUN_UNPRIVILEGED;

    /** The configuration's spelling: {@code refuse} or {@code unprivileged}. */
    public static PrivilegedRequests parse(String value) {
        return switch (value == null ? "" : value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "", "refuse" -> REFUSE;
            case "unprivileged" -> RUN_UNPRIVILEGED;
            default -> throw new IllegalArgumentException("custom-services.privileged must be refuse or unprivileged,"
                    + " not '" + value + "'");
        };
    }
}
