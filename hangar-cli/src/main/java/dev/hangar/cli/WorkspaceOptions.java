package dev.hangar.cli;

import picocli.CommandLine.Option;

/**
 * {@code -w} and {@code -g}, as in {@code az ml}: another workspace than the one saved at login, by name (in a resource
 * group of the same subscription) or by ARM id.
 */
final class WorkspaceOptions {
    @Option(names = {"-w", "--workspace", "--workspace-name"}, paramLabel = "NAME",
            description = "the workspace's name, or its ARM id /subscriptions/../workspaces/NAME (env HANGAR_WORKSPACE;"
                    + " default: the one saved by login)")
    String id;

    @Option(names = {"-g", "--resource-group"}, paramLabel = "GROUP",
            description = "the resource group of -w NAME (env HANGAR_RESOURCE_GROUP; default: the default workspace's)")
    String group;

    /** Whether a workspace is named: else the default one is meant. */
    boolean given() {
        return id != null || group != null;
    }
}
