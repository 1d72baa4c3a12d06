package dev.hangar.server.arm;

import dev.hangar.api.ComputeResource;
import dev.hangar.core.compute.AnyComputeView;
import dev.hangar.core.compute.AttachedView;
import dev.hangar.core.compute.ClusterView;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.ComputeView;
import dev.hangar.core.workspace.Workspace;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The wire form of a compute of any kind: one switch over the kinds, each drawn by its own mapper
 * ({@link ComputeJson}, {@link ClusterJson}, {@link AttachedJson}).
 */
public final class ComputeResources {
    private final Integer sshPort;
    private final Predicate<UUID> runningJobs;
    private final Function<ComputeInstance, String> instanceUsers;

    /**
     * @param sshPort       the SSH gateway's port, or null when it is off
     * @param runningJobs   whether jobs run on a compute (by id)
     * @param instanceUsers an instance's user, as its backend names it
     */
    public ComputeResources(Integer sshPort, Predicate<UUID> runningJobs, Function<ComputeInstance, String> instanceUsers) {
        this.sshPort = sshPort;
        this.runningJobs = runningJobs;
        this.instanceUsers = instanceUsers;
    }

    /** @param base the server's address as the caller reached it, for the instance's app links */
    ComputeResource resource(AnyComputeView view, Workspace workspace, String base) {
        return switch (view) {
            case ComputeView instance -> ComputeJson.resource(instance.compute(), workspace, instance.lastOperation(),
                    base, sshPort, runningJobs.test(instance.compute().id()), instanceUsers.apply(instance.compute()));
            case ClusterView cluster -> ClusterJson.resource(cluster, workspace);
            case AttachedView attached -> AttachedJson.resource(attached, workspace);
        };
    }
}
