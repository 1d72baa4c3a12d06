package dev.hangar.cli;

import dev.hangar.api.SessionInfo;
import dev.hangar.api.SessionInfo.WorkspaceRef;
import dev.hangar.client.ArmIds;
import dev.hangar.client.ComputeClient;
import dev.hangar.client.HangarClient;
import java.net.URI;
import java.nio.file.Path;

/** A client built from a {@link CliConfig}, the caller's session fetched at most once, and the workspace choice. */
final class Connection implements AutoCloseable {
    private final CliConfig config;
    private final HangarClient client;
    private SessionInfo session;

    private Connection(CliConfig config, HangarClient client) {
        this.config = config;
        this.client = client;
    }

    static Connection open(CliConfig config) {
        if (!config.complete()) {
            throw CliException.notLoggedIn();
        }
        try {
            var builder = HangarClient.builder().server(URI.create(config.server())).token(config.token());
            if (config.insecure()) {
                builder.insecure();
            } else if (config.caCert() != null) {
                builder.caCertificate(Path.of(config.caCert()));
            }
            return new Connection(config, builder.build());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CliException("InvalidSettings", e.getMessage(), ExitCodes.USAGE);
        }
    }

    HangarClient client() {
        return client;
    }

    SessionInfo session() {
        if (session == null) {
            session = client.session();
        }
        return session;
    }

    /** The computes of {@code workspaceId} (an ARM id) or, when {@code null}, of the default workspace. */
    ComputeClient computes(String workspaceId) {
        return client.workspace(workspace(workspaceId));
    }

    /**
     * The workspace {@code workspaceId} names (its location known only when it is the default one), or the saved
     * default workspace, or the server's default for the caller.
     */
    WorkspaceRef workspace(String workspaceId) {
        if (workspaceId != null) {
            WorkspaceRef named;
            try {
                named = ArmIds.parseWorkspace(workspaceId);
            } catch (IllegalArgumentException e) {
                throw new CliException("InvalidWorkspace", e.getMessage(), ExitCodes.USAGE);
            }
            var saved = config.workspace();
            return saved != null && saved.id() != null && saved.id().equalsIgnoreCase(named.id()) ? saved : named;
        }
        if (config.workspace() != null) {
            return config.workspace();
        }
        var fromServer = session().defaultWorkspace();
        if (fromServer == null) {
            throw new CliException("NoWorkspace", "the server names no default workspace for you: pass --workspace "
                    + "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces/{name}",
                    ExitCodes.USAGE);
        }
        return fromServer;
    }

    /** A location for {@code workspace}: its own, else the default workspace's. */
    String location(WorkspaceRef workspace) {
        if (workspace.location() != null) {
            return workspace.location();
        }
        var fallback = config.workspace() != null ? config.workspace() : session().defaultWorkspace();
        if (fallback == null || fallback.location() == null) {
            throw new CliException("NoLocation", "the workspace's location is unknown: pass --location", ExitCodes.USAGE);
        }
        return fallback.location();
    }

    @Override
    public void close() {
        client.close();
    }
}
