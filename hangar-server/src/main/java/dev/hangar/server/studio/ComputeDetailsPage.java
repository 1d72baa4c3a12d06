package dev.hangar.server.studio;

import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.files.FileShare;
import dev.hangar.core.setup.SetupScripts;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.arm.ArmUrls;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An instance's own page ({@code /w/{ws}/computes/{name}}): its state, apps and actions as on the list, its settings,
 * its errors, the tails of its setup scripts' logs and its history, kept live while it is open
 * ({@code .../live}); and the forms that change its idle shutdown, take a keep-alive lease and change its start/stop
 * schedules ({@link InstanceSchedules}).
 */
final class ComputeDetailsPage {
    static final String PAGE = ComputePages.LIST + "/:name";
    /** How much of a setup log the page shows: its last bytes. */
    static final int LOG_TAIL_BYTES = 16 * 1024;
    private static final DateTimeFormatter TIME = StudioTimes.SECOND;

    private final ComputeService computes;
    private final ComputeList list;
    private final FileShare files;
    private final WorkspaceService workspaces;
    private final Authentication authentication;
    private final Pages pages;
    private final ArmUrls urls;
    private final LiveStream live;
    private final InstanceSchedules schedules;

    ComputeDetailsPage(ComputeService computes, ComputeList list, FileShare files, WorkspaceService workspaces,
                       Authentication authentication, Pages pages, ArmUrls urls, LiveStream live) {
        this.computes = computes;
        this.list = list;
        this.files = files;
        this.workspaces = workspaces;
        this.authentication = authentication;
        this.pages = pages;
        this.urls = urls;
        this.live = live;
        this.schedules = new InstanceSchedules(computes);
    }

    void mount(RouteTable routes, StudioRoute studio) {
        routes.path(HttpMethod.GET, PAGE, "/w/{ws}/computes/{name}", Guard.WORKSPACE_ACTION, Action.READ,
                studio.handler(this::page));
        routes.path(HttpMethod.GET, PAGE + "/live", "/w/{ws}/computes/{name}/live", Guard.WORKSPACE_ACTION,
                Action.READ, studio.stream(this::stream, live));
        routes.path(HttpMethod.POST, PAGE + "/idle", "/w/{ws}/computes/{name}/idle", Guard.WORKSPACE_ACTION,
                Action.WRITE, studio.handler(this::idle));
        routes.path(HttpMethod.POST, PAGE + "/schedules", "/w/{ws}/computes/{name}/schedules",
                Guard.WORKSPACE_ACTION, Action.WRITE, studio.handler(this::schedules));
        routes.path(HttpMethod.POST, PAGE + "/keepalive", "/w/{ws}/computes/{name}/keepalive",
                Guard.WORKSPACE_ACTION, Action.APPLICATION_ACCESS, studio.handler(this::keepAlive));
    }

    private Reply page(RoutingContext ctx) {
        return page(ctx, authentication.requireForPage(ctx), null);
    }

    /** The page, with {@code section} as its schedules when it is not null (a refused save's rows). */
    private Reply page(RoutingContext ctx, User reader, SchedulesView section) {
        var workspace = workspace(ctx);
        var details = read(reader, workspace, ctx.pathParam("name"), ComputeList.host(urls.base(ctx)));
        if (section != null) {
            details = details.withSchedules(section);
        }
        return pages.render(200, "computeDetails.jte", Map.of("chrome", pages.chrome(details.row().name(), reader,
                workspace.name(), "Compute"), "details", details));
    }

    private LiveStream.Source stream(RoutingContext ctx) {
        var reader = authentication.requireForPage(ctx);
        var secret = Authentication.secretOf(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        var host = ComputeList.host(urls.base(ctx));
        read(reader, workspace, name, host);
        var sent = new String[1];
        var list = "/w/" + workspace.name() + "/computes";
        return first -> {
            authentication.authenticate(secret);
            String html;
            try {
                var now = read(reader, workspace, name, host).now();
                html = new String(pages.html("computeLive.jte", Map.of("now", now)), StandardCharsets.UTF_8).strip();
            } catch (ApiException.NotFound deleted) {
                // Said once, and the stream stays open: one that ended would be opened again by the browser, in vain.
                html = "<p class=\"notice\" role=\"status\">" + name + " was deleted. <a href=\"" + list
                        + "\">Back to the compute list</a></p>";
            }
            // The first look is sent as well: what changed between the page's read and the stream's is not lost.
            if (html.equals(sent[0])) {
                return List.of();
            }
            sent[0] = html;
            return List.of(new LiveStream.Event("details", html));
        };
    }

    private Reply idle(RoutingContext ctx) {
        var caller = authentication.requireForPage(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        computes.require(caller, workspace, Action.WRITE, name);
        var minutes = String.valueOf(ctx.request().getFormAttribute("minutes")).strip();
        Duration idle;
        if (minutes.isEmpty() || minutes.equals("null") || minutes.equals("0")) {
            idle = null;
        } else {
            try {
                idle = Duration.ofMinutes(Long.parseLong(minutes));
            } catch (NumberFormatException | ArithmeticException e) {
                throw ApiException.badRequest("InvalidIdleTime", "The idle time is a whole number of minutes, not '"
                        + minutes + "'.", "minutes");
            }
        }
        computes.updateIdleShutdown(caller, workspace, name, idle);
        return done(ctx, workspace, name, idle == null ? "Idle shutdown is off for " + name + "."
                : name + " stops after " + idle.toMinutes() + " minutes without use.");
    }

    /**
     * Saves the schedules' rows. htmx gets the section again (with what was saved, or the refusal beside its row), a
     * plain form post the page; a refusal is shown with 200, as the job form's is: it is a form to fix, and a
     * browser reports the status of a page it shows as a failure in its console.
     */
    private Reply schedules(RoutingContext ctx) {
        var caller = authentication.requireForPage(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        // The action first: a caller who may not change the instance learns nothing from the form's validation.
        computes.require(caller, workspace, Action.WRITE, name);
        var section = schedules.save(caller, workspace, name, ctx.request().formAttributes(),
                schedulesPath(workspace, name));
        if (StudioRoute.isHtmx(ctx)) {
            return pages.render(200, "computeSchedules.jte", Map.of("schedules", section));
        }
        if (section.fields().error() != null) {
            return page(ctx, caller, section);
        }
        return Reply.status(303).withHeaders(Map.of("Location", "/w/" + workspace.name() + "/computes/" + name
                + "#schedules-title"));
    }

    private static String schedulesPath(Workspace workspace, String name) {
        return "/w/" + workspace.name() + "/computes/" + name + "/schedules";
    }

    private Reply keepAlive(RoutingContext ctx) {
        var caller = authentication.requireForPage(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        computes.require(caller, workspace, Action.APPLICATION_ACCESS, name);
        var hours = String.valueOf(ctx.request().getFormAttribute("hours")).strip();
        Duration lease;
        try {
            lease = Duration.ofHours(Long.parseLong(hours));
        } catch (NumberFormatException | ArithmeticException e) {
            throw ApiException.badRequest("InvalidKeepAlive", "A keep-alive lasts a whole number of hours, not '"
                    + hours + "'.", "hours");
        }
        var kept = computes.keepAlive(caller, workspace, name, lease);
        var until = kept.idleShutdown().keepAliveUntil();
        return done(ctx, workspace, name, until == null ? "The keep-alive of " + name + " has ended."
                : name + " is kept up until " + TIME.format(until) + ".");
    }

    private Reply done(RoutingContext ctx, Workspace workspace, String name, String notice) {
        if (StudioRoute.isHtmx(ctx)) {
            return Reply.status(204).withHeaders(Map.of("HX-Trigger", ComputeActions.toast(notice)));
        }
        return Reply.status(303).withHeaders(Map.of("Location", "/w/" + workspace.name() + "/computes/" + name));
    }

    private InstanceDetails read(User reader, Workspace workspace, String name, String host) {
        var detail = computes.detail(reader, workspace, name);
        var compute = detail.view().compute();
        var row = list.row(detail.view(), workspace, detail.grants(), host);
        var fields = new ArrayList<InstanceDetails.Field>();
        fields.add(new InstanceDetails.Field("Size", compute.vmSize()));
        fields.add(new InstanceDetails.Field("Created by", row.createdBy()));
        fields.add(new InstanceDetails.Field("Assigned to", row.assignedTo() == null ? "its creator"
                : row.assignedTo()));
        fields.add(new InstanceDetails.Field("Created", row.created()));
        fields.add(new InstanceDetails.Field("Applications open for", "Shared".equalsIgnoreCase(
                compute.applicationSharingPolicy()) ? "everyone with application access" : "its owner only"));
        fields.add(new InstanceDetails.Field("SSH", compute.ssh().publicAccess() ? "on" : "off"));
        if (compute.description() != null && !compute.description().isBlank()) {
            fields.add(new InstanceDetails.Field("Description", compute.description()));
        }
        // An instance created through the API without tags has none (null), not an empty map.
        if (compute.tags() != null) {
            compute.tags().forEach((key, value) -> fields.add(new InstanceDetails.Field("Tag " + key, value)));
        }
        var idle = compute.idleShutdown();
        var keepAlive = idle.keepAliveUntil() != null && idle.keepAliveUntil().isAfter(Instant.now())
                ? TIME.format(idle.keepAliveUntil()) : null;
        var history = new ArrayList<InstanceDetails.Moment>();
        for (var moment : detail.history().reversed()) {
            history.add(new InstanceDetails.Moment(TIME.format(moment.at()), moment.from() == null ? ""
                    : moment.from().name(), moment.to().name(), moment.reason() == null ? "" : moment.reason(),
                    moment.actor() == null ? "" : moment.actor()));
        }
        var errors = compute.errors().stream().map(error -> error.code() + ": " + error.message()).toList();
        var now = new InstanceDetails.Live(row, errors, logs(reader, workspace, compute.name(),
                compute.setupScripts()), List.copyOf(history));
        var base = "/w/" + workspace.name() + "/computes";
        var canEdit = detail.grants().allows(Action.WRITE);
        return new InstanceDetails(row, List.copyOf(fields), idle.isOn() ? String.valueOf(idle.idleTime().toMinutes())
                : "", keepAlive, canEdit, !row.apps().isEmpty(), now, base + "/" + compute.name() + "/live", base,
                InstanceSchedules.of(compute, schedulesPath(workspace, compute.name()), canEdit));
    }

    /** The tails of the instance's setup logs the reader may read in the file share. */
    private List<InstanceDetails.Log> logs(User reader, Workspace workspace, String name, SetupScripts scripts) {
        var logs = new ArrayList<InstanceDetails.Log>();
        for (var kind : SetupScripts.Kind.values()) {
            if (scripts.of(kind) == null) {
                continue;
            }
            var path = FileShare.LOGS + "/" + name + "/" + kind.logName();
            String tail;
            try {
                tail = tail(files.file(reader, workspace, path));
            } catch (ApiException.NotFound notYet) {
                tail = "(not written yet)";
            } catch (ApiException refused) {
                tail = "(" + refused.getMessage() + ")";
            }
            logs.add(new InstanceDetails.Log(kind.name().toLowerCase(java.util.Locale.ROOT) + " script", path,
                    tail));
        }
        return List.copyOf(logs);
    }

    private static String tail(java.nio.file.Path file) {
        try (var in = new RandomAccessFile(file.toFile(), "r")) {
            var length = in.length();
            var from = Math.max(0, length - LOG_TAIL_BYTES);
            var bytes = new byte[(int) (length - from)];
            in.seek(from);
            in.readFully(bytes);
            var text = new String(bytes, StandardCharsets.UTF_8);
            return from > 0 && text.indexOf('\n') >= 0 ? "…" + text.substring(text.indexOf('\n')) : text;
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private Workspace workspace(RoutingContext ctx) {
        return StudioRoute.workspace(workspaces, ctx);
    }
}
