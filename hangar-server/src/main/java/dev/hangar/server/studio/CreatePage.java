package dev.hangar.server.studio;

import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.access.UserService;
import dev.hangar.core.compute.ComputeName;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.compute.UserRef;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.quota.CoreUsage;
import dev.hangar.core.quota.QuotaLimit;
import dev.hangar.core.quota.QuotaService;
import dev.hangar.core.quota.VmPriority;
import dev.hangar.core.size.VmSizeCatalog;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.http.ApiErrors;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.http.RouteTable.Guard;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Creating an instance from the studio ({@code /w/{ws}/create/instance}): a form (name with a live availability check,
 * a size picker with each family's cores left, whom it is for, SSH, setup scripts, idle shutdown, schedules, tags),
 * a review of what will be asked for, then the instance's own page, where it comes up live. The request is the API's
 * {@code InstanceRequest}, checked by the compute service as the API's is; a refusal shows on the form with the
 * field it is about, and nothing is recorded.
 */
final class CreatePage {
    static final String PATH = "/w/:ws/create/instance";

    private final ComputeService computes;
    private final VmSizeCatalog sizes;
    private final QuotaService quotas;
    private final UserService users;
    private final WorkspaceService workspaces;
    private final Authentication authentication;
    private final Pages pages;
    private final boolean sshAvailable;

    CreatePage(ComputeService computes, VmSizeCatalog sizes, QuotaService quotas, UserService users,
               WorkspaceService workspaces, Authentication authentication, Pages pages, boolean sshAvailable) {
        this.computes = computes;
        this.sizes = sizes;
        this.quotas = quotas;
        this.users = users;
        this.workspaces = workspaces;
        this.authentication = authentication;
        this.pages = pages;
        this.sshAvailable = sshAvailable;
    }

    void mount(RouteTable routes, StudioRoute studio) {
        routes.path(HttpMethod.GET, PATH, "/w/{ws}/create/instance", Guard.WORKSPACE_ACTION, Action.WRITE,
                studio.handler(this::form));
        routes.path(HttpMethod.POST, PATH, "/w/{ws}/create/instance", Guard.WORKSPACE_ACTION, Action.WRITE,
                studio.handler(this::submit));
        routes.path(HttpMethod.GET, PATH + "/name", "/w/{ws}/create/instance/name", Guard.WORKSPACE_ACTION,
                Action.CHECK_NAME, studio.handler(this::checkName));
    }

    private Reply form(RoutingContext ctx) {
        var caller = authentication.requireForPage(ctx);
        var workspace = workspace(ctx);
        computes.require(caller, workspace, Action.WRITE, "");
        var options = sizeOptions(caller, workspace);
        var first = options.stream().filter(CreateView.SizeOption::fits).findFirst().or(() -> options.stream()
                .findFirst()).map(CreateView.SizeOption::name).orElse("");
        return render(200, view(caller, workspace, InstanceForm.blank(first), null, null, false, options));
    }

    private Reply submit(RoutingContext ctx) {
        var caller = authentication.requireForPage(ctx);
        var workspace = workspace(ctx);
        computes.require(caller, workspace, Action.WRITE, "");
        var form = InstanceForm.of(ctx.request().formAttributes());
        var step = String.valueOf(ctx.request().getFormAttribute("step"));
        var options = sizeOptions(caller, workspace);
        if (step.equals("back")) {
            return render(200, view(caller, workspace, form, null, null, false, options));
        }
        try {
            ComputeName.problem(form.name()).ifPresent(problem -> {
                throw ApiException.badRequest("InvalidComputeName", problem, "name");
            });
            if (computes.exists(caller, workspace, form.name())) {
                throw ApiException.conflict("ComputeNameTaken", "There is already a compute named '" + form.name()
                        + "' in this workspace; choose another name.");
            }
            var request = form.request(choosable(caller));
            if (!step.equals("create")) {
                return render(200, view(caller, workspace, form, null, null, true, options));
            }
            computes.createOrUpdate(caller, workspace, form.name(), request);
        } catch (ApiException refused) {
            var field = refused instanceof ApiException.Conflict ? "name" : refused.target();
            return render(ApiErrors.status(refused), view(caller, workspace, form, refused.getMessage(), field, false,
                    options));
        }
        return Reply.status(303).withHeaders(Map.of("Location", "/w/" + workspace.name() + "/computes/"
                + form.name()));
    }

    /** The availability of a name as it is typed: a short sentence for the form to show beside the field. */
    private Reply checkName(RoutingContext ctx) {
        var caller = authentication.requireForPage(ctx);
        var workspace = workspace(ctx);
        computes.requireNameCheck(caller, workspace);
        var name = String.valueOf(ctx.request().getParam("name", "")).strip();
        String answer;
        String tone;
        if (name.isEmpty()) {
            answer = "";
            tone = "";
        } else if (ComputeName.problem(name).isPresent()) {
            answer = ComputeName.problem(name).get();
            tone = "failed";
        } else if (computes.exists(caller, workspace, name)) {
            answer = "'" + name + "' is taken in this workspace.";
            tone = "failed";
        } else {
            answer = "'" + name + "' is available.";
            tone = "ok";
        }
        var html = "<span class=\"name-check " + tone + "\">" + escape(answer) + "</span>";
        return Reply.text(200, html.getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8",
                Map.of("Cache-Control", "no-store"));
    }

    private CreateView view(User caller, Workspace workspace, InstanceForm form, String error, String field,
                            boolean review, List<CreateView.SizeOption> options) {
        var choices = new ArrayList<CreateView.Choice>();
        choosable(caller).forEach((id, user) -> {
            if (!id.equals(caller.id())) {
                choices.add(new CreateView.Choice(id.toString(), user.name()));
            }
        });
        return new CreateView(pages.chrome("Create a compute instance", caller, workspace.name(), "Compute"),
                "/w/" + workspace.name() + "/create/instance", "/w/" + workspace.name() + "/computes", form,
                options, List.copyOf(choices), error, field, review, sshAvailable);
    }

    private Reply render(int status, CreateView view) {
        return pages.render(status, view.review() ? "reviewInstance.jte" : "createInstance.jte",
                Map.of("view", view));
    }

    /** The users an instance may be made for: those the caller may see; only the caller when they may see none. */
    private Map<UUID, UserRef> choosable(User caller) {
        var result = new LinkedHashMap<UUID, UserRef>();
        try {
            users.list(caller).forEach(user -> result.put(user.id(), user.ref()));
        } catch (ApiException.Forbidden noneToSee) {
            result.put(caller.id(), caller.ref());
        }
        return result;
    }

    /** The sizes an instance may have, each with the cores its family has left in this workspace. */
    private List<CreateView.SizeOption> sizeOptions(User caller, Workspace workspace) {
        List<CoreUsage> usages;
        try {
            usages = quotas.usages(caller, workspace.subscriptionId(), workspace.location(), false);
        } catch (ApiException.Forbidden unknown) {
            usages = List.of();
        }
        var options = new ArrayList<CreateView.SizeOption>();
        for (var size : sizes.all()) {
            if (!size.computeTypes().contains("ComputeInstance")) {
                continue;
            }
            var left = left(usages, workspace, size.family());
            var memory = size.memoryGb() == Math.rint(size.memoryGb()) ? String.valueOf((long) size.memoryGb())
                    : String.valueOf(size.memoryGb());
            options.add(new CreateView.SizeOption(size.name(), size.family(), size.vCpus(), memory, size.gpus(),
                    left < 0 ? "no core limit" : left + " " + size.family() + " cores left", left < 0
                            || left >= size.vCpus()));
        }
        return List.copyOf(options);
    }

    /** The cores of {@code family} this workspace may still take; -1 when nothing limits them. */
    private static long left(List<CoreUsage> usages, Workspace workspace, String family) {
        long left = -1;
        for (var usage : usages) {
            if (usage.priority() != VmPriority.Dedicated || usage.family() == null
                    || !usage.family().toLowerCase(Locale.ROOT).equals(family.toLowerCase(Locale.ROOT))
                    || usage.computeName() != null || usage.limit() == QuotaLimit.NONE) {
                continue;
            }
            if (usage.workspace() == null || usage.workspace().id().equals(workspace.id())) {
                var here = Math.max(0, usage.limit() - usage.current());
                left = left < 0 ? here : Math.min(left, here);
            }
        }
        return left;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private Workspace workspace(RoutingContext ctx) {
        return StudioRoute.workspace(workspaces, ctx);
    }
}
