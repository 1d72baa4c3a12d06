package dev.hangar.server.studio;

import dev.hangar.core.access.Action;
import dev.hangar.core.job.Job;
import dev.hangar.core.job.JobFiles;
import dev.hangar.core.job.JobService;
import dev.hangar.core.job.JobStatus;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * A job's page ({@code /w/{ws}/jobs/{name}}): its definition, status, history and log, with its outputs' download
 * and Cancel for a reader who may; and, while the job has not ended, its live updates ({@code .../live}): the log as
 * it grows (each piece a {@code log} event whose id is the byte offset it ends at, so that a browser that reconnects
 * continues where it was) and the summary again whenever it changes.
 */
final class JobPage {
    /** How often the log of a job that runs is read: it grows without a commit to wake the stream. */
    static final Duration FOLLOW = Duration.ofMillis(500);

    private final JobService jobs;
    private final JobFiles files;
    private final JobList list;
    private final WorkspaceService workspaces;
    private final Authentication authentication;
    private final Pages pages;
    private final LiveStream live;
    private final Clock clock;

    JobPage(JobService jobs, JobFiles files, JobList list, WorkspaceService workspaces, Authentication authentication,
            Pages pages, LiveStream live, Clock clock) {
        this.jobs = jobs;
        this.files = files;
        this.list = list;
        this.workspaces = workspaces;
        this.authentication = authentication;
        this.pages = pages;
        this.live = live;
        this.clock = clock;
    }

    void mount(RouteTable routes, StudioRoute studio) {
        routes.path(HttpMethod.GET, JobPages.LIST + "/:name", "/w/{ws}/jobs/{name}", Guard.WORKSPACE_ACTION,
                Action.JOB_READ, studio.handler(this::page));
        routes.path(HttpMethod.GET, JobPages.LIST + "/:name/live", "/w/{ws}/jobs/{name}/live",
                Guard.WORKSPACE_ACTION, Action.JOB_READ, studio.stream(this::stream, live));
    }

    private Reply page(RoutingContext ctx) {
        var reader = authentication.requireForPage(ctx);
        var workspace = StudioRoute.workspace(workspaces, ctx);
        var detail = jobs.detail(reader, workspace, ctx.pathParam("name"));
        var job = detail.job();
        var ended = job.status().isTerminal();
        var start = JobLog.pageStart(files, job.id());
        var log = new StringBuilder();
        var next = start;
        for (JobLog.Text text; !(text = JobLog.read(files, job.id(), next, JobLog.PAGE_MOST, ended)).isEmpty(); ) {
            log.append(text.text());
            next = text.next();
        }
        var path = JobList.path(workspace, job.name());
        var image = job.image();
        var view = new JobView(pages.chrome(job.name(), reader, workspace.name(), "Jobs"), job.name(),
                job.displayName(), job.command(), image == null ? null : image.environment() + ":" + image.version(),
                job.environment().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(entry -> entry.getKey() + "=" + entry.getValue()).toList(),
                job.cores(), job.instanceCount(), priority(job.priority()), job.codeDigest(),
                summary(detail, workspace), log.toString(), start > 0, next,
                ended ? null : path + "/live?offset=" + next + "&v=" + job.version(),
                JobService.armId(workspace, job.name()) + "/logs", "/w/" + workspace.name() + "/jobs");
        return pages.render(200, "job.jte", Map.of("view", view));
    }

    /** The live updates of a job's page, from the log offset it showed and the job's version it was read at. */
    private LiveStream.Source stream(RoutingContext ctx) {
        var reader = authentication.requireForPage(ctx);
        var secret = Authentication.secretOf(ctx);
        var workspace = StudioRoute.workspace(workspaces, ctx);
        var name = ctx.pathParam("name");
        var first = jobs.detail(reader, workspace, name);
        var resumed = ctx.request().getHeader("Last-Event-ID");
        var offset = number(resumed != null ? resumed : ctx.request().getParam("offset"));
        var pageVersion = number(ctx.request().getParam("v"));
        return new LiveStream.Source() {
            long next = offset;
            String shown;
            boolean following = true;

            @Override
            public java.util.List<LiveStream.Event> look(boolean firstLook) {
                JobService.Detail detail;
                if (firstLook) {
                    detail = first;
                } else {
                    authentication.authenticate(secret);
                    detail = jobs.detail(reader, workspace, name);
                }
                var job = detail.job();
                if (!job.id().equals(first.job().id())) {
                    throw new IllegalStateException("Job " + name + " was deleted and submitted again.");
                }
                var events = LiveStream.events();
                var ended = job.status().isTerminal();
                for (int i = 0; i < 16; i++) {
                    var text = JobLog.read(files, job.id(), next, JobLog.EVENT_MOST, ended);
                    if (text.isEmpty()) {
                        break;
                    }
                    next = text.next();
                    events.add(new LiveStream.Event("log", new String(pages.html("jobLogPiece.jte",
                            Map.of("from", text.from(), "text", text.text())), StandardCharsets.UTF_8).strip(),
                            Long.toString(next)));
                }
                following = !ended || !events.isEmpty();
                var html = new String(pages.html("jobSummary.jte", Map.of("summary", summary(detail, workspace))),
                        StandardCharsets.UTF_8).strip();
                if (firstLook ? job.version() != pageVersion : !html.equals(shown)) {
                    events.add(new LiveStream.Event("job", html));
                }
                shown = html;
                return events;
            }

            @Override
            public Duration recheck() {
                return following ? FOLLOW : LiveStream.RECHECK;
            }
        };
    }

    private JobSummary summary(JobService.Detail detail, Workspace workspace) {
        var job = detail.job();
        var row = list.row(job, workspace, clock.instant());
        var ended = job.status().isTerminal();
        var outputs = ended && Files.exists(files.outputs(job.id()))
                ? JobService.armId(workspace, job.name()) + "/outputs" : null;
        var cancel = !ended && job.status() != JobStatus.CancelRequested
                && detail.grants().allows(Action.JOB_CANCEL) ? row.href() + "/cancel" : null;
        var history = detail.history().stream().map(line -> new JobSummary.HistoryLine(JobList.time(line.at()),
                line.from() == null ? null : line.from().name(), line.to().name(), line.reason())).toList();
        return new JobSummary(job.name(), row.status(), row.tone(), job.computeName(), row.createdBy(),
                row.submitted(), row.started(), row.ended(), row.duration(), job.exitCode(),
                job.error() == null ? null : job.error().message(), outputs, cancel, history);
    }

    private static String priority(int priority) {
        return switch (priority) {
            case Job.LOW -> "Low";
            case Job.HIGH -> "High";
            default -> "Medium";
        };
    }

    private static long number(String text) {
        try {
            return text == null ? 0 : Math.max(0, Long.parseLong(text.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
