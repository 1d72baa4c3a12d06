package dev.hangar.server.arm;

import dev.hangar.api.AmlComputeNodesInformation;
import dev.hangar.api.CheckNameAvailability;
import dev.hangar.api.ComputeResource;
import dev.hangar.api.ComputeType;
import dev.hangar.api.PagedList;
import dev.hangar.api.StateTransitionEntry;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.attached.AttachedService;
import dev.hangar.core.cluster.ClusterService;
import dev.hangar.core.compute.AnyComputeView;
import dev.hangar.core.compute.AttachedCompute;
import dev.hangar.core.compute.ComputeAdmission;
import dev.hangar.core.compute.ComputeCluster;
import dev.hangar.core.compute.ComputeFilter;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.ComputeName;
import dev.hangar.core.compute.ComputeReader;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.compute.ComputeView;
import dev.hangar.core.compute.Mutation;
import dev.hangar.core.custom.PrivilegedRequests;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.operation.Operation;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Blocking;
import dev.hangar.server.http.Json;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.Requests;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import dev.hangar.server.wire.WireSchemas;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code workspaces/{ws}/computes}: create, read, list, delete, start, stop, restart, history, name check for compute
 * instances; create, read, list, rescale (PATCH), delete and {@code listNodes} for compute clusters; attach (PUT),
 * read, list, detach (DELETE), {@code listNodes} and {@code listKeys} for attached computes (Slurm). A name is one
 * compute's, so each call on a name goes to the kind that has it.
 */
public final class ComputeRoutes {
    /** Computes per list page; a page is followed by a {@code nextLink} only when more remain. */
    static final int PAGE_SIZE = 50;
    /** The list's filters by user, kept in its {@code nextLink}. */
    private static final List<String> FILTERS = List.of("createdBy", "assignedTo", "user");
    private static final String RETRY_AFTER_SECONDS = "1";

    private final ComputeReader reader;
    private final ComputeService computes;
    private final ClusterService clusters;
    private final AttachedService attached;
    private final WorkspaceService workspaces;
    private final Authentication authentication;
    private final ArmUrls urls;
    private final ComputeResources resources;
    private final PrivilegedRequests privilegedServices;

    public ComputeRoutes(ComputeReader reader, ComputeService computes, ClusterService clusters,
                         AttachedService attached, WorkspaceService workspaces, Authentication authentication,
                         ArmUrls urls, ComputeResources resources, PrivilegedRequests privilegedServices) {
        this.reader = reader;
        this.computes = computes;
        this.clusters = clusters;
        this.attached = attached;
        this.workspaces = workspaces;
        this.authentication = authentication;
        this.urls = urls;
        this.resources = resources;
        this.privilegedServices = privilegedServices;
    }

    public void mount(RouteTable routes, Blocking blocking) {
        var compute = ArmPaths.COMPUTE_TEMPLATE;
        routes.regex(HttpMethod.GET, ArmPaths.COMPUTES, ArmPaths.WORKSPACE_TEMPLATE + "/computes",
                Guard.WORKSPACE_ACTION, Action.READ, blocking.handler(this::list));
        routes.regex(HttpMethod.GET, ArmPaths.COMPUTE_HISTORY, compute + "/history", Guard.WORKSPACE_ACTION,
                Action.READ, blocking.handler(this::history));
        routes.regex(HttpMethod.GET, ArmPaths.COMPUTE, compute, Guard.WORKSPACE_ACTION, Action.READ,
                blocking.handler(this::get));
        routes.regex(HttpMethod.PUT, ArmPaths.COMPUTE, compute, Guard.WORKSPACE_ACTION, Action.WRITE,
                blocking.handler(this::put));
        routes.regex(HttpMethod.PATCH, ArmPaths.COMPUTE, compute, Guard.WORKSPACE_ACTION, Action.WRITE,
                blocking.handler(this::patch));
        routes.regex(HttpMethod.DELETE, ArmPaths.COMPUTE, compute, Guard.WORKSPACE_ACTION, Action.DELETE,
                blocking.handler(this::delete));
        routes.regex(HttpMethod.POST, ArmPaths.COMPUTE + "/listNodes", compute + "/listNodes", Guard.WORKSPACE_ACTION,
                Action.LIST_NODES, blocking.handler(this::listNodes));
        for (var action : List.of(Action.START, Action.STOP, Action.RESTART)) {
            var verb = action.name().toLowerCase(java.util.Locale.ROOT);
            routes.regex(HttpMethod.POST, ArmPaths.COMPUTE + "/(?<action>" + verb + ")", compute + "/" + verb,
                    Guard.WORKSPACE_ACTION, action, blocking.handler(this::action));
        }
        routes.regex(HttpMethod.POST, ArmPaths.COMPUTE + "/listKeys", compute + "/listKeys", Guard.WORKSPACE_ACTION,
                Action.LIST_KEYS, blocking.handler(this::listKeys));
        routes.regex(HttpMethod.POST, ArmPaths.COMPUTE + "/updateIdleShutdownSetting",
                compute + "/updateIdleShutdownSetting", Guard.WORKSPACE_ACTION, Action.WRITE,
                blocking.handler(this::updateIdleShutdown));
        routes.regex(HttpMethod.POST, ArmPaths.COMPUTE + "/customServices", compute + "/customServices",
                Guard.WORKSPACE_ACTION, Action.WRITE, blocking.handler(this::updateCustomServices));
        routes.regex(HttpMethod.POST, ArmPaths.COMPUTE + "/keepAlive", compute + "/keepAlive", Guard.WORKSPACE_ACTION,
                Action.APPLICATION_ACCESS, blocking.handler(this::keepAlive));
        routes.regex(HttpMethod.POST, ArmPaths.NAME_CHECK, ArmPaths.WORKSPACE_TEMPLATE + "/checkComputeNameAvailability",
                Guard.WORKSPACE_ACTION, Action.CHECK_NAME, blocking.handler(this::checkName));
    }

    private Workspace workspace(RoutingContext ctx) {
        return workspaces.get(ctx.pathParam("sub"), ctx.pathParam("rg"), ctx.pathParam("ws"));
    }

    private Reply list(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var skip = Requests.skip(ctx);
        var filter = filter(ctx, caller);
        var base = urls.base(ctx);
        // One list of both kinds by name: the first skip + page + 1 of each, merged.
        var rendered = new java.util.ArrayList<ComputeResource>();
        var views = new java.util.ArrayList<AnyComputeView>();
        views.addAll(computes.list(caller, workspace, filter, 0, skip + PAGE_SIZE + 1));
        views.addAll(clusters.list(caller, workspace, filter, 0, skip + PAGE_SIZE + 1));
        views.addAll(attached.list(caller, workspace, filter, 0, skip + PAGE_SIZE + 1));
        views.forEach(view -> rendered.add(resources.resource(view, workspace, base)));
        rendered.sort(java.util.Comparator.comparing(resource -> resource.name().toLowerCase(java.util.Locale.ROOT)));
        var page = rendered.subList(Math.min(skip, rendered.size()), rendered.size());
        var value = page.stream().limit(PAGE_SIZE).toList();
        String next = null;
        if (page.size() > PAGE_SIZE) {
            var kept = new StringBuilder();
            for (var param : FILTERS) {
                var given = ctx.request().getParam(param);
                if (given != null) {
                    kept.append('&').append(param).append('=').append(given.strip());
                }
            }
            next = base + ctx.request().path() + "?api-version=" + ArmUrls.apiVersion(ctx) + kept + "&$skip="
                    + (skip + PAGE_SIZE);
        }
        return Reply.ok(new PagedList<>(value, next));
    }

    /**
     * Hangar's filters of a list, by user object id or {@code me}: {@code createdBy}, {@code assignedTo}, and
     * {@code user} (created by or assigned to).
     */
    private static ComputeFilter filter(RoutingContext ctx, User caller) {
        return new ComputeFilter(user(ctx, caller, FILTERS.get(0)), user(ctx, caller, FILTERS.get(1)),
                user(ctx, caller, FILTERS.get(2)));
    }

    private static UUID user(RoutingContext ctx, User caller, String param) {
        var raw = ctx.request().getParam(param);
        if (raw == null || raw.isBlank()) {
            return null;
        }
        if (raw.strip().equalsIgnoreCase("me")) {
            return caller.id();
        }
        return Requests.uuid(raw, () -> ApiException.badRequest(ErrorCodes.INVALID_ARGUMENT, param + " must be a"
                + " user's object id or 'me', not '" + raw + "'.", param));
    }

    private Reply listKeys(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        return switch (reader.compute(caller, workspace, Action.LIST_KEYS, name)) {
            case AttachedCompute compute -> Reply.ok(AttachedJson.keys(attached.credentials(caller, workspace, name)));
            case ComputeCluster cluster -> throw ApiException.badRequest(ErrorCodes.COMPUTE_HAS_NO_SECRETS, "Compute '"
                    + name + "' is an AmlCompute cluster, which has no secrets to list: its nodes run jobs through"
                    + " Hangar. listKeys lists the credentials of attached computes.");
            case ComputeInstance instance -> Reply.ok(computes.listKeys(caller, workspace, name));
        };
    }

    private Reply listNodes(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        return switch (reader.compute(caller, workspace, Action.LIST_NODES, name)) {
            case AttachedCompute compute -> Reply.ok(new AmlComputeNodesInformation(attached.nodes(caller, workspace,
                    name).stream().map(AttachedJson::node).toList(), null));
            case ComputeCluster cluster -> Reply.ok(new AmlComputeNodesInformation(clusters.nodes(caller, workspace,
                    name).stream().map(ClusterJson::node).toList(), null));
            case ComputeInstance instance -> throw notForInstances(name, "listNodes lists the nodes of a cluster"
                    + " (AmlCompute)");
        };
    }

    private Reply patch(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        var current = switch (reader.compute(caller, workspace, Action.WRITE, name)) {
            case AttachedCompute compute -> throw ApiException.badRequest("OperationNotSupported", "Compute '" + name
                    + "' is attached: PATCH changes the scale settings of a cluster (AmlCompute); change an attachment"
                    + " with PUT.");
            case ComputeInstance instance -> throw notForInstances(name, "PATCH changes the scale settings of a"
                    + " cluster (AmlCompute); change an instance's description and tags with PUT");
            case ComputeCluster cluster -> cluster;
        };
        var mutation = clusters.rescale(caller, workspace, name,
                ComputeRequests.rescale(ctx.body().asString(), current.scale()));
        return Reply.ok(resources.resource(clusters.view(caller, workspace, name), workspace, urls.base(ctx)))
                .withHeaders(operationHeaders(ctx, workspace, mutation.operation()));
    }

    private static ApiException notForInstances(String name, String what) {
        return ApiException.badRequest("OperationNotSupported", "Compute '" + name + "' is a ComputeInstance: "
                + what + ".");
    }

    private Reply get(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        return Reply.ok(resources.resource(reader.view(caller, workspace, Action.READ, ctx.pathParam("name")),
                workspace, urls.base(ctx)));
    }

    /** {@code updateIdleShutdownSetting}: {@code {"idleTimeBeforeShutdown":"PT45M"}}; an empty one turns it off. */
    private Reply updateIdleShutdown(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        requireInstance(caller, workspace, Action.WRITE, name, "scales down by its own idle time,"
                + " nodeIdleTimeBeforeScaleDown");
        var idleTime = ComputeRequests.idleShutdownSetting(ctx.body().asString());
        var compute = computes.updateIdleShutdown(caller, workspace, name, idleTime);
        return Reply.ok(render(compute, workspace, urls.base(ctx)));
    }

    /**
     * {@code updateCustomServices} (Compute_UpdateCustomServices): the body is the instance's custom services from now
     * on, a JSON list; they take effect as it next starts or restarts. Answers 200 with the instance.
     */
    private Reply updateCustomServices(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        requireInstance(caller, workspace, Action.WRITE, name, "runs jobs only, no custom services");
        var services = ComputeRequests.customServicesUpdate(ctx.body().asString(), privilegedServices);
        var compute = computes.updateCustomServices(caller, workspace, name, services);
        return Reply.ok(render(compute, workspace, urls.base(ctx)));
    }

    /**
     * Hangar's keep-alive lease: {@code {"duration":"PT2H"}} keeps the instance from idle shutdown until then, whatever
     * it does; {@code PT0S} ends the lease. Answers {@code {"keepAliveUntil"}} (null once ended).
     */
    private Reply keepAlive(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        requireInstance(caller, workspace, Action.APPLICATION_ACCESS, name, "has no idle shutdown to keep it from");
        computes.openApps(caller, workspace, name);
        var compute = computes.keepAlive(caller, workspace, name, ComputeRequests.keepAlive(ctx.body().asString()));
        var until = compute.idleShutdown().keepAliveUntil();
        return Reply.ok(new dev.hangar.api.KeepAlive(until));
    }

    private Reply history(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        requireInstance(caller, workspace, Action.READ, name, "has no state history: listNodes shows its nodes, and"
                + " its operations are in the audit events");
        var entries = computes.history(caller, workspace, name).stream()
                .map(line -> new StateTransitionEntry(line.at(), line.from() == null ? null : line.from().name(),
                        line.to() == null ? "Deleted" : line.to().name(), line.reason(), line.actor()))
                .toList();
        return Reply.ok(new PagedList<>(entries, null));
    }

    private Reply put(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        // Checked before the body is read: a caller who may not write learns nothing from its validation.
        var name = ctx.pathParam("name");
        computes.require(caller, workspace, Action.WRITE, name);
        var raw = ctx.body().asString();
        var computeType = ComputeRequests.computeType(raw, attached::kind);
        if (attached.kind(computeType).isPresent()) {
            var mutation = attached.attach(caller, workspace, name, ComputeRequests.attachment(raw, computeType));
            var body = resources.resource(attached.view(caller, workspace, name), workspace, urls.base(ctx));
            return Reply.of(mutation.created() ? 201 : 200, body)
                    .withHeaders(operationHeaders(ctx, workspace, mutation.operation()));
        }
        if (computeType.equals(ComputeType.AML_COMPUTE)) {
            var mutation = clusters.createOrUpdate(caller, workspace, name, ComputeRequests.cluster(raw));
            var body = resources.resource(clusters.view(caller, workspace, name), workspace, urls.base(ctx));
            return Reply.of(mutation.created() ? 201 : 200, body)
                    .withHeaders(operationHeaders(ctx, workspace, mutation.operation()));
        }
        var request = ComputeRequests.instance(raw, urls.sshPort() != null, privilegedServices);
        var mutation = computes.createOrUpdate(caller, workspace, name, request);
        var body = render(mutation.compute(), workspace, urls.base(ctx));
        return Reply.of(mutation.created() ? 201 : 200, body)
                .withHeaders(operationHeaders(ctx, workspace, mutation.operation()));
    }

    private Reply delete(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        var found = reader.find(caller, workspace, Action.DELETE, name);
        var action = ctx.request().getParam("underlyingResourceAction");
        if (action == null || action.isBlank()) {
            throw ApiException.badRequest(ErrorCodes.INVALID_ARGUMENT, "The query parameter"
                    + " underlyingResourceAction is required: Delete (or Detach for attached compute).",
                    "underlyingResourceAction");
        }
        var detach = action.equalsIgnoreCase("Detach");
        if (!detach && !action.equalsIgnoreCase("Delete")) {
            throw ApiException.badRequest(ErrorCodes.INVALID_ARGUMENT, "underlyingResourceAction must be Delete or"
                    + " Detach, not '" + action + "'.", "underlyingResourceAction");
        }
        if (found.isEmpty()) {
            return Reply.status(204);
        }
        Optional<Operation> operation = switch (found.get()) {
            // Hangar never deletes what it did not make: either action detaches.
            case AttachedCompute compute -> attached.detach(caller, workspace, name).map(Mutation::operation);
            case ComputeCluster cluster when !detach -> clusters.delete(caller, workspace, name)
                    .map(Mutation::operation);
            case ComputeInstance instance when !detach -> computes.delete(caller, workspace, name)
                    .map(Mutation::operation);
            default -> throw ApiException.badRequest(ErrorCodes.INVALID_ARGUMENT, "Compute '" + name + "' is "
                    + ComputeAdmission.described(found.get()) + ", which cannot be detached; use"
                    + " underlyingResourceAction=Delete.", "underlyingResourceAction");
        };
        return operation.map(started -> Reply.status(202).withHeaders(operationHeaders(ctx, workspace, started)))
                .orElseGet(() -> Reply.status(204));
    }

    private Reply action(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        var verb = ctx.pathParam("action").toLowerCase(java.util.Locale.ROOT);
        requireInstance(caller, workspace, Action.valueOf(verb.toUpperCase(java.util.Locale.ROOT)), name,
                "starts and stops its nodes by itself: change its scale settings (PATCH, or 'hangar compute update"
                        + " --min-instances --max-instances') instead");
        var mutation = switch (verb) {
            case "start" -> computes.start(caller, workspace, name);
            case "stop" -> computes.stop(caller, workspace, name);
            default -> computes.restart(caller, workspace, name);
        };
        return Reply.status(202).withHeaders(operationHeaders(ctx, workspace, mutation.operation()));
    }

    /**
     * Refuses, once the caller's roles grant {@code action} on it, a call that has meaning for an instance only: 400
     * {@code OperationNotSupported} for a cluster or an attached compute, 404 for none.
     *
     * @param why what a cluster does instead, as the refusal says it
     */
    private void requireInstance(User caller, Workspace workspace, Action action, String name, String why) {
        switch (reader.compute(caller, workspace, action, name)) {
            case ComputeInstance instance -> { }
            case ComputeCluster cluster -> throw ApiException.badRequest("OperationNotSupported", "Compute '" + name
                    + "' is an AmlCompute cluster, which " + why + ".");
            case AttachedCompute compute -> throw ApiException.badRequest("OperationNotSupported", "Compute '" + name
                    + "' is an attached " + compute.kind() + ", which Hangar neither starts nor stops, and keeps no"
                    + " state history of: it submits jobs to it.");
        }
    }

    private Reply checkName(RoutingContext ctx) throws Exception {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        computes.requireNameCheck(caller, workspace);
        var body = ctx.body().asString();
        var request = body == null || body.isBlank() ? null : Json.MAPPER.treeToValue(
                WireSchemas.NAME_AVAILABILITY.validate(Json.MAPPER.readTree(body)), CheckNameAvailability.Request.class);
        var name = request == null ? null : request.name();
        // Asked first: whoever may not check names learns nothing, not even that a name is invalid.
        var taken = computes.exists(caller, workspace, name == null ? "" : name);
        var problem = ComputeName.problem(name);
        if (problem.isPresent()) {
            return Reply.ok(new CheckNameAvailability.Response(false, "Invalid", problem.get()));
        }
        if (taken) {
            return Reply.ok(new CheckNameAvailability.Response(false, "AlreadyExists", "Compute name '" + name
                    + "' is already in use in workspace '" + workspace.name() + "'."));
        }
        return Reply.ok(new CheckNameAvailability.Response(true, null, null));
    }

    private Map<String, String> operationHeaders(RoutingContext ctx, Workspace workspace, Operation operation) {
        var id = operation.id().toString();
        return Map.of(
                "Azure-AsyncOperation", urls.operationStatus(ctx, workspace.subscriptionId(), workspace.location(), id),
                "Location", urls.operationResult(ctx, workspace.subscriptionId(), workspace.location(), id),
                "Retry-After", RETRY_AFTER_SECONDS);
    }

    private ComputeResource render(ComputeInstance compute, Workspace workspace, String base) {
        return resources.resource(new ComputeView(compute, computes.lastOperation(compute.id()).orElse(null)),
                workspace, base);
    }
}
