package dev.hangar.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.api.AmlComputeNodeInformation;
import dev.hangar.api.AmlComputeNodesInformation;
import dev.hangar.api.AmlComputeProperties;
import dev.hangar.api.AmlComputeProperties.ScaleSettings;
import dev.hangar.api.ComputeInstanceProperties;
import dev.hangar.api.ComputeResource;
import dev.hangar.api.CustomService;
import dev.hangar.api.PagedList;
import dev.hangar.api.ProvisioningState;
import dev.hangar.api.SessionInfo.WorkspaceRef;
import dev.hangar.api.SlurmProperties;
import dev.hangar.api.SparkProperties;
import dev.hangar.api.StateTransitionEntry;
import dev.hangar.api.VirtualMachineSizeList;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The computes of one workspace, instances ({@code ComputeInstance}), clusters ({@code AmlCompute}) and attached Slurm
 * clusters ({@code Slurm}):
 * {@code /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces/{name}/computes}.
 * Obtained from {@link HangarClient#workspace}. A compute read back holds {@link ComputeInstanceProperties},
 * {@link AmlComputeProperties} or {@link SlurmProperties} in {@code properties().properties()}, as its
 * {@code computeType} says.
 *
 * <p>Thread-safe. Every method makes one or more blocking requests and throws {@link HangarException} on failure: for a
 * compute that does not exist that is status 404, code {@code ResourceNotFound}. The mutating calls return once the
 * server has accepted the change; wait for it with the returned {@link LongRunningOperation}.
 */
public final class ComputeClient {
    private static final TypeReference<PagedList<ComputeResource>> COMPUTE_PAGE = new TypeReference<>() { };
    private static final TypeReference<PagedList<StateTransitionEntry>> HISTORY = new TypeReference<>() { };
    private static final TypeReference<AmlComputeNodesInformation> NODE_PAGE = new TypeReference<>() { };

    private final Transport transport;
    private final WorkspaceRef workspace;
    private final String path;

    ComputeClient(Transport transport, WorkspaceRef workspace) {
        this.transport = transport;
        this.workspace = Objects.requireNonNull(workspace, "workspace");
        this.path = ArmIds.workspacePath(workspace);
    }

    public WorkspaceRef workspace() {
        return workspace;
    }

    /** Every compute of the workspace, following {@code nextLink} until the last page. */
    public List<ComputeResource> list() {
        return list(null);
    }

    /**
     * {@link #list()} of the computes {@code user} (an object id, or {@code me} for the caller) created or was
     * given; every compute when null.
     */
    public List<ComputeResource> list(String user) {
        var first = transport.uri(path + "/computes", user == null ? null
                : "user=" + java.net.URLEncoder.encode(user, java.nio.charset.StandardCharsets.UTF_8));
        return allPages("GET", first, COMPUTE_PAGE, PagedList::value, PagedList::nextLink);
    }

    /** One compute; 404 {@code ResourceNotFound} when it does not exist. */
    public ComputeResource get(String name) {
        return transport.read(transport.send("GET", computeUri(name, null), null), ComputeResource.class);
    }

    /**
     * Creates (or, when it exists, updates) a compute instance: {@code PUT .../computes/{name}} in the workspace's
     * location. The server answers at once; the instance goes {@code Creating} → {@code Running} in the background.
     * An instance that exists has its schedules replaced by the spec's, or kept when the spec has none ({@code null}).
     */
    public LongRunningOperation createInstance(String name, InstanceSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return put(name, spec.toResource(workspace.location()));
    }

    /**
     * Creates a compute cluster ({@code AmlCompute}): {@code PUT .../computes/{name}} in the workspace's location. The
     * server answers at once and brings up the minimum of nodes in the background. When the cluster exists, its
     * description, tags and scale settings are replaced; its VM size and priority are fixed (400
     * {@code VmSizeCannotBeUpdated}, {@code VmPriorityCannotBeUpdated}), and a compute of another type keeps the name (400
     * {@code ComputeTypeCannotBeUpdated}).
     */
    public LongRunningOperation createCluster(String name, ClusterSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return put(name, spec.toResource(workspace.location()));
    }

    /**
     * Attaches a Slurm cluster ({@code computeType: Slurm}), or changes the attachment of that name:
     * {@code PUT .../computes/{name}}. The server reaches Slurm (on its own host, over SSH or through slurmrestd)
     * before it records anything and answers once the attachment is recorded, so the returned operation has already
     * succeeded ({@link LongRunningOperation.Action#ATTACH ATTACH}, or {@link LongRunningOperation.Action#UPDATE
     * UPDATE} for a changed attachment); its {@link LongRunningOperation#resource() resource} is the attached compute.
     * A change that gives no secrets keeps the recorded ones.
     *
     * @throws HangarException status 400 when Slurm cannot be reached or refuses the settings (see {@link SlurmSpec}),
     *                         or when an instance or a cluster has the name ({@code ComputeTypeCannotBeUpdated})
     */
    public LongRunningOperation attachSlurm(String name, SlurmSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return attach(name, spec.toResource(workspace.location()));
    }

    /**
     * Attaches a Linux machine over SSH ({@code computeType: VirtualMachine}), or changes the attachment of that name:
     * {@code PUT .../computes/{name}}, as {@link #attachSlurm} does; the server logs in and probes the machine before
     * it records anything.
     *
     * @throws HangarException status 400 when the machine cannot be reached or used (see {@link VirtualMachineSpec}),
     *                         409 {@code ComputeAlreadyAttached} when another compute has attached it
     */
    public LongRunningOperation attachVirtualMachine(String name, VirtualMachineSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return attach(name, spec.toResource(workspace.location()));
    }

    /** An attach PUT: a new attachment's operation is an ATTACH. */
    private LongRunningOperation attach(String name, ComputeResource resource) {
        var operation = put(name, resource);
        return operation.action() == LongRunningOperation.Action.CREATE
                ? operation.as(LongRunningOperation.Action.ATTACH) : operation;
    }

    /**
     * Attaches a Spark standalone cluster ({@code computeType: Spark}) by its master, or changes an attachment: the
     * server reaches the master's REST submission server and web UI first, and refuses (400, nothing recorded) one it
     * cannot use. {@code spark}'s engine fields ({@code sparkVersion}, {@code nodeCount}, {@code cpusPerNode}) are
     * the server's to say and not sent.
     */
    public LongRunningOperation attachSpark(String name, SparkProperties spark, String description) {
        Objects.requireNonNull(spark, "spark");
        var sent = new SparkProperties(spark.masterUrl(), spark.restUrl(), spark.webUiUrl(), spark.workDirectory(),
                null, null, null);
        var compute = new dev.hangar.api.Compute(null, description, null, null, null, null, null, null, null, sent);
        var operation = put(name, new dev.hangar.api.ComputeResource(null, null, null, workspace.location(), null,
                null, compute));
        return operation.action() == LongRunningOperation.Action.CREATE
                ? operation.as(LongRunningOperation.Action.ATTACH) : operation;
    }

    /**
     * Detaches an attached compute ({@code underlyingResourceAction=Detach}): Hangar forgets it and ends the jobs it
     * runs there; the cluster itself is left as it is. Idempotent: for a compute that does not exist the server answers
     * 204 and the operation {@link LongRunningOperation#isDone() is done}. An instance or a cluster is not detached
     * (400): {@link #delete} them.
     */
    public LongRunningOperation detach(String name) {
        var uri = computeUri(name, null);
        var reply = transport.send("DELETE", computeUri(name, "underlyingResourceAction=Detach"), null);
        return LongRunningOperation.accepted(transport, LongRunningOperation.Action.DETACH, name, uri, reply, null);
    }

    /**
     * The credentials of an attached compute ({@code POST .../computes/{name}/listKeys}), as the server wrote them; for
     * Slurm Azure's {@code VirtualMachineSecrets} with the JWT of a {@code Rest} connection beside the account:
     * {@code {"computeType":"Slurm","administratorAccount":{"username","password","publicKeyData","privateKeyData","passphrase"},"restToken"}}.
     * The answer holds secrets: do not log it. An instance or a cluster has none (400 {@code ComputeHasNoSecrets}), and
     * the caller needs the {@code listKeys} permission (403 otherwise).
     */
    public JsonNode listKeys(String name) {
        return transport.read(transport.send("POST", transport.uri(computePath(name) + "/listKeys", null), null),
                JsonNode.class);
    }

    /**
     * Changes a cluster's scale settings ({@code PATCH .../computes/{name}}); a {@code null} argument keeps the current
     * value. ARM's PATCH replaces the whole {@code scaleSettings}, so the cluster is read first and the current values
     * fill in what is not given: a change made by someone else between the two requests is overwritten. The server
     * checks the numbers as at creation and answers once the new settings are recorded; the nodes follow in the
     * background.
     *
     * @throws HangarException {@code INVALID_INPUT}, code {@code OperationNotSupported}, when the compute is not a
     *                         cluster (nothing is sent)
     */
    public LongRunningOperation rescaleCluster(String name, Integer minNodes, Integer maxNodes,
                                               Duration idleTimeBeforeScaleDown) {
        var uri = computeUri(name, null);
        var current = get(name);
        if (!(current.properties() != null && current.properties().properties() instanceof AmlComputeProperties cluster)) {
            throw HangarException.of(HangarException.Kind.INVALID_INPUT, "OperationNotSupported", "compute '" + name
                    + "' is " + (current.properties() == null ? "of no known type" : "a "
                    + current.properties().computeType()) + ", not a cluster (AmlCompute): it has no scale settings",
                    "PATCH", uri, null);
        }
        var now = cluster.scaleSettings() != null ? cluster.scaleSettings() : new ScaleSettings(null, null, null);
        var scale = new ScaleSettings(maxNodes != null ? maxNodes : now.maxNodeCount(),
                minNodes != null ? minNodes : now.minNodeCount(),
                idleTimeBeforeScaleDown != null ? ClusterSpec.isoSeconds(idleTimeBeforeScaleDown)
                        : now.nodeIdleTimeBeforeScaleDown());
        // ClusterUpdateParameters: {"properties":{"properties":{"scaleSettings":{...}}}}, without a computeType
        var body = Map.of("properties", Map.of("properties", Map.of("scaleSettings", scale)));
        var reply = transport.send("PATCH", uri, body);
        return LongRunningOperation.accepted(transport, LongRunningOperation.Action.UPDATE, name, uri, reply,
                transport.read(reply, ComputeResource.class));
    }

    /**
     * A cluster's nodes ({@code POST .../computes/{name}/listNodes}), following {@code nextLink} until the last page;
     * empty when the cluster has none. For an attached Slurm cluster, the nodes of its partition as Slurm reports them:
     * {@code privateIpAddress} is the node's address and {@code runId} the names of the jobs it runs, comma-separated.
     * For a compute instance the server answers 400.
     */
    public List<AmlComputeNodeInformation> listNodes(String name) {
        return allPages("POST", transport.uri(computePath(name) + "/listNodes", null), NODE_PAGE,
                AmlComputeNodesInformation::nodes, AmlComputeNodesInformation::nextLink);
    }

    /** Starts a stopped instance ({@code Stopped} → {@code Starting} → {@code Running}). */
    public LongRunningOperation start(String name) {
        return post(name, LongRunningOperation.Action.START);
    }

    /** Stops a running instance ({@code Running} → {@code Stopping} → {@code Stopped}). */
    public LongRunningOperation stop(String name) {
        return post(name, LongRunningOperation.Action.STOP);
    }

    /** Restarts a running instance ({@code Running} → {@code Restarting} → {@code Running}). */
    public LongRunningOperation restart(String name) {
        return post(name, LongRunningOperation.Action.RESTART);
    }

    /**
     * Sets an instance's idle shutdown ({@code POST .../computes/{name}/updateIdleShutdownSetting}): once nothing has
     * used the instance for {@code idleTime} it is stopped; {@code null} turns idle shutdown off. The server answers
     * once the setting is recorded, so the returned operation is {@link LongRunningOperation#isDone() done}
     * ({@link LongRunningOperation.Action#UPDATE UPDATE}) and its {@link LongRunningOperation#resource() resource} is
     * the instance.
     *
     * @throws HangarException status 400 {@code InvalidIdleTime} for an idle time outside 15 minutes to 3 days, or
     *                         {@code OperationNotSupported} for a cluster or an attached compute
     */
    public LongRunningOperation updateIdleShutdown(String name, Duration idleTime) {
        var uri = computeUri(name, null);
        // off is an empty idle time, not a missing one: the request mapper would leave a null out
        var body = Map.of("idleTimeBeforeShutdown", idleTime == null ? "" : InstanceSpec.isoMinutes(idleTime));
        var reply = transport.send("POST", transport.uri(computePath(name) + "/updateIdleShutdownSetting", null), body);
        return LongRunningOperation.accepted(transport, LongRunningOperation.Action.UPDATE, name, uri, reply,
                transport.read(reply, ComputeResource.class));
    }

    /**
     * Replaces an instance's custom services ({@code POST .../computes/{name}/customServices}, Azure's
     * Compute_UpdateCustomServices); an empty list removes them. They take effect as the instance next starts or
     * restarts. The server answers once they are recorded, so the returned operation is done, its resource the
     * instance.
     *
     * @throws HangarException status 400 {@code InvalidCustomService}, {@code CustomServiceVolumeNotAllowed},
     *                         {@code PrivilegedCustomServiceNotAllowed}, or {@code CustomServicesNotSupported} on a
     *                         backend that runs none (and {@code OperationNotSupported} for a cluster)
     */
    public LongRunningOperation updateCustomServices(String name, List<CustomService> services) {
        var uri = computeUri(name, null);
        var reply = transport.send("POST", transport.uri(computePath(name) + "/customServices", null),
                List.copyOf(services));
        return LongRunningOperation.accepted(transport, LongRunningOperation.Action.UPDATE, name, uri, reply,
                transport.read(reply, ComputeResource.class));
    }

    /**
     * Hangar's keep-alive lease on an instance ({@code POST .../computes/{name}/keepAlive}): for {@code duration} from
     * now the instance counts as in use, whatever it does, so idle shutdown leaves it alone. A lease replaces the one
     * before; {@link Duration#ZERO} ends it. The caller needs to be allowed to open the instance's apps.
     *
     * @return when the lease ends; empty when it was ended
     * @throws HangarException status 400 {@code InvalidKeepAlive} for a negative duration or one over 3 days, or
     *                         {@code OperationNotSupported} for a cluster or an attached compute
     */
    public Optional<Instant> keepAlive(String name, Duration duration) {
        Objects.requireNonNull(duration, "duration");
        var reply = transport.send("POST", transport.uri(computePath(name) + "/keepAlive", null),
                Map.of("duration", duration.toString()));
        return Optional.ofNullable(transport.read(reply, dev.hangar.api.KeepAlive.class).keepAliveUntil());
    }

    /**
     * Deletes a compute and what backs it ({@code underlyingResourceAction=Delete}). Idempotent: for a compute that does
     * not exist the server answers 204 and the operation {@link LongRunningOperation#isDone() is done}.
     */
    public LongRunningOperation delete(String name) {
        var uri = computeUri(name, null);
        var reply = transport.send("DELETE", computeUri(name, "underlyingResourceAction=Delete"), null);
        return LongRunningOperation.accepted(transport, LongRunningOperation.Action.DELETE, name, uri, reply, null);
    }

    /** The compute's state transitions, oldest first (a Hangar extension). */
    public List<StateTransitionEntry> history(String name) {
        var page = transport.read(transport.send("GET", transport.uri(computePath(name) + "/history", null), null),
                HISTORY);
        return page.value() == null ? List.of() : List.copyOf(page.value());
    }

    /** The VM sizes offered in a location. */
    public VirtualMachineSizeList vmSizes(String location) {
        var uri = transport.uri("/subscriptions/" + ArmIds.segment(workspace.subscriptionId())
                + "/providers/Microsoft.MachineLearningServices/locations/" + ArmIds.segment(location) + "/vmSizes",
                null);
        return transport.read(transport.send("GET", uri, null), VirtualMachineSizeList.class);
    }

    /**
     * The state of a compute in one word: an instance's {@code state} ({@code properties.properties.state}, e.g.
     * {@code Running}); a provisioned cluster's {@code allocationState} ({@code Steady} or {@code Resizing}); otherwise
     * (another type, an instance without a state yet, a cluster still {@code Creating}, {@code Updating},
     * {@code Deleting} or {@code Failed}) its {@code provisioningState}; {@code null} when none is known.
     */
    public static String stateOf(ComputeResource resource) {
        if (resource == null || resource.properties() == null) {
            return null;
        }
        var provisioning = resource.properties().provisioningState();
        var fallback = provisioning == null ? null : provisioning.name();
        return switch (resource.properties().properties()) {
            case ComputeInstanceProperties instance when instance.state() != null -> instance.state();
            case AmlComputeProperties cluster when cluster.allocationState() != null
                    && provisioning == ProvisioningState.Succeeded -> cluster.allocationState();
            case null, default -> fallback;
        };
    }

    /**
     * How to reach {@code resource} (a compute of this workspace) over SSH; empty unless it is an instance with SSH
     * enabled and the server's SSH gateway is on. The host is the instance's
     * {@code connectivityEndpoints.publicIpAddress} (Hangar's own address), or this client's server when the instance
     * does not run and so shows none. Makes no request.
     */
    public Optional<SshAddress> sshAddress(ComputeResource resource) {
        if (resource == null || resource.properties() == null
                || !(resource.properties().properties() instanceof ComputeInstanceProperties instance)) {
            return Optional.empty();
        }
        var ssh = instance.sshSettings();
        if (ssh == null || !"Enabled".equalsIgnoreCase(ssh.sshPublicAccess()) || ssh.sshPort() == null) {
            return Optional.empty();
        }
        var endpoints = instance.connectivityEndpoints();
        var host = endpoints != null && endpoints.publicIpAddress() != null && !endpoints.publicIpAddress().isBlank()
                ? endpoints.publicIpAddress() : transport.server().getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return Optional.of(new SshAddress(resource.name() + "." + workspace.name(), host, ssh.sshPort()));
    }

    private LongRunningOperation post(String name, LongRunningOperation.Action action) {
        var reply = transport.send("POST", transport.uri(computePath(name) + "/" + action.verb(), null), null);
        return LongRunningOperation.accepted(transport, action, name, computeUri(name, null), reply, null);
    }

    private LongRunningOperation put(String name, ComputeResource body) {
        var uri = computeUri(name, null);
        var reply = transport.send("PUT", uri, body);
        var resource = transport.read(reply, ComputeResource.class);
        var action = reply.status() == 201 ? LongRunningOperation.Action.CREATE : LongRunningOperation.Action.UPDATE;
        return LongRunningOperation.accepted(transport, action, name, uri, reply, resource);
    }

    /**
     * The items of every page from {@code first} on: {@code method} for the first page, then GET on each
     * {@code nextLink} (as ARM's generated clients do) until a page has none.
     */
    private <P, T> List<T> allPages(String method, URI first, TypeReference<P> pageType, Function<P, List<T>> items,
                                    Function<P, String> nextLink) {
        var all = new ArrayList<T>();
        var seen = new HashSet<URI>();
        var next = first;
        var nextMethod = method;
        while (next != null) {
            if (!seen.add(next)) {
                throw new HangarException(HangarException.Kind.HTTP, 200, HangarException.detail("InvalidResponse",
                        "the server's nextLink points back to a page already read"), nextMethod, next, null);
            }
            var page = transport.read(transport.send(nextMethod, next, null), pageType);
            if (items.apply(page) != null) {
                all.addAll(items.apply(page));
            }
            var link = nextLink.apply(page);
            next = link == null || link.isBlank() ? null : transport.followed(link);
            nextMethod = "GET";
        }
        return List.copyOf(all);
    }

    private URI computeUri(String name, String query) {
        return transport.uri(computePath(name), query);
    }

    private String computePath(String name) {
        return path + "/computes/" + ArmIds.segment(Objects.requireNonNull(name, "name"));
    }
}
