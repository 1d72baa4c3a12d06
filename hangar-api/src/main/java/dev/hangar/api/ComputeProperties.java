package dev.hangar.api;

/** The type-specific part of a compute; its {@code computeType} names it on the wire. */
public sealed interface ComputeProperties permits ComputeInstanceProperties, AmlComputeProperties,
        SlurmProperties, SparkProperties, VirtualMachineProperties {

    /** The wire name of this compute type, e.g. {@code ComputeInstance}. */
    String computeType();
}
