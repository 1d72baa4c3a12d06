package dev.hangar.api;

import java.util.List;

/**
 * The answer of {@code vmSizes}: the same list under {@code value} (2020-08-01 and later) and {@code amlCompute}
 * (what azureml-core reads), never paged.
 */
public record VirtualMachineSizeList(List<VirtualMachineSize> value, List<VirtualMachineSize> amlCompute) {

    public static VirtualMachineSizeList of(List<VirtualMachineSize> sizes) {
        return new VirtualMachineSizeList(sizes, sizes);
    }
}
