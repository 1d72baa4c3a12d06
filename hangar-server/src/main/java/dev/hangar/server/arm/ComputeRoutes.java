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
import dev.hangar.core.compute.ComputeFilter;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.ComputeName;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.compute.ComputeView;
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
import dev.hangar.server.http.RouteTable.Guard;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.wire.WireSchemas;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

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

    private final ComputeService computes;
    private final ClusterService clusters;
    private final AttachedService attached;
    private final WorkspaceService workspaces;
    private final Authentication authentication;
    private final ArmUrls urls;
    private final Predicate<UUID> runningJobs;
    private final java.util.function.Function<ComputeInstance, String> instanceUsers;
    private final PrivilegedRequests privilegedServices;

    /**
     * @param runningJobs whether jobs run on a compute (by id)
     * @param instanceUsers an instance's user, as its backend names it
     */
    public ComputeRoutes(ComputeService computes, ClusterService clusters, AttachedService attached,
                         WorkspaceService workspaces,
                         Authentication authentication, ArmUrls urls, Predicate<UUID> runningJobs,
                         java.util.function.Function<ComputeInstance, String> instanceUsers,
                         PrivilegedRequests privilegedServices) {
        this.computes = computes;
        this.clusters = clusters;
        this.attached = attached;
        this.workspaces = workspaces;
        this.authentication = authentication;
        this.urls = urls;
        this.runningJobs = runningJobs;
        this.instanceUsers = instanceUsers;
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
        computes.list(caller, workspace, filter, 0, skip + PAGE_SIZE + 1).forEach(view -> rendered.add(
                ComputeJson.resource(view.compute(), workspace, view.lastOperation(), base, urls.sshPort(),
                        runningJobs.test(view.compute().id()), instanceUsers.apply(view.compute()))));
        clusters.list(caller, workspace, filter, 0, skip + PAGE_SIZE + 1).forEach(view -> rendered.add(
                ClusterJson.resource(view, workspace)));
        attached.list(caller, workspace, filter, 0, skip + PAGE_SIZE + 1).forEach(view -> rendered.add(
                AttachedJson.resource(view, workspace)));
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
        if (attached.exists(workspace, name)) {
            return Reply.ok(AttachedJson.keys(attached.credentials(caller, workspace, name)));
        }
        if (clusters.exists(workspace, name)) {
            clusters.view(caller, workspace, name);
            throw ApiException.badRequest(ErrorCodes.COMPUTE_HAS_NO_SECRETS, "Compute '" + name + "' is an AmlCompute"
                    + " cluster, which has no secrets to list: its nodes run jobs through Hangar. listKeys lists the"
                    + " credentials of attached computes.");
        }
        return Reply.ok(computes.listKeys(caller, workspace, name));
    }

    private Reply listNodes(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        computes.require(caller, workspace, Action.LIST_NODES, name);
        if (attached.exists(workspace, name)) {
            return Reply.ok(new AmlComputeNodesInformation(attached.nodes(caller, workspace, name).stream()
                    .map(AttachedJson::node).toList(), null));
        }
        if (!clusters.exists(workspace, name)) {
            computes.view(caller, workspace, name);
            throw notForInstances(name, "listNodes lists the nodes of a cluster (AmlCompute)");
        }
        var nodes = clusters.nodes(caller, workspace, name).stream().map(ClusterJson::node).toList();
        return Reply.ok(new AmlComputeNodesInformation(nodes, null));
    }

    private Reply patch(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        computes.require(caller, workspace, Action.WRITE, name);
        if (attached.exists(workspace, name)) {
            attached.view(caller, workspace, name);
            throw ApiException.badRequest("OperationNotSupported", "Compute '" + name + "' is attached: PATCH changes"
                    + " the scale settings of a cluster (AmlCompute); change an attachment with PUT.");
        }
        if (!clusters.exists(workspace, name)) {
            computes.view(caller, workspace, name);
            throw notForInstances(name, "PATCH changes the scale settings of a cluster (AmlCompute); change an"
                    + " instance's description and tags with PUT");
        }
        var current = clusters.view(caller, workspace, name).cluster();
        var mutation = clusters.rescale(caller, workspace, name,
                ComputeRequests.rescale(ctx.body().asString(), current.scale()));
        var view = clusters.view(caller, workspace, name);
        return Reply.ok(ClusterJson.resource(view, workspace))
                .withHeaders(operationHeaders(ctx, workspace, mutation.operation()));
    }

    private static ApiException notForInstances(String name, String what) {
        return ApiException.badRequest("OperationNotSupported", "Compute '" + name + "' is a ComputeInstance: "
                + what + ".");
    }

    private Reply get(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        // Instances first, in the one read a GET of an instance needs (the hot path); a cluster only when none is.
        ComputeView view;
        try {
            view = computes.view(caller, workspace, name);
        } catch (ApiException.NotFound none) {
            if (clusters.exists(workspace, name)) {
                return Reply.ok(ClusterJson.resource(clusters.view(caller, workspace, name), workspace));
            }
            if (attached.exists(workspace, name)) {
                return Reply.ok(AttachedJson.resource(attached.view(caller, workspace, name), workspace));
            }
            throw none;
        }
        return Reply.ok(ComputeJson.resource(view.compute(), workspace, view.lastOperation(), urls.base(ctx),
                urls.sshPort(), runningJobs.test(view.compute().id()), instanceUsers.apply(view.compute())));
    }

    /** {@code updateIdleShutdownSetting}: {@code {"idleTimeBeforeShutdown":"PT45M"}}; an empty one turns it off. */
    private Reply updateIdleShutdown(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        computes.require(caller, workspace, Action.WRITE, name);
        refuseOthers(ctx, caller, "scales down by its own idle time, nodeIdleTimeBeforeScaleDown");
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
        computes.require(caller, workspace, Action.WRITE, name);
        refuseOthers(ctx, caller, "runs jobs only, no custom services");
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
        computes.require(caller, workspace, Action.APPLICATION_ACCESS, name);
        refuseOthers(ctx, caller, "has no idle shutdown to keep it from");
        computes.openApps(caller, workspace, name);
        var compute = computes.keepAlive(caller, workspace, name, ComputeRequests.keepAlive(ctx.body().asString()));
        var until = compute.idleShutdown().keepAliveUntil();
        return Reply.ok(new dev.hangar.api.KeepAlive(until));
    }

    private Reply history(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        refuseOthers(ctx, caller, "has no state history: listNodes shows its nodes, and its operations are in"
                + " the audit events");
        var entries = computes.history(caller, workspace(ctx), ctx.pathParam("name")).stream()
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
            var body = AttachedJson.resource(attached.view(caller, workspace, name), workspace);
            return Reply.of(mutation.created() ? 201 : 200, body)
                    .withHeaders(operationHeaders(ctx, workspace, mutation.operation()));
        }
        if (computeType.equals(ComputeType.AML_COMPUTE)) {
            var mutation = clusters.createOrUpdate(caller, workspace, name, ComputeRequests.cluster(raw));
            var body = ClusterJson.resource(clusters.view(caller, workspace, name), workspace);
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
        computes.require(caller, workspace, Action.DELETE, ctx.pathParam("name"));
        var action = ctx.request().getParam("underlyingResourceAction");
        if (action == null || action.isBlank()) {
            throw ApiException.badRequest(ErrorCodes.INVALID_ARGUMENT, "The query parameter"
                    + " underlyingResourceAction is required: Delete (or Detach for attached compute).",
                    "underlyingResourceAction");
        }
        if (attached.exists(workspace, ctx.pathParam("name"))
                && (action.equalsIgnoreCase("Detach") || action.equalsIgnoreCase("Delete"))) {
            // Hangar never deletes what it did not make: either action detaches.
            return attached.detach(caller, workspace, ctx.pathParam("name"))
                    .map(mutation -> Reply.status(202).withHeaders(operationHeaders(ctx, workspace,
                            mutation.operation())))
                    .orElseGet(() -> Reply.status(204));
        }
        if (action.equalsIgnoreCase("Detach")) {
            throw ApiException.badRequest(ErrorCodes.INVALID_ARGUMENT, "A compute instance cannot be detached;"
                    + " use underlyingResourceAction=Delete.", "underlyingResourceAction");
        }
        if (!action.equalsIgnoreCase("Delete")) {
            throw ApiException.badRequest(ErrorCodes.INVALID_ARGUMENT, "underlyingResourceAction must be Delete or"
                    + " Detach, not '" + action + "'.", "underlyingResourceAction");
        }
        if (clusters.exists(workspace, ctx.pathParam("name"))) {
            return clusters.delete(caller, workspace, ctx.pathParam("name"))
                    .map(mutation -> Reply.status(202).withHeaders(operationHeaders(ctx, workspace,
                            mutation.operation())))
                    .orElseGet(() -> Reply.status(204));
        }
        return computes.delete(caller, workspace, ctx.pathParam("name"))
                .map(mutation -> Reply.status(202).withHeaders(operationHeaders(ctx, workspace,
                        mutation.operation())))
                .orElseGet(() -> Reply.status(204));
    }

    private Reply action(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        refuseOthers(ctx, caller, "starts and stops its nodes by itself: change its scale settings (PATCH, or"
                + " 'hangar compute update --min-instances --max-instances') instead");
        var mutation = switch (ctx.pathParam("action").toLowerCase()) {
            case "start" -> computes.start(caller, workspace, name);
            case "stop" -> computes.stop(caller, workspace, name);
            default -> computes.restart(caller, workspace, name);
        };
        return Reply.status(202).withHeaders(operationHeaders(ctx, workspace, mutation.operation()));
    }

    /**
     * Refuses, 400 {@code OperationNotSupported}, a call that has no meaning for a cluster or an attached compute,
     * once the caller may read it.
     */
    private void refuseOthers(RoutingContext ctx, User caller, String why) {
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        if (clusters.exists(workspace, name)) {
            clusters.view(caller, workspace, name);
            throw ApiException.badRequest("OperationNotSupported", "Compute '" + name + "' is an AmlCompute cluster,"
                    + " which " + why + ".");
        }
        if (attached.exists(workspace, name)) {
            var compute = attached.view(caller, workspace, name).compute();
            throw ApiException.badRequest("OperationNotSupported", "Compute '" + name + "' is an attached "
                    + compute.kind() + ", which Hangar neither starts nor stops, and keeps no state history of: it"
                    + " submits jobs to it.");
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
        var last = computes.lastOperation(compute.id()).orElse(null);
        return ComputeJson.resource(compute, workspace, last, base, urls.sshPort(), runningJobs.test(compute.id()),
                instanceUsers.apply(compute));
    }
}
