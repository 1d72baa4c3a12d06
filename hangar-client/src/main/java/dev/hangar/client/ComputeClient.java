package dev.hangar.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.hangar.api.ComputeInstanceProperties;
import dev.hangar.api.ComputeResource;
import dev.hangar.api.PagedList;
import dev.hangar.api.SessionInfo.WorkspaceRef;
import dev.hangar.api.StateTransitionEntry;
import dev.hangar.api.VirtualMachineSizeList;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The computes of one workspace: {@code /subscriptions/{sub}/resourceGroups/{rg}/providers/
 * Microsoft.MachineLearningServices/workspaces/{name}/computes}. Obtained from {@link HangarClient#workspace}.
 *
 * <p>Thread-safe. Every method makes one or more blocking requests and throws {@link HangarException} on failure: for a
 * compute that does not exist that is status 404, code {@code ResourceNotFound}. The mutating calls return once the
 * server has accepted the change; wait for it with the returned {@link LongRunningOperation}.
 */
public final class ComputeClient {
    private static final TypeReference<PagedList<ComputeResource>> COMPUTE_PAGE = new TypeReference<>() { };
    private static final TypeReference<PagedList<StateTransitionEntry>> HISTORY = new TypeReference<>() { };

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
        var all = new ArrayList<ComputeResource>();
        var seen = new HashSet<URI>();
        var next = transport.uri(path + "/computes", user == null ? null
                : "user=" + java.net.URLEncoder.encode(user, java.nio.charset.StandardCharsets.UTF_8));
        while (next != null) {
            if (!seen.add(next)) {
                throw new HangarException(HangarException.Kind.HTTP, 200, HangarException.detail("InvalidResponse",
                        "the server's nextLink points back to a page already read"), "GET", next, null);
            }
            var page = transport.read(transport.send("GET", next, null), COMPUTE_PAGE);
            if (page.value() != null) {
                all.addAll(page.value());
            }
            next = page.nextLink() == null || page.nextLink().isBlank() ? null : transport.followed(page.nextLink());
        }
        return List.copyOf(all);
    }

    /** One compute; 404 {@code ResourceNotFound} when it does not exist. */
    public ComputeResource get(String name) {
        return transport.read(transport.send("GET", computeUri(name, null), null), ComputeResource.class);
    }

    /**
     * Creates (or, when it exists, updates) a compute instance: {@code PUT .../computes/{name}} in the workspace's
     * location. The server answers at once; the instance goes {@code Creating} → {@code Running} in the background.
     */
    public LongRunningOperation createInstance(String name, InstanceSpec spec) {
        Objects.requireNonNull(spec, "spec");
        var uri = computeUri(name, null);
        var reply = transport.send("PUT", uri, spec.toResource(workspace.location()));
        var resource = transport.read(reply, ComputeResource.class);
        var action = reply.status() == 201 ? LongRunningOperation.Action.CREATE : LongRunningOperation.Action.UPDATE;
        return LongRunningOperation.accepted(transport, action, name, uri, reply, resource);
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
     * The instance {@code state} of a compute ({@code properties.properties.state}, e.g. {@code Running}); for other
     * compute types, or when the instance has none yet, its {@code provisioningState}; {@code null} when neither is known.
     */
    public static String stateOf(ComputeResource resource) {
        if (resource == null || resource.properties() == null) {
            return null;
        }
        if (resource.properties().properties() instanceof ComputeInstanceProperties instance && instance.state() != null) {
            return instance.state();
        }
        var provisioning = resource.properties().provisioningState();
        return provisioning == null ? null : provisioning.name();
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

    private URI computeUri(String name, String query) {
        return transport.uri(computePath(name), query);
    }

    private String computePath(String name) {
        return path + "/computes/" + ArmIds.segment(Objects.requireNonNull(name, "name"));
    }
}
