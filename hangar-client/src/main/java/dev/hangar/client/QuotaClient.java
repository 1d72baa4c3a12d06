package dev.hangar.client;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.hangar.api.PagedList;
import dev.hangar.api.QuotaUpdateParameters;
import dev.hangar.api.ResourceQuota;
import dev.hangar.api.SessionInfo.WorkspaceRef;
import dev.hangar.api.UpdateWorkspaceQuotas;
import dev.hangar.api.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Core usage and quotas of the location of one workspace ({@code locations/{loc}/usages}, {@code quotas},
 * {@code updateQuotas}). Obtained from {@link HangarClient#quotas}. Thread-safe; every method makes blocking requests
 * and throws {@link HangarException} on failure.
 */
public final class QuotaClient {
    private static final TypeReference<PagedList<Usage>> USAGES = new TypeReference<>() { };
    private static final TypeReference<PagedList<ResourceQuota>> QUOTAS = new TypeReference<>() { };
    private static final TypeReference<PagedList<UpdateWorkspaceQuotas>> UPDATED = new TypeReference<>() { };

    private final Transport transport;
    private final WorkspaceRef workspace;
    private final String location;

    QuotaClient(Transport transport, WorkspaceRef workspace, String location) {
        this.transport = transport;
        this.workspace = Objects.requireNonNull(workspace, "workspace");
        this.location = Objects.requireNonNull(location, "location");
    }

    /** What the location's computes hold: totals, families, workspaces, and with {@code expandChildren} computes. */
    public List<Usage> usages(boolean expandChildren) {
        return all(transport.uri(base() + "/usages", "expandChildren=" + expandChildren), USAGES);
    }

    /** Every limit of the location and of the workspaces there the caller may read; -1 where there is none. */
    public List<ResourceQuota> list() {
        return all(transport.uri(base() + "/quotas", null), QUOTAS);
    }

    /**
     * Sets a quota: {@code quotaName} (as {@link #list} names it, e.g. {@code Standard_DSv2_Family_Cluster_Dedicated_
     * vCPUs}) of the workspace, or of the whole location when {@code locationWide}; {@code limit} -1 removes it.
     * Administrators only.
     */
    public UpdateWorkspaceQuotas set(String quotaName, boolean locationWide, long limit) {
        var id = (locationWide ? "/subscriptions/" + workspace.subscriptionId() : ArmIds.workspacePath(workspace))
                + "/quotas/" + quotaName;
        // The server goes by the id; Azure names a workspace quota's type, and no one type fits every location quota.
        var type = locationWide ? null : "Microsoft.MachineLearningServices/workspaces/quotas";
        var body = new QuotaUpdateParameters(List.of(new QuotaUpdateParameters.QuotaBaseProperties(id, type, limit,
                Usage.UNIT)), location);
        var reply = transport.send("POST", transport.uri(base() + "/updateQuotas", null), body);
        return transport.read(reply, UPDATED).value().getFirst();
    }

    private String base() {
        return "/subscriptions/" + ArmIds.segment(workspace.subscriptionId())
                + "/providers/Microsoft.MachineLearningServices/locations/" + ArmIds.segment(location);
    }

    private <T> List<T> all(java.net.URI first, TypeReference<PagedList<T>> type) {
        var items = new ArrayList<T>();
        var uri = first;
        while (uri != null) {
            var page = transport.read(transport.send("GET", uri, null), type);
            if (page.value() != null) {
                items.addAll(page.value());
            }
            uri = page.nextLink() == null ? null : transport.followed(page.nextLink());
        }
        return items;
    }
}
