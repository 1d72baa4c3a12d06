package dev.hangar.cli;

import dev.hangar.api.SessionInfo.WorkspaceRef;

/**
 * What {@code hangar login} saves and the other commands use: where the server is, how to trust it, the token, and
 * the default workspace. Stored as JSON in {@code ~/.hangar/config.json} (mode 600).
 *
 * @param caCert    absolute path of the PEM file to trust, or {@code null}
 * @param workspace the default workspace, or {@code null} to ask the server
 */
record CliConfig(String server, String token, String caCert, boolean insecure, WorkspaceRef workspace) {

    CliConfig withWorkspace(WorkspaceRef workspace) {
        return new CliConfig(server, token, caCert, insecure, workspace);
    }

    /** This configuration overridden by the {@code HANGAR_SERVER}, {@code HANGAR_TOKEN} and {@code HANGAR_CA_CERT}. */
    CliConfig overriddenBy(CliEnvironment environment) {
        var caCertVariable = environment.variable("HANGAR_CA_CERT");
        return new CliConfig(
                firstNonNull(environment.variable("HANGAR_SERVER"), server),
                firstNonNull(environment.variable("HANGAR_TOKEN"), token),
                firstNonNull(caCertVariable, caCert),
                caCertVariable == null && insecure,
                workspace);
    }

    boolean complete() {
        return server != null && token != null;
    }

    static CliConfig empty() {
        return new CliConfig(null, null, null, false, null);
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
