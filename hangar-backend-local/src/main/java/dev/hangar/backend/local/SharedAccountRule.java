package dev.hangar.backend.local;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Which users' instances the host backend runs. With an account of its own for each instance (Hangar runs as root),
 * any user's. Sharing Hangar's account (Hangar does not run as root), each instance can read every other's files and
 * tokens, so only one user's instances run, unless the operator lets users share it
 * ({@link LocalBackendConfig#SHARED_ACCOUNT}).
 *
 * @param separate whether each instance runs as an account of its own
 * @param sharedAllowed whether the operator lets several users' instances share Hangar's account
 */
record SharedAccountRule(boolean separate, boolean sharedAllowed) {

    /** Why an instance of {@code owner} may not run beside instances of {@code others}; empty when it may. */
    Optional<String> refusal(String owner, Supplier<Set<String>> others) {
        if (separate || sharedAllowed) {
            return Optional.empty();
        }
        var strangers = new TreeSet<>(others.get());
        strangers.remove(owner);
        if (strangers.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("The local backend runs every instance as Hangar's own account, since Hangar does not run"
                + " as root, and it runs instances of " + String.join(", ", strangers) + ": an instance of " + owner
                + " could read their files and tokens. Run Hangar as root, so that each instance runs as an account of"
                + " its own, or let users share Hangar's account with the setting backend.local."
                + LocalBackendConfig.SHARED_ACCOUNT + "=true (HANGAR_BACKEND_LOCAL_SHARED_ACCOUNT).");
    }
}
