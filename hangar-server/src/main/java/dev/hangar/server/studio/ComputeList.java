package dev.hangar.server.studio;

import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.compute.ComputeView;
import dev.hangar.core.compute.InstanceApps;
import dev.hangar.core.compute.InstanceState;
import dev.hangar.core.workspace.Workspace;
import java.net.URI;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads a page of the compute list for one reader and turns it into rows: each with the links and actions that reader
 * may use, no more. What it reads goes through the compute service's own access checks.
 */
final class ComputeList {
    private static final DateTimeFormatter CREATED = StudioTimes.MINUTE;

    private final ComputeService computes;
    private final AccessPolicy access;
    private final Predicate<java.util.UUID> runsJobs;
    private final Integer sshPort;

    /**
     * @param runsJobs whether a job runs on the instance now (its state then reads {@code JobRunning}, as on the API)
     * @param sshPort  the SSH gateway's port, or null when it is off
     */
    ComputeList(ComputeService computes, AccessPolicy access, Predicate<java.util.UUID> runsJobs, Integer sshPort) {
        this.computes = computes;
        this.access = access;
        this.runsJobs = runsJobs;
        this.sshPort = sshPort;
    }

    /** The page and what it is made of: rows in order and how many there are in all. */
    record Read(List<InstanceRow> rows, int total, boolean acting, boolean canCreate) {
        /** What changes when an instance joins, leaves or moves in the list (not when one changes state). */
        String membership() {
            return LiveRows.membership(total, rows.stream().map(InstanceRow::key).toList());
        }
    }

    /** @param host the host name the reader reached Hangar by, for the SSH command */
    Read read(User reader, Workspace workspace, ComputeQuery query, String host) {
        var page = computes.page(reader, workspace, query.filter(reader), query.order(), query.skip(),
                ComputeQuery.PAGE_SIZE);
        var grants = page.grants();
        var rows = new ArrayList<InstanceRow>(page.rows().size());
        for (var view : page.rows()) {
            rows.add(row(view, workspace, grants, host));
        }
        var acting = grants.allows(Action.START) || grants.allows(Action.STOP) || grants.allows(Action.RESTART)
                || grants.allows(Action.DELETE);
        return new Read(List.copyOf(rows), page.total(), acting, grants.allows(Action.WRITE));
    }

    InstanceRow row(ComputeView view, Workspace workspace, AccessPolicy.Grants grants, String host) {
        var compute = view.compute();
        var state = compute.state();
        var shown = state == InstanceState.Running && runsJobs.test(compute.id()) ? "JobRunning" : state.name();
        var apps = new ArrayList<Link>();
        if (access.mayOpenApps(grants, compute)) {
            for (var app : InstanceApps.of(workspace.name(), compute)) {
                apps.add(new Link(app.displayName(), app.basePath()));
            }
            apps.add(new Link(InstanceApps.TERMINAL_DISPLAY_NAME,
                    InstanceApps.basePath(workspace.name(), compute.name(), InstanceApps.TERMINAL)));
        }
        var ssh = compute.ssh().publicAccess() && sshPort != null && access.mayOpenApps(grants, compute)
                ? "ssh -p " + sshPort + " " + compute.name() + "." + workspace.name() + "@" + host : null;
        var busy = view.lastOperation() != null && !view.lastOperation().status().isTerminal();
        return new InstanceRow(compute.id().toString(), compute.name(), shown, tone(state), compute.vmSize(),
                name(compute.createdBy()), compute.assignedUser() == null ? null : name(compute.assignedUser()),
                CREATED.format(compute.createdOn()), List.copyOf(apps), ssh,
                "/w/" + workspace.name() + "/computes/" + compute.name(),
                !busy && grants.allows(Action.START) && state.canMoveTo(InstanceState.Starting),
                !busy && grants.allows(Action.STOP) && state.canMoveTo(InstanceState.Stopping),
                !busy && grants.allows(Action.RESTART) && state.canMoveTo(InstanceState.Restarting),
                grants.allows(Action.DELETE) && state != InstanceState.Deleting);
    }

    private static String name(dev.hangar.core.compute.UserRef user) {
        return user == null ? "" : user.name();
    }

    static String tone(InstanceState state) {
        if (state.isFailed() || state == InstanceState.SetupFailed) {
            return "failed";
        }
        if (state.isTransitional()) {
            return "busy";
        }
        return state == InstanceState.Stopped ? "stopped" : "ok";
    }

    /** The host of a URL, for the SSH command (an IPv6 literal keeps its brackets off). */
    static String host(String baseUrl) {
        var host = URI.create(baseUrl).getHost();
        return host == null ? "localhost" : host.replace("[", "").replace("]", "");
    }
}
