package dev.hangar.cli;

import dev.hangar.api.ComputeInstanceProperties;
import dev.hangar.api.ComputeResource;

/** Read-outs of a compute for tables, null-safe whatever the compute type. */
final class ComputeView {
    private ComputeView() {
    }

    static ComputeInstanceProperties instance(ComputeResource compute) {
        return compute.properties() != null && compute.properties().properties() instanceof ComputeInstanceProperties i
                ? i : null;
    }

    static String type(ComputeResource compute) {
        return compute.properties() == null ? null : compute.properties().computeType();
    }

    static String vmSize(ComputeResource compute) {
        var instance = instance(compute);
        return instance == null ? null : instance.vmSize();
    }

    static String createdBy(ComputeResource compute) {
        var instance = instance(compute);
        return instance == null || instance.createdBy() == null ? null : instance.createdBy().userName();
    }
}
