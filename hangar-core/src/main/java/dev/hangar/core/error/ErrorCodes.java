package dev.hangar.core.error;

/** The stable error codes Hangar answers with; users search for these. */
public final class ErrorCodes {
    public static final String ACTIVE_OPERATION = "ActiveOperationConflict";
    public static final String COMPUTE_ALREADY_ATTACHED = "ComputeAlreadyAttached";
    /** A backend whose instances all run as Hangar's account refuses a second user's instance. */
    public static final String INSTANCES_SHARE_ONE_ACCOUNT = "InstancesShareHangarsAccount";
    public static final String ACTIVE_OPERATION_MESSAGE = "There is already an active operation submitted";
    public static final String START_ONLY_WHEN_STOPPED = "StartComputeInstanceOnlyAllowedInStoppedState";
    public static final String STOP_ONLY_WHEN_RUNNING = "StopComputeInstanceOnlyAllowedInRunningState";
    public static final String RESTART_ONLY_WHEN_RUNNING = "RestartComputeInstanceOnlyAllowedInRunningState";
    public static final String INSTANCE_FAILED = "ComputeInstanceInFailedState";
    public static final String VM_SIZE_IMMUTABLE = "VmSizeCannotBeUpdated";
    public static final String ASSIGNED_USER_IMMUTABLE = "AssignedUserCannotBeUpdated";
    public static final String SSH_SETTINGS_IMMUTABLE = "SshSettingsCannotBeUpdated";
    public static final String VM_PRIORITY_IMMUTABLE = "VmPriorityCannotBeUpdated";
    public static final String UNKNOWN_VM_SIZE = "InvalidVmSize";
    public static final String UNKNOWN_COMPUTE_TYPE = "InvalidComputeType";
    public static final String COMPUTE_TYPE_IMMUTABLE = "ComputeTypeCannotBeUpdated";
    public static final String MISSING_BODY = "MissingRequestBody";
    public static final String INVALID_BODY = "InvalidRequestBody";
    public static final String INVALID_ARGUMENT = "BadArgument";
    public static final String AUTHORIZATION_FAILED = "AuthorizationFailed";
    /** Azure's code for a role definition whose {@code actions} or {@code notActions} do not parse. */
    public static final String INVALID_ACTION = "InvalidActionOrNotAction";
    public static final String ROLE_DEFINITION_NOT_FOUND = "RoleDefinitionDoesNotExist";
    public static final String ROLE_DEFINITION_IN_USE = "RoleDefinitionHasAssignments";
    public static final String BUILT_IN_ROLE_READ_ONLY = "BuiltInRoleCannotBeChanged";
    public static final String ROLE_NAME_TAKEN = "RoleDefinitionWithSameNameExists";
    public static final String PRINCIPAL_NOT_FOUND = "PrincipalNotFound";
    public static final String ROLE_ASSIGNMENT_EXISTS = "RoleAssignmentExists";
    public static final String COMPUTE_HAS_NO_SECRETS = "ComputeHasNoSecrets";
    public static final String QUOTA_EXCEEDED = "QuotaExceeded";
    public static final String INVALID_QUOTA_LIMIT = "InvalidQuotaLimit";
    public static final String INVALID_QUOTA_ID = "InvalidQuotaId";
    /** Azure's {@code updateQuotas} status for a quota name that is no VM family's. */
    public static final String INVALID_VM_FAMILY_NAME = "InvalidVMFamilyName";
    public static final String INVALID_VM_SIZE = "InvalidVmSizeDefinition";
    public static final String VM_SIZE_IN_USE = "VmSizeInUse";

    private ErrorCodes() {
    }
}
