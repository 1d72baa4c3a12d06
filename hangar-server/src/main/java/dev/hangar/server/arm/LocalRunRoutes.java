package dev.hangar.server.arm;

import dev.hangar.api.LocalRun;
import dev.hangar.archive.Tarballs;
import dev.hangar.core.access.Action;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.job.JobEnvironment;
import dev.hangar.core.job.local.LocalRuns;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Blocking;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.Requests;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import dev.hangar.server.http.StreamedUploads;
import dev.hangar.server.wire.WireSchemas;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hangar's extension for local runs (a job whose compute is {@code local}): the calls through which the submitter's
 * {@code hangar} CLI, which runs the command, records it. {@code POST {ws}/jobs/{name}/local/start}; {@code POST
 * .../local/log?offset=N} with a piece of output as the body (bytes, at most 1 MiB; empty: still running);
 * {@code PUT .../local/outputs} with the tar.gz of {@code ./outputs}, streamed; {@code POST .../local/end} with
 * {@code {"exitCode":N}}. Each answers a {@link LocalRun.Report}; the start a {@link LocalRun.Start}, with the
 * variables the command runs with. Only the job's submitter or an administrator may
 * call them (403 {@code NotJobSubmitter}); see docs/jobs.md.
 */
public final class LocalRunRoutes {
    /** Paths whose bodies the server's JSON body handler must leave alone: they are streamed here. */
    public static final String STREAMED_PATHS = ".*/jobs/[^/]+/local/outputs/?$";
    /** The largest outputs upload taken, compressed; what it unpacks to is bounded by {@link Tarballs#OUTPUT_LIMITS}.
     */
    static final long MAX_OUTPUTS_BYTES = Tarballs.OUTPUT_LIMITS.maxBytes();

    private final LocalRuns runs;
    private final WorkspaceService workspaces;
    private final Authentication authentication;
    private final Path uploads;

    /** @param uploads where outputs are written while they arrive */
    public LocalRunRoutes(LocalRuns runs, WorkspaceService workspaces, Authentication authentication, Path uploads) {
        this.runs = runs;
        this.workspaces = workspaces;
        this.authentication = authentication;
        this.uploads = uploads;
    }

    public void mount(RouteTable routes, Blocking blocking) {
        var local = ArmPaths.WORKSPACE_TEMPLATE + "/jobs/{name}/local";
        var path = ArmPaths.JOB + "/local";
        routes.regex(HttpMethod.POST, path + "/start", local + "/start", Guard.WORKSPACE_ACTION, Action.JOB_WRITE,
                blocking.handler(this::start));
        routes.regex(HttpMethod.POST, path + "/log", local + "/log", Guard.WORKSPACE_ACTION, Action.JOB_WRITE,
                blocking.handler(this::log));
        routes.regex(HttpMethod.POST, path + "/end", local + "/end", Guard.WORKSPACE_ACTION, Action.JOB_WRITE,
                blocking.handler(this::end));
        // Nothing is read until the caller is known and allowed: the body waits.
        routes.regex(HttpMethod.PUT, path + "/outputs", local + "/outputs", Guard.WORKSPACE_ACTION, Action.JOB_WRITE,
                StreamedUploads.paused(blocking, this::outputs));
    }

    private Workspace workspace(RoutingContext ctx) {
        return workspaces.get(ctx.pathParam("sub"), ctx.pathParam("rg"), ctx.pathParam("ws"));
    }

    private Reply start(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var report = runs.start(caller, workspace(ctx), ctx.pathParam("name"));
        return Reply.ok(new LocalRun.Start(report.job().status().name(), report.logLength(),
                report.cancelRequested(), JobEnvironment.of(report.job())));
    }

    private Reply log(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        runs.requireSubmitter(caller, workspace, ctx.pathParam("name"));
        var offset = offset(ctx.request().getParam("offset"));
        var body = ctx.body().buffer();
        var piece = body == null ? new byte[0] : body.getBytes();
        return reply(runs.log(caller, workspace, ctx.pathParam("name"), offset, piece));
    }

    private Reply end(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        // The submitter first: whoever may not report learns nothing from the body's validation.
        runs.requireSubmitter(caller, workspace, ctx.pathParam("name"));
        var body = Requests.body(ctx, LocalRun.End.class, "{\"exitCode\":N}", WireSchemas.LOCAL_RUN_END);
        if (body.exitCode() == null) {
            throw ApiException.badRequest(ErrorCodes.INVALID_BODY, "The end of a local run needs its exitCode.",
                    "exitCode");
        }
        return reply(runs.end(caller, workspace, ctx.pathParam("name"), body.exitCode()));
    }

    private Reply outputs(RoutingContext ctx) throws Exception {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        runs.requireSubmitter(caller, workspace, name);
        return StreamedUploads.receiveWithin(ctx, uploads, "outputs", MAX_OUTPUTS_BYTES, LocalRunRoutes::tooLarge,
                received -> {
                    try (var in = Files.newInputStream(received)) {
                        return reply(runs.outputs(caller, workspace, name, in));
                    }
                });
    }

    private static long offset(String raw) {
        try {
            var offset = raw == null ? -1 : Long.parseLong(raw);
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.badRequest(ErrorCodes.INVALID_ARGUMENT, "offset must be the byte of the log the piece"
                + " starts at, 0 or more; the last report's logLength says which.", "offset");
    }

    private static ApiException tooLarge() {
        return ApiException.tooLarge("OutputsTooLarge", "The outputs upload is larger than " + MAX_OUTPUTS_BYTES
                + " bytes.", null);
    }

    private static Reply reply(LocalRuns.Report report) {
        return Reply.ok(new LocalRun.Report(report.job().status().name(), report.logLength(),
                report.cancelRequested()));
    }
}
