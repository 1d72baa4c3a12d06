package dev.hangar.server.ssh;

import java.util.Optional;

/**
 * The SSH login name, which names the instance: {@code <compute>.<workspace>}, or the bare {@code <compute>} when only
 * one workspace has a compute of that name. Neither name may contain a dot, so the first dot splits them.
 *
 * @param workspace null when the login names the compute alone
 */
record Login(String compute, String workspace) {

    static Optional<Login> parse(String user) {
        if (user == null || user.isBlank()) {
            return Optional.empty();
        }
        var dot = user.indexOf('.');
        if (dot < 0) {
            return Optional.of(new Login(user, null));
        }
        var compute = user.substring(0, dot);
        var workspace = user.substring(dot + 1);
        if (compute.isEmpty() || workspace.isEmpty() || workspace.contains(".")) {
            return Optional.empty();
        }
        return Optional.of(new Login(compute, workspace));
    }

    /** The login name that names this instance in any case: {@code <compute>.<workspace>}. */
    static String of(String compute, String workspace) {
        return compute + "." + workspace;
    }
}
