package dev.hangar.core.size;

import java.util.List;

/** A VM size: what an instance or node gets in CPU, memory and GPUs, and what it costs per hour. */
public record VmSize(String name, String family, int vCpus, double memoryGb, int gpus, double pricePerHour,
                     boolean lowPriorityCapable, List<String> computeTypes) {

    public VmSize {
        computeTypes = List.copyOf(computeTypes);
    }

    /** Memory in bytes, as limits take it. */
    public long memoryBytes() {
        return (long) (memoryGb * 1024 * 1024 * 1024);
    }
}
