package dev.hangar.cli;

import picocli.CommandLine.Option;

/** {@code --workspace}: another workspace than the one saved at login. */
final class WorkspaceOptions {
    @Option(names = {"-w", "--workspace"}, paramLabel = "ARM_ID",
            description = "the workspace's ARM id, /subscriptions/../workspaces/{name} (env HANGAR_WORKSPACE; "
                    + "default: the one saved by login)")
    String id;
}
