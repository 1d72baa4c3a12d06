package dev.hangar.server.arm;

/**
 * The ARM path patterns, as case-insensitive regular expressions with named groups. GET routes also answer under
 * {@code /rp/workspaces}, where azureml-core sends its reads. A subscription, resource group or location longer than
 * the store keeps (128 characters) matches no route: 404, not a failed query.
 */
final class ArmPaths {
    static final String PROVIDER = "/providers/Microsoft\\.MachineLearningServices";
    static final String SUBSCRIPTION = "(?i)(?:/rp/workspaces)?/subscriptions/(?<sub>[^/]{1,128})";
    static final String RESOURCE_GROUP = SUBSCRIPTION + "/resourceGroups/(?<rg>[^/]{1,128})";
    static final String WORKSPACES_IN_GROUP = RESOURCE_GROUP + PROVIDER + "/workspaces/?";
    static final String WORKSPACES_IN_SUBSCRIPTION = SUBSCRIPTION + PROVIDER + "/workspaces/?";
    static final String WORKSPACE = RESOURCE_GROUP + PROVIDER + "/workspaces/(?<ws>[^/]+)";
    static final String COMPUTES = WORKSPACE + "/computes/?";
    static final String COMPUTE = WORKSPACE + "/computes/(?<name>[^/]+)";
    static final String COMPUTE_HISTORY = COMPUTE + "/history";
    static final String NAME_CHECK = WORKSPACE + "/checkComputeNameAvailability";
    static final String JOBS = WORKSPACE + "/jobs/?";
    static final String JOB = WORKSPACE + "/jobs/(?<name>[^/]+)";
    static final String LOCATION = SUBSCRIPTION + PROVIDER + "/locations/(?<loc>[^/]{1,128})";
    static final String OPERATION_STATUS = LOCATION + "/computeOperationsStatus/(?<op>[^/]+)";
    static final String OPERATION_RESULT = LOCATION + "/computeOperationsResults/(?<op>[^/]+)";
    static final String VM_SIZES = LOCATION + "/vmSizes";
    static final String AUTHORIZATION = "/providers/Microsoft\\.Authorization";
    /** Role definitions are read at a subscription's scope or a workspace's (as az reads them), written at the first. */
    private static final String ROLE_DEFINITIONS_BASE = SUBSCRIPTION + "(?:/resourceGroups/(?<rg>[^/]{1,128})"
            + PROVIDER
            + "/workspaces/(?<ws>[^/]+))?" + AUTHORIZATION + "/roleDefinitions";
    static final String ROLE_DEFINITIONS = ROLE_DEFINITIONS_BASE + "/?";
    static final String ROLE_DEFINITION = ROLE_DEFINITIONS_BASE + "/(?<id>[^/]+)";
    /** Role assignments live at a workspace's scope. */
    static final String ROLE_ASSIGNMENTS = WORKSPACE + AUTHORIZATION + "/roleAssignments/?";
    static final String ROLE_ASSIGNMENT = WORKSPACE + AUTHORIZATION + "/roleAssignments/(?<id>[^/]+)";

    /** The same paths as the docs write them, for the route table. */
    static final String SUBSCRIPTION_TEMPLATE = "/subscriptions/{sub}";
    static final String WORKSPACE_TEMPLATE = SUBSCRIPTION_TEMPLATE + "/resourceGroups/{rg}"
            + "/providers/Microsoft.MachineLearningServices/workspaces/{ws}";
    static final String COMPUTE_TEMPLATE = WORKSPACE_TEMPLATE + "/computes/{name}";
    static final String LOCATION_TEMPLATE = SUBSCRIPTION_TEMPLATE
            + "/providers/Microsoft.MachineLearningServices/locations/{loc}";

    private ArmPaths() {
    }
}
