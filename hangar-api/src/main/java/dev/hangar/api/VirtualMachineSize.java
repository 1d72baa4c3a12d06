package dev.hangar.api;

import java.util.List;

/** One VM size of {@code locations/{loc}/vmSizes}. */
public record VirtualMachineSize(String name, String family, int vCPUs, int gpus, int osVhdSizeMB,
                                 int maxResourceVolumeMB, double memoryGB, boolean lowPriorityCapable,
                                 boolean premiumIO, EstimatedVmPrices estimatedVMPrices,
                                 List<String> supportedComputeTypes) {

    /** {@code estimatedVMPrices}: prices per hour. */
    public record EstimatedVmPrices(String billingCurrency, String unitOfMeasure, List<EstimatedVmPrice> values) {
    }

    /** One price: per OS and tier. */
    public record EstimatedVmPrice(double retailPrice, String osType, String vmTier) {
    }
}
