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
        List<CustomService> customServices,
        Object osImageMetadata,
        ConnectivityEndpoints connectivityEndpoints,
        List<Application> applications,
        CreatedBy createdBy,
        List<ErrorResponse> errors,
        String state,
        String computeInstanceAuthorizationType,
        PersonalComputeInstanceSettings personalComputeInstanceSettings,
        SetupScripts setupScripts,
        LastOperation lastOperation,
        ComputeSchedules schedules,
        Boolean enableNodePublicIp,
        List<Object> dataMounts,
        String idleTimeBeforeShutdown) implements ComputeProperties {

    @Override
    @JsonIgnore
    public String computeType() {
        return ComputeType.COMPUTE_INSTANCE;
    }

    /** {@code setupScripts}: the scripts an instance runs when it is created and when it starts. */
    public record SetupScripts(ScriptsToExecute scripts) {
    }

    /** {@code setupScripts.scripts}: either may be null. */
    public record ScriptsToExecute(ScriptReference startupScript, ScriptReference creationScript) {
    }

    /**
     * One script: {@code scriptSource} {@code workspaceStorage} (then {@code scriptData} is its path in the file share)
     * or {@code inline} (its text in base64); {@code scriptArguments} one line of words; {@code timeout} as
     * {@code "<minutes>m"}.
     */
    public record ScriptReference(String scriptSource, String scriptData, String scriptArguments, String timeout) {
    }

    /** {@code schedules}: when the instance is started and stopped by the clock. */
    public record ComputeSchedules(List<ComputeStartStopSchedule> computeStartStop) {
    }

    /**
     * One start/stop schedule: {@code action} {@code Start|Stop}, {@code status} {@code Enabled|Disabled},
     * {@code triggerType} {@code Cron} (with {@code cron}) or {@code Recurrence} (with {@code recurrence}); {@code id}
     * and {@code provisioningStatus} on responses only.
     */
    public record ComputeStartStopSchedule(String id, String provisioningStatus, String status, String action,
                                           String triggerType, Recurrence recurrence, Cron cron) {
    }

    /** A schedule's recurrence: {@code frequency} {@code Minute|Hour|Day|Week|Month}, every {@code interval}. */
    public record Recurrence(String frequency, Integer interval, String startTime, String timeZone,
                             RecurrenceSchedule schedule) {
    }

    /** The hours and minutes a recurrence fires at, and on which days of the week or month. */
    public record RecurrenceSchedule(List<Integer> hours, List<Integer> minutes, List<Integer> monthDays,
                                     List<String> weekDays) {
    }

    /** A schedule's cron expression (5 fields), its time zone and when it begins, as {@code yyyy-MM-ddTHH:mm:ss}. */
    public record Cron(String startTime, String timeZone, String expression) {
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
