package dev.hangar.core.spi;

import dev.hangar.core.custom.CustomService;
import dev.hangar.core.size.VmSize;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * Everything a backend needs to act on one instance. One record per call, so the SPI never grows positional arguments.
 *
 * @param computeId the id every resource the backend creates is tagged with
 * @param apps the apps to serve, each with the path Hangar's gateway forwards under
 * @param fileShare the workspace's file share on Hangar's disk, which the backend mounts at
 *                  {@value #FILE_SHARE_MOUNT} in the instance user's home; null for none (a cluster's node)
 * @param customServices the containers to run beside the instance while it runs (a backend that
 *                       {@link ComputeBackend#runsCustomServices() runs them}); their endpoints are among {@code apps}
 */
public record InstanceContext(UUID computeId, String workspaceName, String computeName, VmSize size,
                              String ownerName, List<AppSpec> apps, Path fileShare,
                              List<CustomService> customServices) {
    /** Where the workspace's file share is in the instance user's home, as on Azure ML. */
    public static final String FILE_SHARE_MOUNT = "cloudfiles/code";

    public InstanceContext {
        apps = List.copyOf(apps);
        customServices = customServices == null ? List.of() : List.copyOf(customServices);
    }

    /** An instance without custom services. */
    public InstanceContext(UUID computeId, String workspaceName, String computeName, VmSize size, String ownerName,
                           List<AppSpec> apps, Path fileShare) {
        this(computeId, workspaceName, computeName, size, ownerName, apps, fileShare, List.of());
    }

    /**
     * An app Hangar asks the backend to run. The app must serve under {@code basePath} (e.g.
     * {@code /workspaces/ws/computes/ci1/apps/jupyter/}) because the gateway forwards paths unchanged.
     */
    public record AppSpec(String name, String displayName, String basePath) {
    }
}
