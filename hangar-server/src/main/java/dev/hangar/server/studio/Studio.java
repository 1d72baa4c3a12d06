package dev.hangar.server.studio;

import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.RoleService;
import dev.hangar.core.access.UserService;
import dev.hangar.core.attached.AttachedService;
import dev.hangar.core.audit.AuditLog;
import dev.hangar.core.cluster.ClusterService;
import dev.hangar.core.code.CodeService;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.environment.EnvironmentService;
import dev.hangar.core.files.FileShare;
import dev.hangar.core.job.JobFiles;
import dev.hangar.core.job.JobService;
import dev.hangar.core.job.JobTargets;
import dev.hangar.core.quota.QuotaService;
import dev.hangar.core.size.VmSizeCatalog;
import dev.hangar.core.size.VmSizeService;
import dev.hangar.core.store.Commits;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.arm.ArmUrls;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Blocking;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.oidc.OidcProvider;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The web studio, served at {@code /} by the same server and port as the API: pages rendered on the server from
 * compiled templates, made live by htmx and server-sent events. Its pages are clients of the same core services as the
 * API, through the same access checks; its live updates follow the store's commits.
 */
public final class Studio {
    /** The studio's paths whose bodies are streamed, which the server's body handler must leave alone. */
    public static final String STREAMED_PATHS = "/w/[^/]+/jobs/new/?$";

    private final Pages pages;
    private final SignIn signIn;
    private final ComputePages computePages;
    private final ComputeActions computeActions;
    private final AppPages appPages;
    private final ComputeDetailsPage details;
    private final CreatePage create;
    private final OtherComputePages otherComputes;
    private final JobPages jobPages;
    private final JobForm jobForm;
    private final JobPage jobPage;
    private final JobActions jobActions;
    private final FilePages filePages;
    private final QuotaPages quotaPages;
    private final EventPages eventPages;
    private final TokenPages tokenPages;
    private final UserPages userPages;
    private final SizePages sizePages;
    private final RolePages rolePages;
    private final Blocking blocking;
    private final ExecutorService executor;

    /** What the studio is made of: the core services it calls and what it needs to know of the server. */
    public record Parts(String version, Clock clock, Authentication authentication, UserService users,
                        AccessPolicy access, WorkspaceService workspaces, ComputeService computes, ArmUrls urls,
                        Commits commits, Predicate<UUID> runsJobs, Supplier<Workspace> defaultWorkspace,
                        OidcProvider oidc, ExecutorService executor, FileShare files, VmSizeCatalog sizes,
                        QuotaService quotas, Jobs jobs, AuditLog audit, VmSizeService sizeService,
                        ClusterService clusters, AttachedService attached, RoleService roles) {
    }

    /**
     * What the Jobs section calls: the same services as the API's job and code routes.
     *
     * @param uploads where uploaded code is kept while it arrives
     */
    public record Jobs(JobService service, JobTargets targets, JobFiles files, EnvironmentService environments,
                       CodeService codes, java.nio.file.Path uploads) {
    }

    public Studio(Parts parts) {
        this.pages = new Pages(parts.version());
        this.executor = parts.executor();
        this.blocking = new Blocking(parts.executor());
        this.signIn = new SignIn(parts.authentication(), parts.users(), pages, parts.clock(), parts.oidc());
        var list = new ComputeList(parts.computes(), parts.access(), parts.runsJobs(), parts.urls().sshPort());
        var live = new LiveStream(parts.commits(), parts.executor());
        this.computePages = new ComputePages(list, parts.workspaces(), parts.authentication(), pages, parts.urls(),
                parts.commits(), live, parts.defaultWorkspace());
        this.appPages = new AppPages(parts.computes(), parts.workspaces(), parts.authentication(), pages, live);
        this.details = new ComputeDetailsPage(parts.computes(), list, parts.files(), parts.workspaces(),
                parts.authentication(), pages, parts.urls(), live);
        this.otherComputes = new OtherComputePages(parts.clusters(), parts.attached(), parts.workspaces(),
                parts.authentication(), pages, parts.commits(), live);
        this.create = new CreatePage(parts.computes(), parts.sizes(), parts.quotas(), parts.users(), parts.workspaces(),
                parts.authentication(), pages, parts.urls().sshPort() != null);
        this.computeActions = new ComputeActions(parts.computes(), parts.workspaces(), parts.authentication(), pages);
        var jobs = parts.jobs();
        var jobList = new JobList(jobs.service(), parts.clock());
        this.jobPages = new JobPages(jobList, jobs.targets(), parts.workspaces(), parts.authentication(), pages,
                parts.commits(), live);
        this.jobForm = new JobForm(jobs.service(), jobs.targets(), jobs.environments(), parts.workspaces(),
                parts.authentication(), pages, new JobCode(jobs.codes(), jobs.uploads()));
        this.jobPage = new JobPage(jobs.service(), jobs.files(), jobList, parts.workspaces(), parts.authentication(),
                pages, live, parts.clock());
        this.jobActions = new JobActions(jobs.service(), parts.workspaces(), parts.authentication(), pages);
        this.filePages = new FilePages(parts.files(), parts.workspaces(), parts.authentication(), pages);
        this.quotaPages = new QuotaPages(parts.quotas(), parts.workspaces(), parts.authentication(), pages);
        this.eventPages = new EventPages(parts.audit(), parts.workspaces(), parts.authentication(), pages,
                parts.clock());
        this.tokenPages = new TokenPages(parts.users(), parts.authentication(), pages, parts.clock(),
                parts.defaultWorkspace());
        this.userPages = new UserPages(parts.users(), parts.authentication(), pages, parts.defaultWorkspace());
        this.sizePages = new SizePages(parts.sizeService(), parts.sizes(), parts.authentication(), pages,
                parts.defaultWorkspace());
        this.rolePages = new RolePages(parts.roles(), parts.users(), parts.workspaces(), parts.access(),
                parts.authentication(), pages, parts.defaultWorkspace());
    }

    public void mount(RouteTable routes) {
        var studio = new StudioRoute(blocking, pages, executor);
        signIn.mount(routes, blocking);
        computePages.mount(routes, studio);
        computeActions.mount(routes, studio);
        appPages.mount(routes, studio);
        create.mount(routes, studio);
        otherComputes.mount(routes, studio);
        details.mount(routes, studio);
        // The list's own paths (live, new) before a job's, which would take them as job names.
        jobPages.mount(routes, studio);
        jobForm.mount(routes, studio);
        jobPage.mount(routes, studio);
        jobActions.mount(routes, studio);
        filePages.mount(routes, studio);
        quotaPages.mount(routes, studio);
        eventPages.mount(routes, studio);
        tokenPages.mount(routes, studio);
        userPages.mount(routes, studio);
        sizePages.mount(routes, studio);
        rolePages.mount(routes, studio);
    }

    /** The sign-in, which the OpenID Connect sign-in ends in. */
    public SignIn signIn() {
        return signIn;
    }

    public Pages pages() {
        return pages;
    }

    /** Where an app's link leads a browser while its instance does not run. */
    public static String appWaitPath(String workspace, String compute, String app) {
        return AppPages.path(workspace, compute, app);
    }
}
