package dev.hangar.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.List;

/**
 * The {@code properties} envelope common to every compute type. The type-specific part sits in {@link #properties()},
 * and its class is chosen by the sibling key {@code computeType}.
 */
@JsonPropertyOrder({"computeType", "computeLocation", "description", "createdOn", "modifiedOn", "resourceId",
        "provisioningState", "provisioningErrors", "isAttachedCompute", "disableLocalAuth", "properties"})
public record Compute(
        String computeLocation,
        String description,
        Instant createdOn,
        Instant modifiedOn,
        String resourceId,
        ProvisioningState provisioningState,
        List<ErrorResponse> provisioningErrors,
        @JsonProperty("isAttachedCompute") Boolean isAttachedCompute,
        Boolean disableLocalAuth,
        @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXTERNAL_PROPERTY,
                property = "computeType")
        @JsonSubTypes({
                @JsonSubTypes.Type(value = ComputeInstanceProperties.class, name = ComputeType.COMPUTE_INSTANCE),
                @JsonSubTypes.Type(value = AmlComputeProperties.class, name = ComputeType.AML_COMPUTE),
                @JsonSubTypes.Type(value = SlurmProperties.class, name = SlurmProperties.TYPE),
                @JsonSubTypes.Type(value = SparkProperties.class, name = SparkProperties.TYPE),
                @JsonSubTypes.Type(value = VirtualMachineProperties.class, name = VirtualMachineProperties.TYPE)})
        ComputeProperties properties) {

    /** The {@code computeType} key, derived from the type of {@link #properties()}. */
    @JsonIgnore
    public String computeType() {
        return properties == null ? null : properties.computeType();
    }
}
