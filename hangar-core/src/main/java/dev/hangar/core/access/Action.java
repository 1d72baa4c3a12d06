package dev.hangar.core.access;

/**
 * The Azure action strings Hangar checks, one per thing a caller can do. Roles grant them by name or by pattern
 * ({@link ActionPattern}); a refusal names the one that was missing.
 */
public enum Action {
    READ("Microsoft.MachineLearningServices/workspaces/computes/read"),
    WRITE("Microsoft.MachineLearningServices/workspaces/computes/write"),
    DELETE("Microsoft.MachineLearningServices/workspaces/computes/delete"),
    START("Microsoft.MachineLearningServices/workspaces/computes/start/action"),
    STOP("Microsoft.MachineLearningServices/workspaces/computes/stop/action"),
    RESTART("Microsoft.MachineLearningServices/workspaces/computes/restart/action"),
    APPLICATION_ACCESS("Microsoft.MachineLearningServices/workspaces/computes/applicationaccess/action"),
    LIST_KEYS("Microsoft.MachineLearningServices/workspaces/computes/listKeys/action"),
    LIST_NODES("Microsoft.MachineLearningServices/workspaces/computes/listNodes/action"),
    CHECK_NAME("Microsoft.MachineLearningServices/workspaces/checkComputeNameAvailability/action"),
    JOB_READ("Microsoft.MachineLearningServices/workspaces/jobs/read"),
    JOB_WRITE("Microsoft.MachineLearningServices/workspaces/jobs/write"),
    JOB_CANCEL("Microsoft.MachineLearningServices/workspaces/jobs/cancel/action"),
    JOB_DELETE("Microsoft.MachineLearningServices/workspaces/jobs/delete"),
    CODE_READ("Microsoft.MachineLearningServices/workspaces/codes/versions/read"),
    CODE_WRITE("Microsoft.MachineLearningServices/workspaces/codes/versions/write"),
    FILES_READ("Microsoft.MachineLearningServices/workspaces/notebooks/storage/read"),
    FILES_WRITE("Microsoft.MachineLearningServices/workspaces/notebooks/storage/write"),
    FILES_DELETE("Microsoft.MachineLearningServices/workspaces/notebooks/storage/delete"),
    ENVIRONMENT_READ("Microsoft.MachineLearningServices/workspaces/environments/versions/read"),
    ENVIRONMENT_WRITE("Microsoft.MachineLearningServices/workspaces/environments/versions/write"),
    ENVIRONMENT_DELETE("Microsoft.MachineLearningServices/workspaces/environments/versions/delete"),
    WORKSPACE_READ("Microsoft.MachineLearningServices/workspaces/read"),
    WORKSPACE_WRITE("Microsoft.MachineLearningServices/workspaces/write"),
    ROLE_ASSIGNMENT_READ("Microsoft.Authorization/roleAssignments/read"),
    ROLE_ASSIGNMENT_WRITE("Microsoft.Authorization/roleAssignments/write"),
    ROLE_ASSIGNMENT_DELETE("Microsoft.Authorization/roleAssignments/delete"),
    ROLE_DEFINITION_WRITE("Microsoft.Authorization/roleDefinitions/write"),
    ROLE_DEFINITION_DELETE("Microsoft.Authorization/roleDefinitions/delete"),
    EVENTS_READ("Microsoft.Insights/eventtypes/values/read"),
    QUOTA_WRITE("Microsoft.MachineLearningServices/locations/updateQuotas/action"),
    VM_SIZE_WRITE("Hangar/vmSizes/write"),
    VM_SIZE_DELETE("Hangar/vmSizes/delete"),
    USER_WRITE("Hangar/users/write"),
    METRICS_READ("Hangar/metrics/scrape/action");

    private final String azureName;

    Action(String azureName) {
        this.azureName = azureName;
    }

    public String azureName() {
        return azureName;
    }
}
