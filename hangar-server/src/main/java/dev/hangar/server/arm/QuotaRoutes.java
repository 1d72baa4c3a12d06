package dev.hangar.server.arm;

import dev.hangar.api.PagedList;
import dev.hangar.api.QuotaUpdateParameters;
import dev.hangar.api.ResourceQuota;
import dev.hangar.api.UpdateWorkspaceQuotas;
import dev.hangar.api.Usage;
import dev.hangar.api.UsageName;
import dev.hangar.core.access.Action;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.quota.CoreUsage;
import dev.hangar.core.quota.Quota;
import dev.hangar.core.quota.QuotaChange;
import dev.hangar.core.quota.QuotaName;
import dev.hangar.core.quota.QuotaService;
import dev.hangar.core.quota.VmPriority;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Blocking;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.Requests;
import dev.hangar.server.http.RouteTable.Guard;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.wire.WireSchemas;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.regex.Pattern;

/**
 * A location's core {@code usages} and {@code quotas}, and {@code updateQuotas}, in Azure's wire format. Beside
 * Azure's workspace quotas, administrators set a location's own: its family quotas ({@code /subscriptions/{sub}/quotas/
 * Standard_DSv2_Family_Cluster_Dedicated_vCPUs}) and its totals ({@code .../quotas/Total_Cluster_Dedicated_Regional_
 * vCPUs}). The id says which quota is meant; {@code type} is not needed.
 */
public final class QuotaRoutes {
    private static final String TYPE = "Microsoft.MachineLearningServices/";
    private static final Pattern WORKSPACE_QUOTA = Pattern.compile("(?i)/subscriptions/(?<sub>[^/]+)/resourceGroups/"
            + "(?<rg>[^/]+)/providers/Microsoft\\.MachineLearningServices/workspaces/(?<ws>[^/]+)/quotas/(?<name>[^/]+)");
    private static final Pattern LOCATION_QUOTA = Pattern.compile("(?i)/subscriptions/(?<sub>[^/]+)"
            + "(?:/providers/Microsoft\\.MachineLearningServices/locations/(?<loc>[^/]+))?/quotas/(?<name>[^/]+)");

    private final QuotaService quotas;
    private final Authentication authentication;

    public QuotaRoutes(QuotaService quotas, Authentication authentication) {
        this.quotas = quotas;
        this.authentication = authentication;
    }

    public void mount(RouteTable routes, Blocking blocking) {
        // Anyone signed in sees a location's totals, and the workspaces there they may read.
        routes.regex(HttpMethod.GET, ArmPaths.LOCATION + "/usages", ArmPaths.LOCATION_TEMPLATE + "/usages",
                Guard.SIGNED_IN, null, blocking.handler(this::usages));
        routes.regex(HttpMethod.GET, ArmPaths.LOCATION + "/quotas", ArmPaths.LOCATION_TEMPLATE + "/quotas",
                Guard.SIGNED_IN, null, blocking.handler(this::quotas));
        routes.regex(HttpMethod.POST, ArmPaths.LOCATION + "/updateQuotas", ArmPaths.LOCATION_TEMPLATE
                + "/updateQuotas", Guard.ADMIN, Action.QUOTA_WRITE, blocking.handler(this::update));
    }

    private Reply usages(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var sub = ctx.pathParam("sub");
        var location = ctx.pathParam("loc");
        var expand = "true".equalsIgnoreCase(ctx.request().getParam("expandChildren"));
        var lines = quotas.usages(caller, sub, location, expand).stream().map(line -> render(sub, location, line))
                .toList();
        return Reply.ok(new PagedList<>(lines, null));
    }

    private Reply quotas(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var sub = ctx.pathParam("sub");
        var location = ctx.pathParam("loc");
        var lines = quotas.quotas(caller, sub, location).stream().map(line -> render(sub, location, line)).toList();
        return Reply.ok(new PagedList<>(lines, null));
    }

    private Reply update(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var sub = ctx.pathParam("sub");
        var location = ctx.pathParam("loc");
        quotas.requireUpdate(caller, sub, location);
        var body = Requests.body(ctx, QuotaUpdateParameters.class, "of the form {\"value\":[{\"id\":...,"
                + "\"limit\":...}]}", WireSchemas.QUOTA_UPDATE);
        if (body.value() == null) {
            throw ApiException.badRequest(ErrorCodes.INVALID_BODY, "The body needs 'value', the quotas to update.",
                    "value");
        }
        var changes = new ArrayList<QuotaChange>();
        for (int i = 0; i < body.value().size(); i++) {
            changes.add(change(sub, location, body.value().get(i), "value[" + i + "]"));
        }
        var applied = quotas.update(caller, sub, location, changes).stream().map(quota -> {
            var line = render(sub, location, quota);
            return new UpdateWorkspaceQuotas(line.id(), line.type(), line.limit(), Usage.UNIT, "Success");
        }).toList();
        return Reply.ok(new PagedList<>(applied, null));
    }

    private static QuotaChange change(String sub, String location, QuotaUpdateParameters.QuotaBaseProperties item,
                                      String target) {
        if (item == null || item.id() == null) {
            throw ApiException.badRequest(ErrorCodes.INVALID_QUOTA_ID, "Each quota to update needs its 'id'.",
                    target + ".id");
        }
        if (item.limit() == null) {
            throw ApiException.badRequest(ErrorCodes.INVALID_QUOTA_LIMIT, "Quota '" + item.id() + "' needs a"
                    + " 'limit': cores from 0 to " + QuotaService.MAX_LIMIT + ", or -1 for no limit of its own.",
                    target + ".limit");
        }
        if (item.unit() != null && !Usage.UNIT.equalsIgnoreCase(item.unit())) {
            throw ApiException.badRequest(ErrorCodes.INVALID_QUOTA_LIMIT, "Quotas count cores: the unit is '"
                    + Usage.UNIT + "', not '" + item.unit() + "'.", target + ".unit");
        }
        var id = item.id().strip();
        var workspace = WORKSPACE_QUOTA.matcher(id);
        var own = LOCATION_QUOTA.matcher(id);
        String subscription;
        QuotaChange change;
        if (workspace.matches()) {
            subscription = workspace.group("sub");
            change = new QuotaChange(workspace.group("rg"), workspace.group("ws"), workspace.group("name"),
                    item.limit());
        } else if (own.matches()) {
            subscription = own.group("sub");
            if (own.group("loc") != null && !own.group("loc").equalsIgnoreCase(location)) {
                throw ApiException.badRequest(ErrorCodes.INVALID_QUOTA_ID, "Quota '" + id + "' is in location '"
                        + own.group("loc") + "', not '" + location + "'.", target + ".id");
            }
            change = new QuotaChange(null, null, own.group("name"), item.limit());
        } else {
            throw ApiException.badRequest(ErrorCodes.INVALID_QUOTA_ID, "'" + id + "' is not a quota id. A workspace's"
                    + " reads /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/"
                    + "workspaces/{ws}/quotas/{name}; a location's /subscriptions/{sub}/quotas/{name}.",
                    target + ".id");
        }
        if (!subscription.equalsIgnoreCase(sub)) {
            throw ApiException.badRequest(ErrorCodes.INVALID_QUOTA_ID, "Quota '" + id + "' is in subscription '"
                    + subscription + "', not '" + sub + "'.", target + ".id");
        }
        return change;
    }

    private static Usage render(String sub, String location, CoreUsage line) {
        var name = line.quotaName();
        String id;
        String type;
        if (line.computeName() != null) {
            id = line.workspace().armId() + "/computes/" + line.computeName() + "/usages/" + name;
            type = TYPE + "workspaces/computes/usages";
        } else if (line.workspace() != null) {
            id = line.workspace().armId() + "/usages/" + name;
            type = TYPE + "workspaces/usages";
        } else if (line.family() != null) {
            id = "/subscriptions/" + sub + "/usages/" + name;
            type = TYPE + "vmFamily/usages";
        } else {
            id = "/subscriptions/" + sub + "/usages";
            type = TYPE + totalType(line.priority()) + "/usages";
        }
        return new Usage(id, location, type, Usage.UNIT, line.current(), line.limit(),
                UsageName.of(QuotaName.display(name)));
    }

    private static ResourceQuota render(String sub, String location, Quota line) {
        var name = line.quotaName();
        String id;
        String type;
        if (line.workspace() != null) {
            id = line.workspace().armId() + "/quotas/" + name;
            type = TYPE + "workspaces/quotas";
        } else {
            id = "/subscriptions/" + sub + "/quotas/" + name;
            type = TYPE + (line.family() == null ? totalType(line.priority()) : "vmFamily") + "/quotas";
        }
        return new ResourceQuota(id, location, type, UsageName.of(QuotaName.display(name)), line.limit(),
                Usage.UNIT);
    }

    private static String totalType(VmPriority priority) {
        return priority == VmPriority.Dedicated ? "dedicatedCores" : "lowPriorityCores";
    }
}
