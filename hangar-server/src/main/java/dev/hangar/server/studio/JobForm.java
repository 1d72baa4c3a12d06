package dev.hangar.server.studio;

import dev.hangar.archive.Tarballs;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.environment.EnvironmentService;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.job.JobService;
import dev.hangar.core.job.JobSpec;
import dev.hangar.core.job.JobTargets;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Submitting a job from a form ({@code /w/{ws}/jobs/new}): the compute (those the reader may run on), the command,
 * the environment, variables as {@code NAME=value} lines, cores, nodes, priority and a code folder. The form arrives
 * streamed ({@code multipart/form-data}): its code files are received into a folder of their own and made the job's
 * code snapshot ({@link JobCode}) once the other fields passed, as {@code hangar job create --code} does. The
 * submission is the API's ({@link JobService#submit}, with its checks, in one transaction); what it refuses is shown
 * next to the field it names and no job is recorded. The name is chosen when the form is shown, so that sending it twice (a double
 * click, a reload) finds the job the first sending made rather than making a second.
 */
final class JobForm {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The API's error targets, as the form's fields are named. */
    private static final Map<String, String> FIELDS = Map.of("name", "name", "command", "command",
            "environmentVariables", "variables", "computeId", "compute", "resources", "cores",
            "resources.instanceCount", "instanceCount", "properties.environmentId", "environment",
            "queueSettings.priority", "priority", "codeId", "code");

    private final JobService jobs;
    private final JobTargets targets;
    private final EnvironmentService environments;
    private final WorkspaceService workspaces;
    private final Authentication authentication;
    private final Pages pages;
    private final JobCode code;

    JobForm(JobService jobs, JobTargets targets, EnvironmentService environments, WorkspaceService workspaces,
            Authentication authentication, Pages pages, JobCode code) {
        this.jobs = jobs;
        this.targets = targets;
        this.environments = environments;
        this.workspaces = workspaces;
        this.authentication = authentication;
        this.pages = pages;
        this.code = code;
    }

    void mount(RouteTable routes, StudioRoute studio) {
        routes.path(HttpMethod.GET, JobPages.LIST + "/new", "/w/{ws}/jobs/new", Guard.WORKSPACE_ACTION,
                Action.JOB_WRITE, studio.handler(this::form));
        // Nothing of the form is read until the caller is known and allowed: its body (and code) waits.
        routes.path(HttpMethod.POST, JobPages.LIST + "/new", "/w/{ws}/jobs/new", Guard.WORKSPACE_ACTION,
                Action.JOB_WRITE, studio.streamed(this::submit));
    }

    private Reply form(RoutingContext ctx) {
        var caller = authentication.requireForPage(ctx);
        var workspace = StudioRoute.workspace(workspaces, ctx);
        jobs.requireSubmit(caller, workspace, null);
        var offered = offered(caller, workspace);
        var values = new JobFormView.Values("job-" + HexFormat.of().formatHex(bytes()), "",
                offered.computes().isEmpty() ? "" : offered.computes().getFirst().name(), "",
                offered.environments().isEmpty() ? "" : offered.environments().getFirst().value(), "", "1", "1",
                "medium");
        return render(caller, workspace, values, Map.of(), null, offered);
    }

    private Reply submit(RoutingContext ctx) {
        var caller = authentication.requireForPage(ctx);
        var workspace = StudioRoute.workspace(workspaces, ctx);
        // The action first: a caller who may not submit learns nothing from the form's validation.
        jobs.requireSubmit(caller, workspace, null);
        var folder = code.folder();
        try {
            var received = code.receive(ctx, folder);
            var form = received.form();
            var values = new JobFormView.Values(text(form.get("name")), text(form.get("displayName")),
                    text(form.get("compute")), text(form.get("command")), text(form.get("environment")),
                    text(form.get("variables")), text(form.get("cores")), text(form.get("instanceCount")),
                    text(form.get("priority")));
            var errors = new LinkedHashMap<String, String>();
            var variables = variables(values.variables(), errors);
            var cores = whole(values.cores(), "cores", errors);
            var instanceCount = whole(values.instanceCount(), "instanceCount", errors);
            if (received.problem() != null) {
                errors.put("code", received.problem() + " Pick the code again.");
            } else if (!errors.isEmpty() && received.files() > 0) {
                errors.put("code", "Pick the code again: a browser does not keep what was picked when the form comes"
                        + " back to be fixed.");
            }
            if (!errors.isEmpty()) {
                return render(caller, workspace, values, errors, null, offered(caller, workspace));
            }
            String digest = null;
            if (received.files() > 0) {
                try {
                    digest = code.snapshot(caller, workspace, folder);
                } catch (ApiException.BadRequest | ApiException.TooLarge | ApiException.Forbidden refused) {
                    errors.put("code", refused.getMessage() + " Pick the code again.");
                    return render(caller, workspace, values, errors, null, offered(caller, workspace));
                }
            }
            return submit(caller, workspace, values, variables, cores, instanceCount, digest);
        } finally {
            code.discard(folder);
        }
    }

    private Reply submit(User caller, Workspace workspace, JobFormView.Values values, Map<String, String> variables,
                         Integer cores, Integer instanceCount, String digest) {
        var spec = new JobSpec(values.command(), values.compute(), variables,
                values.displayName().isBlank() ? null : values.displayName().strip(), cores, digest,
                priority(values.priority()), instanceCount,
                values.environment().isBlank() ? null : values.environment());
        try {
            var submitted = jobs.submit(caller, workspace, values.name().strip(), spec);
            return Reply.status(303).withHeaders(Map.of("Location",
                    JobList.path(workspace, submitted.job().name()), "Cache-Control", "no-store"));
        } catch (ApiException.BadRequest | ApiException.Conflict | ApiException.NotFound refused) {
            var errors = new LinkedHashMap<String, String>();
            var field = refused instanceof ApiException.Conflict ? "name" : FIELDS.get(refused.target());
            if (field != null) {
                errors.put(field, refused.getMessage());
            }
            return render(caller, workspace, values, errors, field == null ? refused.getMessage() : null,
                    offered(caller, workspace));
        }
    }

    /** What the form offers: the computes the reader may run on, and the environments a job may name. */
    private record Offered(List<JobTargets.Target> computes, List<JobFormView.Option> environments) {
    }

    private Offered offered(User caller, Workspace workspace) {
        var runnable = targets.list(caller, workspace).stream().filter(JobTargets.Target::runnable).toList();
        List<JobFormView.Option> versions;
        try {
            versions = environments.latest(caller, workspace).stream().map(version -> new JobFormView.Option(
                    "azureml:" + version.name() + ":" + version.version(), version.name() + ":" + version.version()
                    + (environments.isCurated(version.name()) ? " (Hangar's)" : " (" + version.image() + ")")))
                    .toList();
        } catch (ApiException.Forbidden notAllowed) {
            versions = List.of();
        }
        return new Offered(runnable, versions);
    }

    /**
     * The form, blank or again with what to fix. Always 200: it is a page to fill in, and a browser reports the
     * status of a page it shows as a failure in its console.
     */
    private Reply render(User caller, Workspace workspace, JobFormView.Values values,
                         Map<String, String> errors, String general, Offered offered) {
        var view = new JobFormView(pages.chrome("Submit a job", caller, workspace.name(), "Jobs"),
                "/w/" + workspace.name() + "/jobs/new", "/w/" + workspace.name() + "/jobs", values, Map.copyOf(errors),
                general, offered.computes(), offered.environments(), Tarballs.CODE_LIMITS);
        return pages.render(200, "jobNew.jte", Map.of("view", view));
    }

    /** {@code NAME=value} lines as variables; blank lines are skipped, a line without {@code =} is refused. */
    static Map<String, String> variables(String text, Map<String, String> errors) {
        var variables = new LinkedHashMap<String, String>();
        var lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            var line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            var equals = line.indexOf('=');
            if (equals <= 0) {
                errors.put("variables", "Line " + (i + 1) + " is not NAME=value: " + abbreviate(line.strip()));
                return Map.of();
            }
            var name = line.substring(0, equals).strip();
            if (variables.put(name, line.substring(equals + 1)) != null) {
                errors.put("variables", name + " is set twice (again on line " + (i + 1) + ").");
                return Map.of();
            }
        }
        return variables;
    }

    /** A whole number typed in a field, null when it is blank; anything else is refused. */
    private static Integer whole(String text, String field, Map<String, String> errors) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            errors.put(field, "Give a whole number, not " + abbreviate(text.strip()) + ".");
            return null;
        }
    }

    private static Integer priority(String text) {
        return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "low" -> dev.hangar.core.job.Job.LOW;
            case "high" -> dev.hangar.core.job.Job.HIGH;
            default -> dev.hangar.core.job.Job.MEDIUM;
        };
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static String abbreviate(String text) {
        return text.length() > 60 ? "'" + text.substring(0, 60) + "...'" : "'" + text + "'";
    }

    private static byte[] bytes() {
        var bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
