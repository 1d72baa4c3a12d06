package dev.hangar.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.List;

/**
 * {@code properties.properties} of an {@code AmlCompute} (a compute cluster). On responses every key is written,
 * {@code null} when empty, because azureml-core reads them by index; {@code currentNodeCount} is always an integer, as
 * its {@code wait_for_completion} compares it. On requests only {@code vmSize}, {@code vmPriority} and
 * {@code scaleSettings} are read.
 */
public record AmlComputeProperties(
        String osType,
        String vmSize,
        String vmPriority,
        Object virtualMachineImage,
        Boolean isolatedNetwork,
        ScaleSettings scaleSettings,
        Object userAccountCredentials,
        ResourceId subnet,
        String remoteLoginPortPublicAccess,
        String allocationState,
        Instant allocationStateTransitionTime,
        List<ErrorResponse> errors,
        Integer currentNodeCount,
        Integer targetNodeCount,
        NodeStateCounts nodeStateCounts,
        Boolean enableNodePublicIp,
        Object propertyBag) implements ComputeProperties {

    @Override
    @JsonIgnore
    public String computeType() {
        return ComputeType.AML_COMPUTE;
    }

    /**
     * {@code scaleSettings}: the nodes a cluster keeps at least and at most, and how long a node stays idle before it
     * is removed (an ISO 8601 duration, e.g. {@code PT2M}).
     */
    public record ScaleSettings(Integer maxNodeCount, Integer minNodeCount, String nodeIdleTimeBeforeScaleDown) {
    }

    /** {@code nodeStateCounts}: how many of a cluster's nodes are in each state. */
    public record NodeStateCounts(int idleNodeCount, int runningNodeCount, int preparingNodeCount,
                                  int unusableNodeCount, int leavingNodeCount, int preemptedNodeCount) {
    }
}
