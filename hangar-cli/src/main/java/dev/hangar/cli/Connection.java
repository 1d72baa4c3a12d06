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

    /** The computes of the workspace {@code chosen} names or, when {@code null} or empty, of the default workspace. */
    ComputeClient computes(WorkspaceOptions chosen) {
        return client.workspace(workspace(chosen));
    }

    /**
     * The workspace {@code chosen} names, as {@code az ml} takes it: {@code -w NAME} in the resource group {@code -g}
     * (default: the default workspace's) and the default workspace's subscription, or {@code -w} an ARM id. Its
     * location is known only when it is the default workspace. Without a choice, the saved default workspace or the
     * server's default for the caller.
     */
    WorkspaceRef workspace(WorkspaceOptions chosen) {
        if (chosen == null || !chosen.given()) {
            return defaultWorkspace();
        }
        if (chosen.id == null) {
            throw new CliException("InvalidWorkspace", "-g " + chosen.group + " names a resource group: pass the"
                    + " workspace's name too, -w NAME -g " + chosen.group, ExitCodes.USAGE);
        }
        WorkspaceRef named;
        if (chosen.id.strip().startsWith("/")) {
            try {
                named = ArmIds.parseWorkspace(chosen.id);
            } catch (IllegalArgumentException e) {
                throw new CliException("InvalidWorkspace", e.getMessage(), ExitCodes.USAGE);
            }
            if (chosen.group != null && !chosen.group.equalsIgnoreCase(named.resourceGroup())) {
                throw new CliException("InvalidWorkspace", "-g " + chosen.group + " is not the resource group of the"
                        + " workspace id " + named.id(), ExitCodes.USAGE);
            }
        } else {
            var fallback = defaultWorkspace();
            var group = chosen.group != null ? chosen.group : fallback.resourceGroup();
            try {
                named = ArmIds.parseWorkspace("/subscriptions/" + fallback.subscriptionId() + "/resourceGroups/"
                        + group + "/providers/Microsoft.MachineLearningServices/workspaces/" + chosen.id.strip());
            } catch (IllegalArgumentException e) {
                throw new CliException("InvalidWorkspace", "not a workspace name and resource group: -w " + chosen.id
                        + " -g " + group, ExitCodes.USAGE);
            }
        }
        var saved = config.workspace();
        return saved != null && saved.id() != null && saved.id().equalsIgnoreCase(named.id()) ? saved : named;
    }

    /** The saved default workspace, or the server's default for the caller. */
    private WorkspaceRef defaultWorkspace() {
        if (config.workspace() != null) {
            return config.workspace();
        }
        var fromServer = session().defaultWorkspace();
        if (fromServer == null) {
            throw new CliException("NoWorkspace", "the server names no default workspace for you: pass -w NAME -g GROUP"
                    + ", or --workspace /subscriptions/{sub}/resourceGroups/{rg}/providers/"
                    + "Microsoft.MachineLearningServices/workspaces/{name}", ExitCodes.USAGE);
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
