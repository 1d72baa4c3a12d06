package dev.hangar.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;

/**
 * {@code properties.properties} of a {@code ComputeInstance}. On responses every key is written, {@code null} when
 * empty, because azureml-core reads them by index. On requests only the writable keys are read.
 */
public record ComputeInstanceProperties(
        String vmSize,
        ResourceId subnet,
        String applicationSharingPolicy,
        SshSettings sshSettings,
        List<Object> customServices,
        Object osImageMetadata,
        ConnectivityEndpoints connectivityEndpoints,
        List<Application> applications,
        CreatedBy createdBy,
        List<ErrorResponse> errors,
        String state,
        String computeInstanceAuthorizationType,
        PersonalComputeInstanceSettings personalComputeInstanceSettings,
        Object setupScripts,
        LastOperation lastOperation,
        Object schedules,
        Boolean enableNodePublicIp,
        List<Object> dataMounts,
        String idleTimeBeforeShutdown) implements ComputeProperties {

    @Override
    @JsonIgnore
    public String computeType() {
        return ComputeType.COMPUTE_INSTANCE;
    }

    /** {@code sshSettings}: public access, and on responses the admin user and port. */
    public record SshSettings(String sshPublicAccess, String adminUserName, Integer sshPort, String adminPublicKey) {
    }

    /** {@code connectivityEndpoints}: where the instance is reached. */
    public record ConnectivityEndpoints(String publicIpAddress, String privateIpAddress) {
    }

    /** One entry of {@code applications}: an app the instance serves, reached through Hangar's gateway. */
    public record Application(String displayName, String endpointUri) {
    }

    /** {@code createdBy}: who created the instance. */
    public record CreatedBy(String userName, String userOrgId, String userId) {
    }

    /** {@code personalComputeInstanceSettings}: the user an instance was created for. */
    public record PersonalComputeInstanceSettings(AssignedUser assignedUser) {
    }

    /** {@code assignedUser}: a user's object and tenant ids. */
    public record AssignedUser(String objectId, String tenantId) {
    }

    /** {@code lastOperation}: the newest operation on the instance. */
    public record LastOperation(String operationName, java.time.Instant operationTime, String operationStatus,
                                String operationTrigger) {
    }
}
