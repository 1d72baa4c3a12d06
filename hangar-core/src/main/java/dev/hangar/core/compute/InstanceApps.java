package dev.hangar.core.compute;

import dev.hangar.core.custom.CustomService;
import dev.hangar.core.spi.InstanceContext.AppSpec;
import java.util.ArrayList;
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

    /** Jupyter alone: the apps of an instance without custom services. */
    public static List<AppSpec> of(String workspaceName, String computeName) {
        return of(workspaceName, computeName, List.of());
    }

    /** Jupyter, then each endpoint of each custom service, as {@code <service>.<endpoint>}. */
    public static List<AppSpec> of(String workspaceName, String computeName, List<CustomService> services) {
        var apps = new ArrayList<AppSpec>();
        apps.add(new AppSpec(JUPYTER, "Jupyter", basePath(workspaceName, computeName, JUPYTER)));
        for (var service : services) {
            for (var endpoint : service.endpoints()) {
                apps.add(new AppSpec(service.appName(endpoint), service.displayName(endpoint),
                        basePath(workspaceName, computeName, service.appName(endpoint))));
            }
        }
        return List.copyOf(apps);
    }

    /** The apps of {@code compute}: Jupyter and its custom services' endpoints. */
    public static List<AppSpec> of(String workspaceName, ComputeInstance compute) {
        return of(workspaceName, compute.name(), compute.customServices());
    }
}
