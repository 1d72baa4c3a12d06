package dev.hangar.core.compute;

import dev.hangar.api.ComputeType;
import dev.hangar.core.cluster.ClusterState;
import dev.hangar.core.cluster.ScaleSettings;
import dev.hangar.core.quota.VmPriority;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The compute-cluster aggregate ({@code computeType: AmlCompute}): nodes of one VM size that scale between the
 * settings' minimum and maximum. Immutable; the store checks {@link #version()} on write. Its nodes are
 * {@link ClusterNode} records of their own, so that a node changing state never conflicts with a change of the
 * cluster's settings.
 */
public record ComputeCluster(
        UUID id,
        UUID workspaceId,
        String name,
        String vmSize,
        VmPriority vmPriority,
        ScaleSettings scale,
        ClusterState state,
        String description,
        Map<String, String> tags,
        UserRef createdBy,
        List<ComputeError> errors,
        String backend,
        Instant createdOn,
        Instant modifiedOn,
        long version) implements Compute {

    public ComputeCluster {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(vmPriority, "vmPriority");
        Objects.requireNonNull(scale, "scale");
        Objects.requireNonNull(state, "state");
        tags = tags == null ? null : Map.copyOf(tags);
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public ComputeCluster withState(ClusterState to, Instant at) {
        if (!state.canMoveTo(to)) {
            throw new IllegalStateException("A cluster cannot move from " + state + " to " + to);
        }
        return new ComputeCluster(id, workspaceId, name, vmSize, vmPriority, scale, to, description, tags, createdBy,
                errors, backend, createdOn, at, version);
    }

    /** The fields a PUT or PATCH may change: the scale settings, the description and the tags. */
    public ComputeCluster withUpdate(ScaleSettings newScale, String newDescription, Map<String, String> newTags,
                                     Instant at) {
        return new ComputeCluster(id, workspaceId, name, vmSize, vmPriority, newScale, state, newDescription, newTags,
                createdBy, errors, backend, createdOn, at, version);
    }

    public ComputeCluster withErrors(List<ComputeError> newErrors) {
        return new ComputeCluster(id, workspaceId, name, vmSize, vmPriority, scale, state, description, tags,
                createdBy, newErrors, backend, createdOn, modifiedOn, version);
    }

    public ComputeCluster withVersion(long newVersion) {
        return new ComputeCluster(id, workspaceId, name, vmSize, vmPriority, scale, state, description, tags,
                createdBy, errors, backend, createdOn, modifiedOn, newVersion);
    }

    @Override
    public String computeType() {
        return ComputeType.AML_COMPUTE;
    }
}
