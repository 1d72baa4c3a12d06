package dev.hangar.client;

import dev.hangar.api.SessionInfo.WorkspaceRef;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** ARM resource ids and paths of workspaces. */
public final class ArmIds {
    private static final Pattern WORKSPACE_ID = Pattern.compile(
            "/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.MachineLearningServices/workspaces/([^/]+)/?",
            Pattern.CASE_INSENSITIVE);

    private ArmIds() {
    }

    /**
     * Reads a workspace id such as
     * {@code /subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws}; the location
     * is unknown ({@code null}) because the id does not carry it.
     *
     * @throws IllegalArgumentException when {@code id} is not a workspace id
     */
    public static WorkspaceRef parseWorkspace(String id) {
        var match = id == null ? null : WORKSPACE_ID.matcher(id.strip());
        if (match == null || !match.matches()) {
            throw new IllegalArgumentException("not an ARM workspace id (/subscriptions/{sub}/resourceGroups/{rg}"
                    + "/providers/Microsoft.MachineLearningServices/workspaces/{name}): " + id);
        }
        var canonical = "/subscriptions/" + match.group(1) + "/resourceGroups/" + match.group(2)
                + "/providers/Microsoft.MachineLearningServices/workspaces/" + match.group(3);
        return new WorkspaceRef(canonical, match.group(1), match.group(2), match.group(3), null);
    }

    /** The encoded ARM path of a workspace, built from its parts (not from its id). */
    static String workspacePath(WorkspaceRef workspace) {
        return "/subscriptions/" + segment(workspace.subscriptionId()) + "/resourceGroups/"
                + segment(workspace.resourceGroup()) + "/providers/Microsoft.MachineLearningServices/workspaces/"
                + segment(workspace.name());
    }

    /** One path segment, percent-encoded. */
    static String segment(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("an empty path segment");
        }
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
