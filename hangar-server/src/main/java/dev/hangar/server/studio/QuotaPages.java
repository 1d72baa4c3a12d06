package dev.hangar.server.studio;

import dev.hangar.core.access.Action;
import dev.hangar.core.quota.CoreUsage;
import dev.hangar.core.quota.QuotaLimit;
import dev.hangar.core.quota.QuotaService;
import dev.hangar.core.quota.VmPriority;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Quotas and usage ({@code /w/{ws}/quotas}): the cores of each VM family and in total, in use against their limits,
 * in the workspace's location and in the workspace itself; the same lines as the API's {@code usages} of the
 * location, read through {@link QuotaService} with its rules. For members of the workspace ({@code workspaces/read}).
 */
final class QuotaPages {
    private final QuotaService quotas;
    private final WorkspaceService workspaces;
    private final Authentication authentication;
    private final Pages pages;

    QuotaPages(QuotaService quotas, WorkspaceService workspaces, Authentication authentication, Pages pages) {
        this.quotas = quotas;
        this.workspaces = workspaces;
        this.authentication = authentication;
        this.pages = pages;
    }

    void mount(RouteTable routes, StudioRoute studio) {
        routes.path(HttpMethod.GET, "/w/:ws/quotas", "/w/{ws}/quotas", Guard.WORKSPACE_ACTION,
                Action.WORKSPACE_READ, studio.handler(this::page));
    }

    private Reply page(RoutingContext ctx) {
        var reader = authentication.requireForPage(ctx);
        var named = StudioRoute.workspace(workspaces, ctx);
        var workspace = workspaces.read(reader, named.subscriptionId(), named.resourceGroup(), named.name());
        var lines = quotas.usages(reader, workspace.subscriptionId(), workspace.location(), false);
        var tables = new ArrayList<QuotasView.Table>();
        var quiet = new ArrayList<String>();
        for (var priority : VmPriority.values()) {
            var rows = rows(lines, priority, workspace.id());
            var title = priority == VmPriority.Dedicated ? "Dedicated cores" : "Low-priority cores";
            if (priority == VmPriority.Dedicated || rows.stream().anyMatch(QuotaPages::busy)) {
                tables.add(new QuotasView.Table(priority.name(), title, rows));
            } else {
                quiet.add(title.toLowerCase(java.util.Locale.ROOT));
            }
        }
        var view = new QuotasView(pages.chrome("Quotas", reader, workspace.name(), "Quotas"), workspace.location(),
                List.copyOf(tables), List.copyOf(quiet));
        return pages.render(200, "quotas.jte", Map.of("view", view));
    }

    /**
     * The total, then each family, of one priority. The location's lines come as they are; the workspace's line of a
     * family is there only when it holds cores or has a limit of its own, and otherwise it holds none under the
     * family's limit in the location.
     */
    static List<QuotaRow> rows(List<CoreUsage> lines, VmPriority priority, java.util.UUID workspaceId) {
        var rows = new ArrayList<QuotaRow>();
        long workspaceTotal = 0;
        for (var line : lines) {
            if (line.priority() != priority || line.workspace() != null || line.computeName() != null
                    || line.family() == null) {
                continue;
            }
            var own = lines.stream().filter(other -> other.priority() == priority && other.computeName() == null
                            && other.workspace() != null && other.workspace().id().equals(workspaceId)
                            && line.family().equalsIgnoreCase(other.family()))
                    .findFirst()
                    .map(other -> new QuotaRow.Cores(other.current(), other.limit()))
                    .orElse(new QuotaRow.Cores(0, line.limit()));
            workspaceTotal += own.used();
            rows.add(new QuotaRow(line.quotaName(), line.family(), false, new QuotaRow.Cores(line.current(), line.limit()),
                    own));
        }
        for (var line : lines) {
            if (line.priority() == priority && line.workspace() == null && line.family() == null) {
                rows.addFirst(new QuotaRow(line.quotaName(), "All families", true,
                        new QuotaRow.Cores(line.current(), line.limit()),
                        new QuotaRow.Cores(workspaceTotal, QuotaLimit.NONE)));
            }
        }
        return List.copyOf(rows);
    }

    private static boolean busy(QuotaRow row) {
        return row.location().used() > 0 || row.location().limited() || row.workspace().limited();
    }
}
