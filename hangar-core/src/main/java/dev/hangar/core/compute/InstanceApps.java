package dev.hangar.core.compute;

import dev.hangar.core.spi.InstanceContext.AppSpec;
import java.util.List;

/**
 * The apps every instance serves and the gateway path each is reached under. Paths are
 * {@code /workspaces/<workspace>/computes/<compute>/apps/<app>/}; workspace names are unique on a server, so the
 * path names one instance.
 */
public final class InstanceApps {
    public static final String JUPYTER = "jupyter";
    /**
     * The browser terminal: served by Hangar itself (a WebSocket to a session the instance's backend opens), so it is
     * not among the apps a backend runs, and every running instance has it.
     */
    public static final String TERMINAL = "terminal";
    public static final String TERMINAL_DISPLAY_NAME = "Terminal";

    private InstanceApps() {
    }

    public static String basePath(String workspaceName, String computeName, String app) {
        return "/workspaces/" + workspaceName + "/computes/" + computeName + "/apps/" + app + "/";
    }

    public static List<AppSpec> of(String workspaceName, String computeName) {
        return List.of(new AppSpec(JUPYTER, "Jupyter", basePath(workspaceName, computeName, JUPYTER)));
    }
}
