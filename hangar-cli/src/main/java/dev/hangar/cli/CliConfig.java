package dev.hangar.cli;

import dev.hangar.api.SessionInfo.WorkspaceRef;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code hangar login} saves and the other commands use: where the server is, how to trust it, the token, and
 * the default workspace. Stored as JSON in {@code ~/.hangar/config.json} (mode 600).
 *
 * @param caCert    absolute path of the PEM file to trust, or {@code null}
 * @param workspace     the default workspace, or {@code null} to ask the server
 * @param sshIdentities the private key {@code compute ssh -i} last named for a compute, by {@link #computeKey}
 */
record CliConfig(String server, String token, String caCert, boolean insecure, WorkspaceRef workspace,
                 Map<String, String> sshIdentities) {

    CliConfig {
        sshIdentities = sshIdentities == null ? Map.of() : Map.copyOf(sshIdentities);
    }

    CliConfig(String server, String token, String caCert, boolean insecure, WorkspaceRef workspace) {
        this(server, token, caCert, insecure, workspace, Map.of());
    }

    CliConfig withWorkspace(WorkspaceRef workspace) {
        return new CliConfig(server, token, caCert, insecure, workspace, sshIdentities);
    }

    /** This configuration with {@code identity} remembered for the compute {@code key}. */
    CliConfig withSshIdentity(String key, String identity) {
        var identities = new TreeMap<>(sshIdentities);
        identities.put(key, identity);
        return new CliConfig(server, token, caCert, insecure, workspace, identities);
    }

    /** This configuration with the SSH identities of {@code previous}, when it is of the same server. */
    CliConfig keepingSshIdentitiesOf(CliConfig previous) {
        return previous == null || server == null || !server.equals(previous.server()) ? this
                : new CliConfig(server, token, caCert, insecure, workspace, previous.sshIdentities());
    }

    /** The key of a compute in {@link #sshIdentities}: its workspace's ARM id, in lower case, and its name. */
    static String computeKey(WorkspaceRef workspace, String compute) {
        return workspace.id().toLowerCase(Locale.ROOT) + "/computes/" + compute;
    }

    /** This configuration overridden by the {@code HANGAR_SERVER}, {@code HANGAR_TOKEN} and {@code HANGAR_CA_CERT}. */
    CliConfig overriddenBy(CliEnvironment environment) {
        var caCertVariable = environment.variable("HANGAR_CA_CERT");
        return new CliConfig(
                firstNonNull(environment.variable("HANGAR_SERVER"), server),
                firstNonNull(environment.variable("HANGAR_TOKEN"), token),
                firstNonNull(caCertVariable, caCert),
                caCertVariable == null && insecure,
                workspace, sshIdentities);
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
