package dev.hangar.api;

import java.util.Map;

/** An ARM workspace resource, as far as compute clients read it: its location and its discovery URL. */
public record Workspace(String id, String name, String type, String location, Map<String, String> tags,
                        Properties properties) {

    public static final String TYPE = "Microsoft.MachineLearningServices/workspaces";

    /** The workspace's {@code properties}. */
    public record Properties(String friendlyName, String description, String discoveryUrl, String workspaceId,
                             String provisioningState, java.time.Instant creationTime) {
    }
}
