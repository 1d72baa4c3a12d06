package dev.hangar.testkit.arm;

import dev.hangar.testkit.arm.ArmServer.Reply;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Canned ARM JSON as the Hangar server writes it (every instance key present, {@code null} when empty), and helpers that
 * script a long-running operation on an {@link ArmServer}.
 */
public final class Arm {
    public static final String LOCATION = "local";
    public static final String ALICE = "11111111-1111-1111-1111-111111111111";
    public static final String BOB = "22222222-2222-2222-2222-222222222222";
    public static final String TENANT = "00000000-0000-0000-0000-0000000000aa";

    private Arm() {
    }

    public static String computes() {
        return ArmServer.WORKSPACE + "/computes";
    }

    public static String compute(String name) {
        return computes() + "/" + name;
    }

    public static String operationPath(String id) {
        return "/subscriptions/" + ArmServer.SUBSCRIPTION + "/providers/Microsoft.MachineLearningServices/locations/"
                + LOCATION + "/computeOperationsStatus/" + id;
    }

    public static String session(String userId, String userName, boolean admin) {
        return """
                {"user":{"id":"%s","name":"%s","tenantId":"%s","admin":%s},
                 "defaultWorkspace":{"id":"%s","subscriptionId":"%s","resourceGroup":"rg1","name":"ws1","location":"%s"},
                 "serverVersion":"0.1.0"}""".formatted(userId, userName, TENANT, admin, ArmServer.WORKSPACE,
                ArmServer.SUBSCRIPTION, LOCATION);
    }

    /** A compute instance; {@code assignedTo} may be {@code null}. */
    public static String instance(String name, String state, String createdBy, String assignedTo) {
        var personal = assignedTo == null ? "null"
                : "{\"assignedUser\":{\"objectId\":\"%s\",\"tenantId\":\"%s\"}}".formatted(assignedTo, TENANT);
        return """
                {"id":"%s","name":"%s","type":"Microsoft.MachineLearningServices/workspaces/computes","location":"%s",
                 "tags":null,"properties":{"computeType":"ComputeInstance","computeLocation":"%s","description":"notebooks",
                 "createdOn":"2025-01-02T03:04:05Z","modifiedOn":"2025-01-02T03:04:06.5+00:00","resourceId":null,
                 "provisioningState":"%s","provisioningErrors":null,"isAttachedCompute":false,"disableLocalAuth":true,
                 "properties":{"vmSize":"Standard_DS3_v2","subnet":null,"applicationSharingPolicy":"Personal",
                  "sshSettings":{"sshPublicAccess":"Disabled","adminUserName":"azureuser","sshPort":50022,"adminPublicKey":null},
                  "customServices":null,"osImageMetadata":null,"connectivityEndpoints":null,
                  "applications":[{"displayName":"Jupyter","endpointUri":"https://127.0.0.1/apps/%s/jupyter/"}],
                  "createdBy":{"userName":"alice","userOrgId":"%s","userId":"%s"},"errors":null,"state":"%s",
                  "computeInstanceAuthorizationType":"personal","personalComputeInstanceSettings":%s,
                  "setupScripts":null,"lastOperation":null,"schedules":null,"enableNodePublicIp":false,
                  "dataMounts":null,"idleTimeBeforeShutdown":null}}}""".formatted(compute(name), name, LOCATION,
                LOCATION, state.equals("Creating") ? "Creating" : "Succeeded", name, TENANT, createdBy, state, personal);
    }

    /**
     * A compute cluster of {@code current} nodes (one running, the rest idle) scaling between {@code min} and
     * {@code max}, idle nodes removed after 120 s.
     */
    public static String cluster(String name, String provisioningState, String allocationState, int min, int max,
                                 int current) {
        var running = Math.min(current, 1);
        return """
                {"id":"%s","name":"%s","type":"Microsoft.MachineLearningServices/workspaces/computes","location":"%s",
                 "tags":{"team":"ml"},"properties":{"computeType":"AmlCompute","computeLocation":"%s",
                 "description":"training","createdOn":"2025-01-02T03:04:05Z","modifiedOn":"2025-01-02T03:04:06Z",
                 "resourceId":null,"provisioningState":"%s","provisioningErrors":null,"isAttachedCompute":false,
                 "disableLocalAuth":true,
                 "properties":{"osType":"Linux","vmSize":"Standard_DS3_v2","vmPriority":"Dedicated",
                  "virtualMachineImage":null,"isolatedNetwork":false,
                  "scaleSettings":{"maxNodeCount":%d,"minNodeCount":%d,"nodeIdleTimeBeforeScaleDown":"PT120S"},
                  "userAccountCredentials":null,"subnet":null,"remoteLoginPortPublicAccess":"NotSpecified",
                  "allocationState":"%s","allocationStateTransitionTime":"2025-01-02T03:04:07Z","errors":null,
                  "currentNodeCount":%d,"targetNodeCount":%d,
                  "nodeStateCounts":{"idleNodeCount":%d,"runningNodeCount":%d,"preparingNodeCount":0,
                   "unusableNodeCount":0,"leavingNodeCount":0,"preemptedNodeCount":0},
                  "enableNodePublicIp":false,"propertyBag":null}}}""".formatted(compute(name), name, LOCATION,
                LOCATION, provisioningState, max, min, allocationState, current, current, current - running, running);
    }

    /**
     * An attached Slurm cluster reached over SSH as {@code svc} on {@code login1.example}: partition {@code gpu} of 4
     * nodes of 32 CPUs, jobs run as their requesters' accounts (alice as alice1, bob as bob).
     */
    public static String slurm(String name) {
        return """
                {"id":"%s","name":"%s","type":"Microsoft.MachineLearningServices/workspaces/computes","location":"%s",
                 "tags":{"team":"hpc"},"properties":{"computeType":"Slurm","computeLocation":"%s",
                 "description":"the HPC cluster","createdOn":"2025-01-02T03:04:05Z","modifiedOn":"2025-01-02T03:04:06Z",
                 "resourceId":null,"provisioningState":"Succeeded","provisioningErrors":null,"isAttachedCompute":true,
                 "disableLocalAuth":false,
                 "properties":{"connection":"Ssh","address":"login1.example","sshPort":2222,
                  "administratorAccount":{"username":"svc","password":null,"publicKeyData":null,"privateKeyData":null,
                   "passphrase":null},
                  "slurmConf":null,"partition":"gpu","workDirectory":"/shared/hangar","hostKey":"ssh-ed25519 AAAAC3Nz",
                  "jobUser":"Requester","userMap":{"bob":"bob","alice":"alice1"},"slurmVersion":"23.11.4",
                  "clusterName":"hpc","nodeCount":4,"cpusPerNode":32,"account":"svc","switchesUsers":true}}}"""
                .formatted(compute(name), name, LOCATION, LOCATION);
    }

    /**
     * An attached Slurm cluster on Hangar's own host (connection {@code Local}), its default partition, jobs run as the
     * server's account {@code hangar}; {@code errorCode} names the provisioning error it has, or is {@code null}.
     */
    public static String localSlurm(String name, String errorCode) {
        var errors = errorCode == null ? "null" : "[" + error(errorCode, "slurmctld does not answer") + "]";
        return """
                {"id":"%s","name":"%s","type":"Microsoft.MachineLearningServices/workspaces/computes","location":"%s",
                 "tags":null,"properties":{"computeType":"Slurm","computeLocation":"%s","description":null,
                 "createdOn":"2025-01-02T03:04:05Z","modifiedOn":"2025-01-02T03:04:06Z","resourceId":null,
                 "provisioningState":"Succeeded","provisioningErrors":%s,"isAttachedCompute":true,
                 "disableLocalAuth":false,
                 "properties":{"connection":"Local","address":null,"sshPort":null,"administratorAccount":null,
                  "slurmConf":"/etc/slurm/slurm.conf","partition":"debug","workDirectory":null,"hostKey":null,
                  "jobUser":"Connection","userMap":{},"slurmVersion":"22.05.8","clusterName":"linux","nodeCount":1,
                  "cpusPerNode":2,"account":"hangar","switchesUsers":false}}}"""
                .formatted(compute(name), name, LOCATION, LOCATION, errors);
    }

    /**
     * An attached Slurm cluster reached through slurmrestd at {@code http://slurm-api.example:6820} as {@code hangar}
     * (the token, as on every GET, is null): partition {@code batch} of 2 nodes of 8 CPUs, job folders in
     * {@code /shared/hangar}.
     */
    public static String restSlurm(String name) {
        return """
                {"id":"%s","name":"%s","type":"Microsoft.MachineLearningServices/workspaces/computes","location":"%s",
                 "tags":null,"properties":{"computeType":"Slurm","computeLocation":"%s","description":null,
                 "createdOn":"2025-01-02T03:04:05Z","modifiedOn":"2025-01-02T03:04:06Z","resourceId":null,
                 "provisioningState":"Succeeded","provisioningErrors":null,"isAttachedCompute":true,
                 "disableLocalAuth":false,
                 "properties":{"connection":"Rest","address":null,"sshPort":null,"administratorAccount":null,
                  "slurmConf":null,"partition":"batch","workDirectory":"/shared/hangar","hostKey":null,
                  "jobUser":"Connection","userMap":{},"slurmVersion":"24.05.1","clusterName":"hpc","nodeCount":2,
                  "cpusPerNode":8,"account":"hangar","switchesUsers":false,
                  "restUrl":"http://slurm-api.example:6820","restUser":"hangar","restToken":null}}}"""
                .formatted(compute(name), name, LOCATION, LOCATION);
    }

    /**
     * A page of {@code listNodes}: nodes {@code tvm-<first>}, {@code tvm-<first + 1>}... in {@code states}, a running
     * node {@code tvm-<n>} running job {@code job-<n>}; {@code nextLink} may be null.
     */
    public static String nodes(String nextLink, int first, String... states) {
        var nodes = new java.util.ArrayList<String>();
        for (int i = 0; i < states.length; i++) {
            var job = states[i].equals("running") ? "\"job-" + (first + i) + "\"" : "null";
            nodes.add("""
                    {"nodeId":"tvm-%d","privateIpAddress":"127.0.0.1","publicIpAddress":null,"port":null,\
                    "nodeState":"%s","runId":%s}""".formatted(first + i, states[i], job));
        }
        return "{\"nodes\":[" + String.join(",", nodes) + "],\"nextLink\":"
                + (nextLink == null ? "null" : "\"" + nextLink + "\"") + "}";
    }

    /** The versions of environment {@code name}. */
    public static String environmentVersions(String name) {
        return ArmServer.WORKSPACE + "/environments/" + name + "/versions";
    }

    public static String environmentVersion(String name, String version) {
        return environmentVersions(name) + "/" + version;
    }

    /** An environment version as the server writes it, recorded by alice. */
    public static String environment(String name, String version, String image) {
        return """
                {"id":"%s","name":"%s","type":"Microsoft.MachineLearningServices/workspaces/environments/versions",
                 "properties":{"image":"%s","description":"training","tags":{"team":"ml"},"isAnonymous":false,
                  "osType":"Linux","creationTime":"2025-01-02T03:04:05Z","createdBy":"alice"}}"""
                .formatted(environmentVersion(name, version), version, image);
    }

    public static String job(String name) {
        return ArmServer.WORKSPACE + "/jobs/" + name;
    }

    /** A command job on compute {@code ci1}; {@code environmentId} (a version's ARM id) may be null. */
    public static String commandJob(String name, String status, String environmentId) {
        return """
                {"id":"%s","name":"%s","type":"Microsoft.MachineLearningServices/workspaces/jobs",
                 "properties":{"jobType":"Command","command":"python -V","computeId":"%s",%s
                  "environmentVariables":{},"resources":{"instanceCount":1,"cores":1},"status":"%s",
                  "creationTime":"2025-01-02T03:04:05Z","queueSettings":{"priority":2}}}""".formatted(job(name), name,
                compute("ci1"), environmentId == null ? "" : "\"environmentId\":\"" + environmentId + "\",", status);
    }

    /** A list page; {@code nextLink} {@code null} leaves the key out, as on a last page. */
    public static String page(String nextLink, String... items) {
        var value = Arrays.stream(items).collect(Collectors.joining(",", "[", "]"));
        return nextLink == null ? "{\"value\":" + value + "}"
                : "{\"value\":" + value + ",\"nextLink\":\"" + nextLink + "\"}";
    }

    public static String operation(String id, String status) {
        var end = status.equals("InProgress") ? "null" : "\"2025-01-02T03:05:00Z\"";
        return """
                {"id":"%s","name":"%s","status":"%s","startTime":"2025-01-02T03:04:05Z","endTime":%s,"error":null}"""
                .formatted(operationPath(id), id, status, end);
    }

    public static String failedOperation(String id, String status, String code, String message) {
        return """
                {"id":"%s","name":"%s","status":"%s","startTime":"2025-01-02T03:04:05Z","endTime":"2025-01-02T03:05:00Z",
                 "error":{"code":"%s","message":"%s"}}""".formatted(operationPath(id), id, status, code, message);
    }

    public static String error(String code, String message) {
        return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\",\"target\":null,\"details\":[]}}";
    }

    public static String history(String name) {
        return """
                {"value":[
                 {"time":"2025-01-02T03:04:05Z","from":null,"to":"Creating","reason":"created","actor":"alice"},
                 {"time":"2025-01-02T03:04:09Z","from":"Creating","to":"Running","reason":"backend ready","actor":"reconciler"}]}""";
    }

    public static String vmSizes() {
        var sizes = """
                [{"name":"Standard_DS3_v2","family":"standardDSv2Family","vCPUs":4,"gpus":0,"osVhdSizeMB":1047552,
                  "maxResourceVolumeMB":28672,"memoryGB":14.0,"lowPriorityCapable":true,"premiumIO":true,
                  "estimatedVMPrices":null,"supportedComputeTypes":["ComputeInstance","AmlCompute"]},
                 {"name":"Standard_NC6s_v3","family":"standardNCSv3Family","vCPUs":6,"gpus":1,"osVhdSizeMB":1047552,
                  "maxResourceVolumeMB":344064,"memoryGB":112.0,"lowPriorityCapable":true,"premiumIO":true,
                  "estimatedVMPrices":null,"supportedComputeTypes":["ComputeInstance"]}]""";
        return "{\"value\":" + sizes + ",\"amlCompute\":" + sizes + "}";
    }

    /** The three long-running-operation headers ARM puts on an accepting answer. */
    public static Reply accepted(Reply reply, String operationId, int retryAfterSeconds) {
        return reply.header("Azure-AsyncOperation", "{base}" + operationPath(operationId) + "?api-version=2025-12-01")
                .header("Location", "{base}/subscriptions/" + ArmServer.SUBSCRIPTION
                        + "/providers/Microsoft.MachineLearningServices/locations/" + LOCATION
                        + "/computeOperationsResults/" + operationId + "?api-version=2025-12-01")
                .header("Retry-After", Integer.toString(retryAfterSeconds));
    }

    /**
     * Scripts an operation: its status answers {@code statuses} in turn (with {@code Retry-After}), and the compute
     * answers {@code states} in turn ({@code null} = 404, gone).
     */
    public static void script(ArmServer server, String name, String operationId, int retryAfterSeconds,
                              List<String> statuses, List<String> states) {
        server.on("GET", operationPath(operationId), statuses.stream()
                .map(status -> Reply.json(200, operation(operationId, status))
                        .header("Retry-After", Integer.toString(retryAfterSeconds)))
                .toArray(Reply[]::new));
        server.on("GET", compute(name), states.stream()
                .map(state -> state == null ? Reply.json(404, error("ResourceNotFound", "compute " + name + " not found"))
                        : Reply.json(200, instance(name, state, ALICE, null)))
                .toArray(Reply[]::new));
    }
}
