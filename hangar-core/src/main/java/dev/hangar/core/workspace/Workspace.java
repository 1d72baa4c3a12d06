package dev.hangar.core.workspace;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A workspace: the ARM scope {@code subscriptions/{sub}/resourceGroups/{rg}/.../workspaces/{name}} computes live in. */
public record Workspace(UUID id, String subscriptionId, String resourceGroup, String name, String location,
                        String description, Map<String, String> tags, Instant createdOn) {

    public Workspace {
        tags = tags == null ? null : Map.copyOf(tags);
    }

    /** The ARM id of this workspace. */
    public String armId() {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.MachineLearningServices/workspaces/" + name;
    }
}
