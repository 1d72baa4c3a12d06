package dev.hangar.server.studio;

import dev.hangar.core.access.Action;
import dev.hangar.core.audit.AuditEvent;
import dev.hangar.core.audit.AuditLog;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The audit log ({@code /w/{ws}/events}): the workspace's events, newest first, filtered and paged as
 * {@code GET /hangar/v1/events} is, read through {@link AuditLog} with its rules (Readers and up; every workspace's,
 * {@code ?all=1}, for administrators).
 */
final class EventPages {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private final AuditLog audit;
    private final WorkspaceService workspaces;
    private final Authentication authentication;
    private final Pages pages;
    private final Clock clock;

    EventPages(AuditLog audit, WorkspaceService workspaces, Authentication authentication, Pages pages, Clock clock) {
        this.audit = audit;
        this.workspaces = workspaces;
        this.authentication = authentication;
        this.pages = pages;
        this.clock = clock;
    }

    void mount(RouteTable routes, StudioRoute studio) {
        routes.path(HttpMethod.GET, "/w/:ws/events", "/w/{ws}/events", Guard.WORKSPACE_ACTION, Action.EVENTS_READ,
                studio.handler(this::page));
    }

    private Reply page(RoutingContext ctx) {
        var reader = authentication.requireForPage(ctx);
        var workspace = StudioRoute.workspace(workspaces, ctx);
        var query = EventQuery.of(ctx);
        var readAt = clock.instant();
        var error = query.invalid();
        List<AuditEvent> events = List.of();
        if (error == null) {
            try {
                events = audit.events(reader, query.all() ? null : workspace, query.filter(workspace.id()));
            } catch (ApiException.BadRequest e) {
                error = e.getMessage();
            }
        }
        var names = new HashMap<UUID, String>();
        var rows = new ArrayList<EventRow>();
        for (var event : events.subList(0, Math.min(events.size(), EventQuery.PAGE_SIZE))) {
            rows.add(row(event, query.all() && event.workspaceId() != null ? names.computeIfAbsent(
                    event.workspaceId(), id -> workspaces.byId(id).map(Workspace::name).orElse(id.toString()))
                    : null));
        }
        var path = "/w/" + workspace.name() + "/events";
        var previous = query.page() > 1 ? href(path, query.onPage(query.page() - 1, readAt)) : null;
        var next = events.size() > EventQuery.PAGE_SIZE ? href(path, query.onPage(query.page() + 1, readAt)) : null;
        var view = new EventsView(pages.chrome("Events", reader, workspace.name(), "Events"), path, query,
                List.copyOf(rows), reader.admin(), error, previous, next);
        return pages.render(200, "events.jte", Map.of("view", view));
    }

    private static EventRow row(AuditEvent event, String workspace) {
        var result = event.result() == null ? "" : event.result();
        var tone = switch (result) {
            case "Succeeded" -> "ok";
            case "Failed" -> "failed";
            default -> "busy";
        };
        var outcome = result + (event.status() == null ? "" : " " + event.status())
                + (event.errorCode() == null ? "" : " " + event.errorCode());
        return new EventRow(TIME.format(event.at()), event.at().toString(), workspace, event.actor(), event.action(),
                event.target(), result, tone, outcome, event.trigger(), event.detail());
    }

    private static String href(String path, EventQuery query) {
        var text = query.queryString();
        return text.isEmpty() ? path : path + "?" + text;
    }
}
