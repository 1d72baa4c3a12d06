package dev.hangar.server;

import dev.hangar.archive.Tarballs;
import dev.hangar.backend.docker.DockerBackend;
import dev.hangar.backend.docker.DockerBackendConfig;
import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.RoleService;
import dev.hangar.core.access.UserService;
import dev.hangar.core.attached.AttachedService;
import dev.hangar.core.attached.Engines;
import dev.hangar.core.audit.AuditLog;
import dev.hangar.core.audit.CallAuditingStore;
import dev.hangar.core.cluster.ClusterNodes;
import dev.hangar.core.cluster.ClusterScaler;
import dev.hangar.core.cluster.ClusterService;
import dev.hangar.core.code.CodeService;
import dev.hangar.core.compute.ComputeReader;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.environment.CuratedEnvironments;
import dev.hangar.core.environment.EnvironmentService;
import dev.hangar.core.files.FileShare;
import dev.hangar.core.files.ShareDisk;
import dev.hangar.core.files.ShareOwner;
import dev.hangar.core.idle.Activity;
import dev.hangar.core.idle.ActivitySource;
import dev.hangar.core.idle.IdleRules;
import dev.hangar.core.idle.IdleWatcher;
import dev.hangar.core.job.JobFiles;
import dev.hangar.core.job.JobRunner;
import dev.hangar.core.job.local.LocalRunWatch;
import dev.hangar.core.job.local.LocalRuns;
import dev.hangar.core.job.JobService;
import dev.hangar.core.job.JobTargets;
import dev.hangar.core.job.engine.EngineJobRunner;
import dev.hangar.core.operation.OperationWaits;
import dev.hangar.core.quota.QuotaService;
import dev.hangar.core.reconcile.Backends;
import dev.hangar.core.reconcile.InstanceContexts;
import dev.hangar.core.reconcile.InstanceReconciler;
import dev.hangar.core.reconcile.Reconciler;
import dev.hangar.core.reconcile.ReconcilerConfig;
import dev.hangar.core.schedule.ScheduleRunner;
import dev.hangar.core.session.InstanceSessions;
import dev.hangar.core.setup.SetupRunner;
import dev.hangar.core.size.VmSizeCatalog;
import dev.hangar.core.size.VmSizeService;
import dev.hangar.core.spi.ComputeBackend;
import dev.hangar.core.spi.engine.JobEngineProvider;
import dev.hangar.core.store.Commits;
import dev.hangar.core.store.Store;
import dev.hangar.core.store.Transaction;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.core.workspace.WorkspaceService;
import dev.hangar.server.admin.HangarRoutes;
import dev.hangar.server.arm.ArmUrls;
import dev.hangar.server.arm.AuthorizationRoutes;
import dev.hangar.server.arm.CodeRoutes;
import dev.hangar.server.arm.ComputeResources;
import dev.hangar.server.arm.ComputeRoutes;
import dev.hangar.server.arm.EnvironmentRoutes;
import dev.hangar.server.arm.FileRoutes;
import dev.hangar.server.arm.JobRoutes;
import dev.hangar.server.arm.LocalRunRoutes;
import dev.hangar.server.arm.OperationRoutes;
import dev.hangar.server.arm.QuotaRoutes;
import dev.hangar.server.arm.VmSizeRoutes;
import dev.hangar.server.arm.WorkspaceRoutes;
import dev.hangar.server.config.ServerConfig;
import dev.hangar.server.gateway.AppGateway;
import dev.hangar.server.gateway.JupyterActivity;
import dev.hangar.server.http.ApiErrors;
import dev.hangar.server.http.AuditTrail;
import dev.hangar.server.http.Authentication;
import dev.hangar.server.http.Blocking;
import dev.hangar.server.http.BrowserSession;
import dev.hangar.server.http.Reply;
import dev.hangar.server.http.RequestIds;
import dev.hangar.server.http.RequestScreen;
import dev.hangar.server.http.RouteTable;
import dev.hangar.server.metrics.HangarMetrics;
import dev.hangar.server.metrics.MetricsRoutes;
import dev.hangar.server.metrics.RequestMetrics;
import dev.hangar.server.oidc.OidcProvider;
import dev.hangar.server.oidc.OidcSignIn;
import dev.hangar.server.ssh.SshGateway;
import dev.hangar.server.studio.Studio;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Hangar: store, backends, reconciler and the HTTPS server, wired together. {@link #close()} stops the
 * control plane and leaves instances running; the next start adopts them.
 */
public final class HangarServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HangarServer.class);
    public static final String VERSION = Optional.ofNullable(HangarServer.class.getPackage().getImplementationVersion())
            .orElse("0.1.0-SNAPSHOT");
    private static final long BODY_LIMIT_BYTES = 4L << 20;
    /** The studio's forms' own fields, beside a code folder's files. */
    private static final int FORM_FIELDS = 256;
    /** A form part's headers: a file's path (up to 4,096 characters, in UTF-8) and the rest. */
    private static final int FORM_PART_HEADER_BYTES = 16 * 1024;
    /** The terminal's scripts and styles change only with a new Hangar version. */
    private static final long STATIC_MAX_AGE_SECONDS = 3600;

    private final Vertx vertx;
    private final List<HttpServer> http;
    private final Store store;
    private final Backends backends;
    private final Reconciler reconciler;
    private final JobRunner jobs;
    private final EngineJobRunner engineJobs;
    private final LocalRunWatch localRuns;
    private final Engines engines;
    private final ClusterScaler scaler;
    private final IdleWatcher idle;
    private final ScheduleRunner schedules;
    private final ExecutorService blocking;
    private final URI url;
    private final Path certificate;
    private final Workspace defaultWorkspace;
    private final UserService.Created bootstrapAdmin;
    private final SshGateway ssh;
    private final HangarMetrics metrics;

    private HangarServer(Builder parts) {
        this.vertx = parts.vertx;
        this.http = parts.http;
        this.store = parts.store;
        this.backends = parts.backends;
        this.reconciler = parts.reconciler;
        this.jobs = parts.jobs;
        this.engineJobs = parts.engineJobs;
        this.localRuns = parts.localRuns;
        this.engines = parts.engines;
        this.scaler = parts.scaler;
        this.idle = parts.idle;
        this.schedules = parts.schedules;
        this.blocking = parts.blocking;
        this.url = parts.url;
        this.certificate = parts.certificate;
        this.defaultWorkspace = parts.defaultWorkspace;
        this.bootstrapAdmin = parts.bootstrapAdmin;
        this.ssh = parts.ssh;
        this.metrics = parts.metrics;
    }

    /** Starts Hangar as configured; returns once it answers requests. */
    public static HangarServer start(ServerConfig config) {
        var parts = new Builder();
        try {
            build(config, parts);
            return new HangarServer(parts);
        } catch (RuntimeException e) {
            parts.closeQuietly();
            throw e;
        }
    }

    /**
     * Who is given what Hangar makes in the file shares: the instances' user of a backend whose user is another than
     * Hangar's own (a rootful engine's containers), so that it may change in an instance what was uploaded. Only root
     * may give files away; run otherwise, Hangar keeps them and says so once.
     */
    private static ShareOwner shareOwner(Backends backends) {
        var owners = backends.all().stream().map(ComputeBackend::shareOwner).flatMap(Optional::stream).distinct()
                .toList();
        if (owners.isEmpty()) {
            return null;
        }
        if (!runsAsRoot()) {
            LOG.warn("Hangar does not run as root, so it cannot give what it writes in the file shares to the instances'"
                    + " user ({}:{}): in an instance, ~/cloudfiles/code keeps what was uploaded read-only.",
                    owners.getFirst().uid(), owners.getFirst().gid());
            return null;
        }
        if (owners.size() > 1) {
            LOG.warn("Backends run instances as different users ({}): the file shares are given to the first.", owners);
        }
        return owners.getFirst();
    }

    /** Whether the compute's backend takes one more user's instance; a backend not configured here takes any. */
    private static dev.hangar.core.compute.OwnerAdmission ownerAdmission(Backends backends) {
        return (backend, owner, others) -> backends.byName().containsKey(backend == null ? backends.defaultName()
                : backend) ? backends.get(backend).ownerRefusal(owner, others) : Optional.empty();
    }

    /** Whether a backend (by name) runs custom services; one not configured here runs none. */
    private static java.util.function.Predicate<String> runsCustomServices(Backends backends) {
        return backend -> {
            var name = backend == null ? backends.defaultName() : backend;
            return backends.byName().containsKey(name) && backends.get(name).runsCustomServices();
        };
    }

    /**
     * An instance's user as its backend names it (the host backend's own account of the instance, a container's
     * {@code azureuser}); Azure's {@code azureuser} for an instance of a backend no longer configured.
     */
    private static java.util.function.Function<dev.hangar.core.compute.ComputeInstance, String> instanceUsers(
            Backends backends) {
        return compute -> backends.byName().containsKey(compute.backend() == null ? backends.defaultName()
                : compute.backend()) ? backends.get(compute.backend()).instanceUser(compute.id()) : "azureuser";
    }

    /**
     * Whether what Hangar makes in the file shares is given to the group of its workspace's folder: when a backend's
     * instances reach the share through a group of the workspace (the host backend's accounts), which only root makes.
     */
    private static boolean sharesByGroup(Backends backends) {
        return runsAsRoot() && backends.all().stream().anyMatch(ComputeBackend::sharesByGroup);
    }

    private static boolean runsAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Hangar's instance image: the container backend's ({@code backend.docker.image}), which the curated environments
     * name and which, on the host backend, stands for the instances' own environment.
     */
    private static String instanceImage(ServerConfig config) {
        return config.backendSettings().getOrDefault(DockerBackend.NAME, Map.of())
                .getOrDefault(DockerBackendConfig.IMAGE, DockerBackendConfig.DEFAULT_IMAGE);
    }

    private static void build(ServerConfig config, Builder parts) {
        var clock = Clock.systemUTC();
        var data = Storage.prepare(config.dataDirectory());
        // Every commit is counted, so that a long poll on an operation answers the moment its outcome is recorded.
        var commits = new Commits();
        parts.metrics = new HangarMetrics();
        var jdbc = Storage.openStore(config, data);
        jdbc.onOperationEnded(parts.metrics::operationEnded);
        jdbc.onJobRunning(parts.metrics::jobStarted);
        // An API call's audit event is written with the change it makes (CallAuditingStore).
        parts.store = new CallAuditingStore(commits.observing(parts.metrics.timed(jdbc)));
        parts.backends = BackendLoader.load(config, data, parts.metrics.registry());
        var access = new AccessPolicy();
        // The catalog is the store's; it is read once here and again after each change an administrator makes.
        var sizes = VmSizeCatalog.defaults();
        var sizeService = new VmSizeService(parts.store, sizes, access);
        sizeService.load();
        var reconcileConfig = new ReconcilerConfig(config.reconcile().backendCallTimeout(),
                config.reconcile().resyncInterval(), ReconcilerConfig.DEFAULT_RETRY_DELAY, config.reconcile().giveUpAfter());
        var shares = new ShareDisk(data.resolve("files"), shareOwner(parts.backends), sharesByGroup(parts.backends));
        var contexts = new InstanceContexts(parts.store, sizes, shares);
        var instances = new InstanceReconciler(parts.store, parts.backends, contexts, new SetupRunner(shares, clock),
                clock, reconcileConfig);
        var sessions = new InstanceSessions(parts.backends, contexts, InstanceSessions.DEFAULT_OPEN_TIMEOUT);
        parts.reconciler = new Reconciler(parts.store, parts.backends, instances, reconcileConfig);
        parts.metrics.reconcileQueue(parts.reconciler::depth, parts.reconciler::lag);
        var workspaces = new WorkspaceService(parts.store, access, clock);
        var users = new UserService(parts.store, access, clock, config.tenantId());
        var roles = new RoleService(parts.store, access, clock);
        IdleRules idleRules;
        try {
            idleRules = new IdleRules(config.idle().minimum());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("idle.minimum: " + e.getMessage(), e);
        }
        var computes = new ComputeService(parts.store, sizes, access, clock, parts.backends.defaultName(),
                parts.reconciler::request, shares, idleRules, ownerAdmission(parts.backends),
                runsCustomServices(parts.backends));
        var jobFiles = new JobFiles(data.resolve("jobs"));
        var codes = new CodeService(parts.store, access, clock, data.resolve("codes"));
        parts.jobs = new JobRunner(parts.store, sessions, contexts, new ClusterNodes(parts.store, clock), sizes, codes,
                jobFiles, clock);
        var jobRunner = parts.jobs;
        parts.metrics.jobQueues(jobRunner::waitingByCompute);
        parts.metrics.jobs(() -> parts.store.read(Transaction::jobsByStatus));
        // Attached engines (Slurm) are found on the class path; each attached compute gets its own connection.
        parts.engines = new Engines(ServiceLoader.load(JobEngineProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList(), data.resolve("engines"));
        parts.engineJobs = new EngineJobRunner(parts.store, parts.engines, codes, jobFiles, clock,
                config.reconcile().enginePollInterval());
        var backends = parts.backends;
        // Idle shutdown sees every kind of use: Jupyter's kernels, sessions (terminal, SSH, jobs' commands), jobs.
        parts.idle = new IdleWatcher(parts.store, computes, List.of(
                new JupyterActivity(compute -> parts.store.read(tx -> tx.workspace(compute.workspaceId()))
                        .map(dev.hangar.core.workspace.Workspace::name).orElse("")),
                (ActivitySource) (compute, now) -> sessions.lastActive(compute.id(), now).map(Activity::at)
                        .orElseGet(Activity::none),
                (compute, now) -> jobRunner.runsJobsOn(compute.id()) ? Activity.at(now) : Activity.none()),
                clock, config.idle().checkInterval());
        parts.schedules = new ScheduleRunner(parts.store, computes, clock, config.reconcile().scheduleInterval());
        var curated = new CuratedEnvironments(instanceImage(config));
        var jobs = new JobService(parts.store, sizes, access, clock, parts.engineJobs.routing(jobRunner),
                name -> backends.get(name).runsImages(), curated, parts.engines::jobTypes);
        parts.localRuns = new LocalRunWatch(parts.store, jobFiles, clock, config.localRuns());
        var attached = new AttachedService(parts.store, access, clock, parts.engines, parts.engineJobs::endJobsOf);
        var environments = new EnvironmentService(parts.store, access, clock, curated);
        parts.scaler = new ClusterScaler(parts.store, parts.backends, contexts, jobRunner::waiting, jobRunner::wake,
                clock, config.reconcile().clusterScaleInterval(), config.reconcile().backendCallTimeout(),
                ReconcilerConfig.DEFAULT_RETRY_DELAY);
        var clusters = new ClusterService(parts.store, sizes, access, clock, parts.backends.defaultName(),
                parts.scaler::wake, jobRunner::waiting);
        var ws = config.workspace();
        parts.defaultWorkspace = workspaces.ensure(ws.subscriptionId(), ws.resourceGroup(), ws.name(), ws.location());
        parts.bootstrapAdmin = users.bootstrapAdmin(config.adminName()).orElse(null);
        if (config.ssh().enabled()) {
            parts.ssh = SshGateway.start(config.http().host(), config.ssh().port(), data.resolve("ssh"), parts.store,
                    computes, sessions);
        }

        parts.blocking = Executors.newVirtualThreadPerTaskExecutor();
        // Vert.x's file cache lives in the data directory, not as a new /tmp/vertx-cache-* after every start.
        parts.vertx = Vertx.vertx(new VertxOptions().setFileSystemOptions(new FileSystemOptions()
                .setFileCacheDir(data.resolve("cache").resolve("vertx").toString()).setFileCacheDirAsExactPath(true)));
        var oidc = config.oidc() == null ? null : new OidcProvider(config.oidc(), clock);
        var authentication = new Authentication(users, oidc, clock, new BrowserSession(config.http().publicUrl()));
        var urls = new ArmUrls(config.http().publicUrl(), parts.ssh == null ? null : parts.ssh.port());
        var blocking = new Blocking(parts.blocking);
        var router = Router.router(parts.vertx);
        router.route().handler(new RequestIds());
        // App traffic is proxied as it comes, and code uploads (the API's, and the studio's job form with its code
        // folder) are streamed to disk: none is a JSON body.
        // A buffered body must arrive within the request timeout; streamed ones are bounded by the idle timeout.
        var buffered = "^(?!/workspaces/[^/]+/computes/[^/]+/apps/|(?i)" + CodeRoutes.STREAMED_PATHS + "|(?i)"
                + FileRoutes.STREAMED_PATHS + "|(?i)" + Studio.STREAMED_PATHS + "|(?i)" + LocalRunRoutes.STREAMED_PATHS
                + ").*";
        router.routeWithRegex(buffered).handler(RequestScreen.bodyWithin(parts.vertx, config.timeouts().request()));
        router.routeWithRegex(buffered).handler(BodyHandler.create().setBodyLimit(BODY_LIMIT_BYTES));
        // Every route goes through the table: it is what GET /hangar/v1/routes lists and the access tests walk.
        var audit = new AuditLog(parts.store, access);
        var routes = new RouteTable(router, new AuditTrail(audit, workspaces, parts.blocking, clock),
                new RequestMetrics(parts.metrics.registry()));
        new AppGateway(parts.vertx, workspaces, computes, authentication, sessions, parts.blocking,
                config.timeouts().idle(), commits::count, clock).mount(routes);
        var statics = StaticHandler.create("static").setMaxAgeSeconds(STATIC_MAX_AGE_SECONDS);
        routes.path(HttpMethod.GET, "/static/*", "/static/{file}", RouteTable.Guard.ANYONE, null, ctx -> {
            // A path with dot segments ("..%2f") is no file of /static/ (and the handler would fail on it).
            var file = ctx.pathParam("*");
            if (file != null && !file.isEmpty()
                    && java.util.Arrays.stream(file.replace('\\', '/').split("/")).noneMatch(".."::equals)) {
                statics.handle(ctx);
            } else {
                ctx.fail(404);
            }
        });
        var fileShare = new FileShare(parts.store, access, shares);
        var quotaService = new QuotaService(parts.store, sizes, access);
        var studio = new Studio(new Studio.Parts(VERSION, clock, authentication, users, access, workspaces, computes,
                urls, commits, jobRunner::runsJobsOn, () -> parts.defaultWorkspace, oidc, parts.blocking, fileShare,
                sizes, quotaService, new Studio.Jobs(jobs, new JobTargets(parts.store, sizes, access), jobFiles,
                environments, codes, data.resolve("cache").resolve("uploads")), audit, sizeService, clusters, attached, roles));
        studio.mount(routes);
        if (oidc != null && config.oidc().clientId() != null) {
            new OidcSignIn(oidc, users, audit, urls::base, parts.blocking, clock, studio.signIn()).mount(routes);
        }
        new HangarRoutes(users, workspaces, audit, authentication, () -> parts.defaultWorkspace, VERSION, clock).mount(routes, blocking);
        new WorkspaceRoutes(workspaces, authentication, urls).mount(routes, blocking);
        new VmSizeRoutes(sizes, sizeService, authentication).mount(routes, blocking);
        new QuotaRoutes(quotaService, authentication).mount(routes, blocking);
        var reader = new ComputeReader(parts.store, access, clusters::view);
        var resources = new ComputeResources(urls.sshPort(), jobRunner::runsJobsOn, instanceUsers(parts.backends));
        new ComputeRoutes(reader, computes, clusters, attached, workspaces, authentication, urls, resources,
                config.privilegedCustomServices()).mount(routes, blocking);
        new AuthorizationRoutes(roles, workspaces, authentication).mount(routes, blocking);
        new JobRoutes(jobs, jobFiles, workspaces, authentication, urls).mount(routes, blocking);
        new LocalRunRoutes(new LocalRuns(parts.store, access, jobFiles, clock), workspaces, authentication,
                data.resolve("cache").resolve("uploads")).mount(routes, blocking);
        new CodeRoutes(codes, workspaces, authentication, urls, data.resolve("cache").resolve("uploads"))
                .mount(routes, blocking);
        new FileRoutes(fileShare, workspaces, authentication,
                data.resolve("cache").resolve("uploads")).mount(routes, blocking);
        new EnvironmentRoutes(environments, workspaces, authentication).mount(routes, blocking);
        new MetricsRoutes(parts.metrics, authentication, config.metricsTokenFile()).mount(routes, blocking);
        new OperationRoutes(new OperationWaits(parts.store, commits, access), parts.store, authentication, urls,
                reader, resources).mount(routes, blocking);
        router.route().last().handler(ctx -> Blocking.write(ctx, Reply.of(404, dev.hangar.api.ErrorResponse.of(
                "ResourceNotFound", "No route for " + ctx.request().method() + " " + ctx.request().path() + "."))));
        router.route().failureHandler(ctx -> {
            var rendered = ApiErrors.renderFailure(ctx, BODY_LIMIT_BYTES);
            Blocking.write(ctx, Reply.of(rendered.status(), rendered.body()));
        });

        var options = new HttpServerOptions().setHost(config.http().host()).setPort(config.http().port())
                .setCompressionSupported(true)
                // The studio's job form sends a code folder as one part per file, each named by its path.
                .setMaxFormFields(Tarballs.CODE_LIMITS.maxFiles() + FORM_FIELDS)
                .setMaxFormBufferedBytes(FORM_PART_HEADER_BYTES)
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, config.timeouts().idle().toMillis()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        if (config.http().tls()) {
            var pem = Tls.files(config, data);
            parts.certificate = pem.certificate();
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(pem.certificate().toString())
                    .setKeyPath(pem.privateKey().toString()));
        }
        listen(parts, options, () -> new RequestScreen(parts.vertx, config.timeouts().request(), router));
        var scheme = config.http().tls() ? "https" : "http";
        var host = config.http().host().contains(":") ? "[" + config.http().host() + "]" : config.http().host();
        parts.url = URI.create(scheme + "://" + host + ":" + parts.http.getFirst().actualPort());
        parts.reconciler.start();
        parts.jobs.start();
        parts.engineJobs.start();
        parts.localRuns.start();
        parts.scaler.start();
        parts.idle.start();
        parts.schedules.start();
        LOG.info("Hangar {} listening on {}", VERSION, parts.url);
    }

    /**
     * One listener per core on the same port, each on its own event loop: Vert.x spreads the connections over them,
     * so TLS and routing use every core instead of one. The first binds (learning the port when 0 was asked for).
     */
    private static void listen(Builder parts, HttpServerOptions options, Supplier<RequestScreen> screens) {
        Supplier<Deployable> listener = () -> new VerticleBase() {
            @Override
            public Future<?> start() {
                var screen = screens.get();
                return vertx.createHttpServer(options).requestHandler(screen).connectionHandler(screen::connected)
                        .invalidRequestHandler(screen::invalid).listen().onSuccess(parts.http::add);
            }
        };
        await(parts.vertx.deployVerticle(listener, new DeploymentOptions().setInstances(1)));
        var more = Runtime.getRuntime().availableProcessors() - 1;
        if (more > 0) {
            options.setPort(parts.http.getFirst().actualPort());
            await(parts.vertx.deployVerticle(listener, new DeploymentOptions().setInstances(more)));
        }
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting", e);
        } catch (Exception e) {
            var cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("Cannot start the HTTP server: " + cause.getMessage(), cause);
        }
    }

    public URI url() {
        return url;
    }

    /** The PEM certificate clients should trust, or null when serving plain HTTP. */
    public Path certificate() {
        return certificate;
    }

    /** The backend new instances run on. */
    public String backendName() {
        return backends.defaultName();
    }

    public Workspace defaultWorkspace() {
        return defaultWorkspace;
    }

    /** The SSH gateway, unless {@code ssh.enabled=false}. */
    public Optional<SshGateway> sshGateway() {
        return Optional.ofNullable(ssh);
    }

    /** The admin created on this first start, with its token; empty on later starts. */
    public Optional<UserService.Created> bootstrapAdmin() {
        return Optional.ofNullable(bootstrapAdmin);
    }

    @Override
    public void close() {
        var parts = new Builder();
        parts.vertx = vertx;
        parts.http.addAll(http);
        parts.store = store;
        parts.backends = backends;
        parts.reconciler = reconciler;
        parts.jobs = jobs;
        parts.engineJobs = engineJobs;
        parts.localRuns = localRuns;
        parts.engines = engines;
        parts.scaler = scaler;
        parts.idle = idle;
        parts.schedules = schedules;
        parts.blocking = blocking;
        parts.ssh = ssh;
        parts.metrics = metrics;
        parts.closeQuietly();
    }

    /** The parts being assembled, so that a failed start can release what it had. */
    private static final class Builder {
        Vertx vertx;
        final List<HttpServer> http = new CopyOnWriteArrayList<>();
        Store store;
        Backends backends;
        Reconciler reconciler;
        JobRunner jobs;
        EngineJobRunner engineJobs;
        LocalRunWatch localRuns;
        Engines engines;
        ClusterScaler scaler;
        IdleWatcher idle;
        ScheduleRunner schedules;
        ExecutorService blocking;
        URI url;
        Path certificate;
        Workspace defaultWorkspace;
        UserService.Created bootstrapAdmin;
        SshGateway ssh;
        HangarMetrics metrics;

        void closeQuietly() {
            run(() -> ssh.close(), ssh);
            for (var server : http) {
                run(() -> server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS), server);
            }
            // Lambdas, not method references: a reference to a part not yet made throws before run() can skip it.
            run(() -> schedules.close(), schedules);
            run(() -> idle.close(), idle);
            run(() -> scaler.close(), scaler);
            run(() -> jobs.close(), jobs);
            run(() -> engineJobs.close(), engineJobs);
            run(() -> localRuns.close(), localRuns);
            run(() -> engines.close(), engines);
            run(() -> reconciler.close(), reconciler);
            run(() -> blocking.shutdownNow(), blocking);
            run(() -> vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS), vertx);
            run(() -> backends.close(), backends);
            run(() -> store.close(), store);
            run(() -> metrics.close(), metrics);
        }

        private static void run(Step step, Object part) {
            if (part == null) {
                return;
            }
            try {
                step.run();
            } catch (Exception e) {
                LOG.warn("Closing {} failed: {}", part.getClass().getSimpleName(), e.toString());
            }
        }

        private interface Step {
            void run() throws Exception;
        }
    }
}
