package dev.hangar.cli;

import dev.hangar.api.AmlComputeProperties;
import dev.hangar.api.ComputeInstanceProperties;
import dev.hangar.api.ComputeResource;
import dev.hangar.api.SlurmProperties;
import dev.hangar.api.SparkProperties;
import dev.hangar.api.VirtualMachineProperties;
import dev.hangar.client.ComputeClient;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/** Read-outs of a compute for tables, null-safe whatever the compute type. */
final class ComputeView {
    private ComputeView() {
    }

    static ComputeInstanceProperties instance(ComputeResource compute) {
        return compute.properties() != null && compute.properties().properties() instanceof ComputeInstanceProperties i
                ? i : null;
    }

    static AmlComputeProperties cluster(ComputeResource compute) {
        return compute.properties() != null && compute.properties().properties() instanceof AmlComputeProperties c
                ? c : null;
    }

    static VirtualMachineProperties virtualMachine(ComputeResource compute) {
        return compute.properties() != null && compute.properties().properties() instanceof VirtualMachineProperties vm
                ? vm : null;
    }

    static SlurmProperties slurm(ComputeResource compute) {
        return compute.properties() != null && compute.properties().properties() instanceof SlurmProperties s ? s : null;
    }

    static String type(ComputeResource compute) {
        return compute.properties() == null ? null : compute.properties().computeType();
    }

    /**
     * {@link ComputeClient#stateOf}; for a cluster with its nodes now and at most, {@code Steady 2/4 nodes}; for an
     * attached Slurm cluster with the nodes of its partition, {@code Succeeded 4 nodes}.
     */
    static String state(ComputeResource compute) {
        var state = ComputeClient.stateOf(compute);
        var slurm = slurm(compute);
        if (state != null && slurm != null && slurm.nodeCount() != null) {
            return state + " " + slurm.nodeCount() + (slurm.nodeCount() == 1 ? " node" : " nodes");
        }
        var cluster = cluster(compute);
        if (state == null || cluster == null || cluster.scaleSettings() == null
                || cluster.scaleSettings().maxNodeCount() == null) {
            return state;
        }
        var current = cluster.currentNodeCount() == null ? 0 : cluster.currentNodeCount();
        return state + " " + current + "/" + cluster.scaleSettings().maxNodeCount() + " nodes";
    }

    static String vmSize(ComputeResource compute) {
        return switch (compute.properties() == null ? null : compute.properties().properties()) {
            case ComputeInstanceProperties instance -> instance.vmSize();
            case AmlComputeProperties cluster -> cluster.vmSize();
            case SlurmProperties slurm -> slurm.partition() == null ? null : "partition " + slurm.partition();
            case SparkProperties spark -> spark.masterUrl();
            case VirtualMachineProperties vm -> vm.virtualMachineSize();
            case null -> null;
        };
    }

    static String createdBy(ComputeResource compute) {
        var instance = instance(compute);
        return instance == null || instance.createdBy() == null ? null : instance.createdBy().userName();
    }

    /**
     * An instance's idle time before shutdown, {@code after 30 minutes} (as the server wrote it when that is not whole
     * minutes), or {@code off}; {@code null} for another compute type.
     */
    static String idleShutdown(ComputeResource compute) {
        var instance = instance(compute);
        if (instance == null) {
            return null;
        }
        var idleTime = instance.idleTimeBeforeShutdown();
        if (idleTime == null || idleTime.isBlank()) {
            return "off";
        }
        try {
            var parsed = Duration.parse(idleTime);
            var minutes = parsed.toMinutes();
            return parsed.toSecondsPart() != 0 || parsed.toNanosPart() != 0 ? "after " + idleTime
                    : "after " + minutes + (minutes == 1 ? " minute" : " minutes");
        } catch (DateTimeParseException e) {
            return "after " + idleTime;
        }
    }

    /** An ISO 8601 duration as {@code 120 s}; as the server wrote it when it is not one. */
    static String seconds(String isoDuration) {
        if (isoDuration == null || isoDuration.isBlank()) {
            return null;
        }
        try {
            return Duration.parse(isoDuration).toSeconds() + " s";
        } catch (DateTimeParseException e) {
            return isoDuration;
        }
    }
}
