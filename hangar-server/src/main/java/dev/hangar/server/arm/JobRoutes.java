package dev.hangar.server.arm;

import dev.hangar.api.ErrorResponse;
import dev.hangar.api.JobResource;
import dev.hangar.api.OperationStatus;
import dev.hangar.api.PagedList;
import dev.hangar.api.StateTransitionEntry;
import dev.hangar.archive.Tarballs;
import dev.hangar.core.access.Action;
import dev.hangar.core.code.CodeService;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.job.Job;
import dev.hangar.core.job.JobFiles;
import dev.hangar.core.job.JobFilter;
import dev.hangar.core.job.JobService;
import dev.hangar.core.job.JobSpec;
import dev.hangar.core.job.JobStatus;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Blocking;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.Requests;
import dev.hangar.server.http.RouteTable.Guard;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.wire.WireSchemas;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;

/**
 * Command jobs in Azure Machine Learning's v2 wire format: {@code PUT|GET {ws}/jobs/{name}}, the list,
 * {@code POST .../cancel} (with a {@code Location}, {@code .../cancellation}, that answers 202 until the job ended),
 * and {@code DELETE} as Azure's long-running operation (202 with {@code Azure-AsyncOperation}
 * and {@code Location}, which answer {@code .../deletions/{job id}}); and Hangar's {@code .../logs?offset=N} (the job's output from a byte offset, while it runs
 * and after), {@code .../history} and {@code .../outputs} (what it left in {@code ./outputs}, as a tar.gz).
 */
public final class JobRoutes {
    static final int PAGE_SIZE = 50;
    /** The most log bytes one call returns; the next call asks from where this one ended. */
    static final int LOG_CHUNK = 1024 * 1024;

    private final JobService jobs;
    private final JobFiles files;
    private final WorkspaceService workspaces;
    private final Authentication authentication;
    private final ArmUrls urls;

    public JobRoutes(JobService jobs, JobFiles files, WorkspaceService workspaces, Authentication authentication,
                     ArmUrls urls) {
        this.urls = urls;
        this.jobs = jobs;
        this.files = files;
        this.workspaces = workspaces;
        this.authentication = authentication;
    }

    public void mount(RouteTable routes, Blocking blocking) {
        var job = ArmPaths.WORKSPACE_TEMPLATE + "/jobs/{name}";
        routes.regex(HttpMethod.GET, ArmPaths.JOBS, ArmPaths.WORKSPACE_TEMPLATE + "/jobs", Guard.WORKSPACE_ACTION,
                Action.JOB_READ, blocking.handler(this::list));
        routes.regex(HttpMethod.GET, ArmPaths.JOB, job, Guard.WORKSPACE_ACTION, Action.JOB_READ,
                blocking.handler(this::get));
        routes.regex(HttpMethod.PUT, ArmPaths.JOB, job, Guard.WORKSPACE_ACTION, Action.JOB_WRITE,
                blocking.handler(this::put));
        routes.regex(HttpMethod.DELETE, ArmPaths.JOB, job, Guard.WORKSPACE_ACTION, Action.JOB_DELETE,
                blocking.handler(this::delete));
        routes.regex(HttpMethod.GET, ArmPaths.JOB + "/deletions/(?<op>[^/]+)", job + "/deletions/{op}",
                Guard.WORKSPACE_ACTION, Action.JOB_READ, blocking.handler(this::deletionStatus));
        routes.regex(HttpMethod.GET, ArmPaths.JOB + "/deletions/(?<op>[^/]+)/result", job + "/deletions/{op}/result",
                Guard.WORKSPACE_ACTION, Action.JOB_READ, blocking.handler(this::deletionResult));
        routes.regex(HttpMethod.GET, ArmPaths.JOB + "/cancellation", job + "/cancellation", Guard.WORKSPACE_ACTION,
                Action.JOB_READ, blocking.handler(this::cancellation));
        routes.regex(HttpMethod.POST, ArmPaths.JOB + "/cancel", job + "/cancel", Guard.WORKSPACE_ACTION,
                Action.JOB_CANCEL, blocking.handler(this::cancel));
        routes.regex(HttpMethod.GET, ArmPaths.JOB + "/logs", job + "/logs", Guard.WORKSPACE_ACTION, Action.JOB_READ,
                blocking.handler(this::logs));
        routes.regex(HttpMethod.GET, ArmPaths.JOB + "/history", job + "/history", Guard.WORKSPACE_ACTION,
                Action.JOB_READ, blocking.handler(this::history));
        routes.regex(HttpMethod.GET, ArmPaths.JOB + "/outputs", job + "/outputs", Guard.WORKSPACE_ACTION,
                Action.JOB_READ, blocking.handler(this::outputs));
    }

    private Workspace workspace(RoutingContext ctx) {
        return workspaces.get(ctx.pathParam("sub"), ctx.pathParam("rg"), ctx.pathParam("ws"));
    }

    private Reply list(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var skip = Requests.skip(ctx);
        var page = jobs.list(caller, workspace, filter(ctx), skip, PAGE_SIZE + 1);
        var value = page.stream().limit(PAGE_SIZE).map(job -> render(job, workspace)).toList();
        String next = null;
        if (page.size() > PAGE_SIZE) {
            next = ctx.request().absoluteURI().replaceAll("[?&]\\$skip=\\d+", "")
                    + (ctx.request().query() == null ? "?" : "&") + "$skip=" + (skip + PAGE_SIZE);
        }
        return Reply.ok(new PagedList<>(value, next));
    }

    /**
     * Hangar's list filters: {@code computeId} (as a job names its compute) and {@code status} (states, comma
     * separated, any case).
     */
    static JobFilter filter(RoutingContext ctx) {
        var statuses = java.util.EnumSet.noneOf(JobStatus.class);
        var raw = ctx.request().getParam("status");
        if (raw != null && !raw.isBlank()) {
            for (var name : raw.split(",")) {
                statuses.add(java.util.Arrays.stream(JobStatus.values())
                        .filter(status -> status.name().equalsIgnoreCase(name.strip())).findFirst()
                        .orElseThrow(() -> ApiException.badRequest("InvalidFilter", "'" + name.strip() + "' is not a"
                                + " job state; status takes " + java.util.Arrays.toString(JobStatus.values())
                                + ", comma separated.", "status")));
            }
        }
        return new JobFilter(computeName(ctx.request().getParam("computeId")), statuses);
    }

    private Reply get(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        return Reply.ok(render(jobs.get(caller, workspace, ctx.pathParam("name")), workspace));
    }

    private Reply put(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        // The action first: a caller who may not submit learns nothing from the body's validation.
        jobs.requireSubmit(caller, workspace, name);
        var body = Requests.body(ctx, JobResource.class, "a job: {\"properties\":{\"jobType\":\"Command\","
                + "\"command\":...,\"computeId\":...}}", WireSchemas.JOB);
        var submitted = jobs.submit(caller, workspace, name, spec(body.properties()));
        return Reply.of(submitted.created() ? 201 : 200, render(submitted.job(), workspace));
    }

    /**
     * Cancels the job: 202 with the job and a {@code Location} to poll, as Azure's long-running cancel
     * (jobs.beginCancel), whose Java and JavaScript SDKs fail a 202 without one.
     */
    private Reply cancel(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var job = jobs.cancel(caller, workspace, ctx.pathParam("name"));
        return Reply.of(202, render(job, workspace)).withHeaders(Map.of("Location",
                cancellation(ctx, workspace, job), "Retry-After", "1"));
    }

    /** The cancel's result: 202 while the job's processes are being ended, then 200 with the job. */
    private Reply cancellation(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var job = jobs.get(caller, workspace, ctx.pathParam("name"));
        if (job.status() == JobStatus.CancelRequested) {
            return Reply.status(202).withHeaders(Map.of("Location", cancellation(ctx, workspace, job),
                    "Retry-After", "1"));
        }
        return Reply.ok(render(job, workspace));
    }

    private String cancellation(RoutingContext ctx, Workspace workspace, Job job) {
        return urls.base(ctx) + JobService.armId(workspace, job.name()) + "/cancellation?api-version="
                + ArmUrls.apiVersion(ctx);
    }

    /**
     * Deletes an ended job, its history, log and outputs, as Azure's long-running delete: 202 with the URLs to poll
     * (the deletion is done when the answer is sent, so they answer Succeeded and 204); 204 when there is no such
     * job; 409 {@code JobNotEnded} for one that runs.
     */
    private Reply delete(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var name = ctx.pathParam("name");
        var deleted = jobs.delete(caller, workspace, name);
        if (deleted.isEmpty()) {
            return Reply.status(204);
        }
        var id = deleted.get().id();
        files.delete(id);
        var deletion = urls.base(ctx) + JobService.armId(workspace, name) + "/deletions/" + id;
        var version = "?api-version=" + ArmUrls.apiVersion(ctx);
        return Reply.status(202).withHeaders(Map.of("Azure-AsyncOperation", deletion + version,
                "Location", deletion + "/result" + version, "Retry-After", "1"));
    }

    /** ARM's operation status of a job's deletion: Succeeded once the job (by id) is gone, InProgress before. */
    private Reply deletionStatus(RoutingContext ctx) {
        var done = deletionDone(ctx);
        var body = new OperationStatus(ctx.request().path(), ctx.pathParam("op"),
                done ? OperationStatus.SUCCEEDED : OperationStatus.IN_PROGRESS, null, null, done ? 100.0 : null, null);
        return done ? Reply.ok(body) : Reply.ok(body).withHeaders(Map.of("Retry-After", "1"));
    }

    /** The deletion's result: 204 once the job is gone, 202 before. */
    private Reply deletionResult(RoutingContext ctx) {
        return deletionDone(ctx) ? Reply.status(204) : Reply.status(202).withHeaders(Map.of(
                "Retry-After", "1", "Location", urls.base(ctx) + ctx.request().uri()));
    }

    private boolean deletionDone(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var id = Requests.uuid(ctx.pathParam("op"), () -> ApiException.notFound("Deletion '" + ctx.pathParam("op")
                + "' was not found."));
        return jobs.gone(caller, workspace(ctx), id);
    }

    private Reply logs(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var job = jobs.get(caller, workspace, ctx.pathParam("name"));
        long offset;
        try {
            var raw = ctx.request().getParam("offset");
            offset = raw == null ? 0 : Long.parseLong(raw);
            if (offset < 0) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(ErrorCodes.INVALID_ARGUMENT, "offset must be a byte offset, 0 or more.",
                    "offset");
        }
        var chunk = files.read(job.id(), offset, LOG_CHUNK);
        return Reply.text(200, chunk.bytes(), "text/plain; charset=utf-8", Map.of(
                "x-hangar-log-next-offset", Long.toString(chunk.next()),
                "x-hangar-job-status", job.status().name()));
    }

    /** What the job left in {@code ./outputs}, as a tar.gz of {@code outputs/...}; 404 until it ended with some. */
    private Reply outputs(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var workspace = workspace(ctx);
        var job = jobs.get(caller, workspace, ctx.pathParam("name"));
        var archive = files.outputs(job.id());
        if (!java.nio.file.Files.exists(archive)) {
            throw ApiException.notFound("OutputsNotFound", job.status().isTerminal()
                    ? "Job '" + job.name() + "' kept no outputs: it wrote nothing to ./outputs, or they could not be"
                            + " copied (its history says which)."
                    : "Job '" + job.name() + "' is " + job.status() + "; its outputs are kept when it ends.");
        }
        return Reply.file(archive, "application/gzip", Map.of(
                "Content-Disposition", "attachment; filename=\"" + job.name() + "-outputs.tar.gz\"",
                "Content-Encoding", "identity"));
    }

    private Reply history(RoutingContext ctx) {
        var caller = authentication.require(ctx);
        var entries = jobs.history(caller, workspace(ctx), ctx.pathParam("name")).stream()
                .map(line -> new StateTransitionEntry(line.at(), line.from() == null ? null : line.from().name(),
                        line.to().name(), line.reason(), null))
                .toList();
        return Reply.ok(new PagedList<>(entries, null));
    }

    private static JobSpec spec(JobResource.Properties properties) {
        if (properties == null) {
            throw ApiException.badRequest(ErrorCodes.INVALID_BODY, "The job needs 'properties'.", "properties");
        }
        var spark = properties.jobType() != null && properties.jobType().equalsIgnoreCase(SparkJobRequests.JOB_TYPE)
                ? SparkJobRequests.application(properties) : null;
        if (spark == null && properties.jobType() != null && !properties.jobType().equalsIgnoreCase("Command")) {
            throw ApiException.badRequest("UnsupportedJobType", "Hangar runs command and Spark jobs; '"
                    + properties.jobType() + "' jobs are not supported.", "properties.jobType");
        }
        String codeDigest = null;
        if (properties.codeId() != null && !properties.codeId().isBlank()) {
            var code = CodeService.Reference.parse(properties.codeId());
            if (code == null || !Tarballs.isDigest(code.digest()) || !CodeService.VERSION.equals(code.version())) {
                throw ApiException.badRequest("InvalidCodeId", "'" + properties.codeId() + "' is not a code snapshot"
                        + " of this workspace: upload the folder first (hangar job create --code DIR does), then"
                        + " name it as .../codes/<digest>/versions/1.", "properties.codeId");
            }
            codeDigest = code.digest();
        }
        var queue = properties.queueSettings();
        var resources = properties.resources();
        if (resources != null && resources.instanceType() != null && !resources.instanceType().isBlank()) {
            // Refused rather than recorded and ignored: the job would not get the shape it asked for.
            throw ApiException.badRequest("InstanceTypeUnsupported", "Instance type '" + resources.instanceType()
                    + "' picks a node shape on a Kubernetes compute, which Hangar does not run"
                    + " (docs/compute-targets.md). A job on Hangar's computes asks for resources.cores and"
                    + " resources.instanceCount.", "properties.resources.instanceType");
        }
        if (resources != null && resources.runtimeVersion() != null && !resources.runtimeVersion().isBlank()) {
            throw ApiException.badRequest("SparkRuntimeUnsupported", "resources.runtimeVersion picks the Spark of a"
                    + " serverless Spark pool; a Spark job here runs on its attached cluster's own Spark.",
                    "properties.resources.runtimeVersion");
        }
        return new JobSpec(spark == null ? properties.command() : SparkJobRequests.commandLine(spark),
                computeName(properties.computeId()),
                properties.environmentVariables(), properties.displayName(),
                resources == null ? null : resources.cores(), codeDigest, queue == null ? null : queue.priority(),
                resources == null ? null : resources.instanceCount(),
                properties.environmentId() == null || properties.environmentId().isBlank() ? null
                        : properties.environmentId(), spark);
    }

    /** The compute's name from an ARM id, {@code azureml:name}, or a bare name. */
    static String computeName(String computeId) {
        if (computeId == null || computeId.isBlank()) {
            return null;
        }
        var id = computeId.strip();
        var cut = id.toLowerCase(java.util.Locale.ROOT).lastIndexOf("/computes/");
        if (cut >= 0) {
            return id.substring(cut + "/computes/".length()).replaceAll("/+$", "");
        }
        return id.startsWith("azureml:") ? id.substring("azureml:".length()) : id;
    }

    static JobResource render(Job job, Workspace workspace) {
        var error = job.error() == null ? null : new ErrorResponse.ErrorDetail(job.error().code(),
                job.error().message(), job.error().target(), List.of(), List.of());
        var spark = new SparkJobRequests.Fields();
        if (job.spark() != null) {
            SparkJobRequests.render(job.spark(), spark);
        }
        var properties = new JobResource.Properties(job.jobType(), job.displayName(), null,
                job.spark() == null ? job.command() : null,
                workspace.armId() + "/computes/" + job.computeName(),
                job.codeDigest() == null ? null : CodeService.armId(workspace, job.codeDigest()),
                job.image() == null ? null : workspace.armId() + "/environments/" + job.image().environment()
                        + "/versions/" + job.image().version(),
                job.environment(), new JobResource.Resources(job.instanceCount(), null, job.cores()), job.status().name(), "Default",
                null, job.createdOn(), job.startedOn(), job.endedOn(), job.exitCode(), error,
                new JobResource.QueueSettings(null, job.priority()), spark.entry, spark.args, spark.jars,
                spark.pyFiles, spark.files, spark.archives, spark.conf);
        return new JobResource(JobService.armId(workspace, job.name()), job.name(), JobResource.TYPE, properties);
    }
}
