package dev.hangar.core.size;

import java.util.List;

/**
 * A VM size: what an instance or node gets in CPU, memory and GPUs, and what it costs per hour. Its family is what
 * quotas count cores by ({@link dev.hangar.core.quota.QuotaName}).
 *
 * @param pricePerHour the price of a dedicated node, in US dollars per hour
 * @param lowPriorityPricePerHour the price of a low-priority node
 * @param computeTypes the compute types that may use it: {@code ComputeInstance}, {@code AmlCompute}
 */
public record VmSize(String name, String family, int vCpus, double memoryGb, int gpus, double pricePerHour,
                     double lowPriorityPricePerHour, boolean lowPriorityCapable, List<String> computeTypes) {

    public VmSize {
        computeTypes = List.copyOf(computeTypes);
    }

    /** Memory in bytes, as limits take it. */
    public long memoryBytes() {
        return (long) (memoryGb * 1024 * 1024 * 1024);
    }
}
