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

    private InstanceApps() {
    }

    public static String basePath(String workspaceName, String computeName, String app) {
        return "/workspaces/" + workspaceName + "/computes/" + computeName + "/apps/" + app + "/";
    }

    public static List<AppSpec> of(String workspaceName, String computeName) {
        return List.of(new AppSpec(JUPYTER, "Jupyter", basePath(workspaceName, computeName, JUPYTER)));
    }
}
