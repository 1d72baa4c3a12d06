package dev.hangar.core.access;

/** The Azure action strings Hangar checks, one per thing a caller can do to a compute. */
public enum Action {
    READ("Microsoft.MachineLearningServices/workspaces/computes/read"),
    WRITE("Microsoft.MachineLearningServices/workspaces/computes/write"),
    DELETE("Microsoft.MachineLearningServices/workspaces/computes/delete"),
    START("Microsoft.MachineLearningServices/workspaces/computes/start/action"),
    STOP("Microsoft.MachineLearningServices/workspaces/computes/stop/action"),
    RESTART("Microsoft.MachineLearningServices/workspaces/computes/restart/action"),
    APPLICATION_ACCESS("Microsoft.MachineLearningServices/workspaces/computes/applicationaccess/action"),
    WORKSPACE_WRITE("Microsoft.MachineLearningServices/workspaces/write"),
    USER_WRITE("Hangar/users/write");

    private final String azureName;

    Action(String azureName) {
        this.azureName = azureName;
    }

    public String azureName() {
        return azureName;
    }
}
