package dev.hangar.backend.local;

import dev.hangar.backend.local.RunRecord.AppProcess;
import dev.hangar.backend.local.RunRecord.AppRun;
import dev.hangar.core.compute.AppEndpoint;
import dev.hangar.core.spi.AppReadiness;
import dev.hangar.core.spi.BackendException;
import dev.hangar.core.spi.BlockingBackend;
import dev.hangar.core.spi.HeldInstance;
import dev.hangar.core.spi.InstanceContext;
import dev.hangar.core.spi.InstanceSession;
import dev.hangar.core.spi.SessionRequest;
import dev.hangar.core.spi.InstanceContext.AppSpec;
import dev.hangar.core.spi.Observation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs compute instances as processes of the Hangar host. An instance is a directory
 * {@code <dataDirectory>/instances/<computeId>/} holding {@code home/} (the user's files, kept by stop) and
 * {@code run/} (what runs now: {@code apps.json} with each app's pid, start instant, port and token, the app logs and
 * Jupyter's runtime files; removed by stop). Its one app is Jupyter Notebook; other apps are reported unavailable.
 * {@code home/cloudfiles/code} is a symbolic link to the workspace's file share, as Azure ML mounts it there.
 *
 * <p><b>A VM size's limits are not enforced:</b> instance processes share the host's CPUs, memory and GPUs with each
 * other and with Hangar. Use a container or cluster backend where sizes must hold.
 *
 * <p><b>Accounts.</b> When Hangar runs as root, each instance runs as a Unix account of its own
 * ({@link InstanceAccounts}: {@code hgr-<12 hex digits of the compute id>}, made at provision, made again at start if
 * it went, removed at delete, an orphan found by the account's comment): Jupyter, sessions, commands, SFTP and, unless
 * {@link LocalBackendConfig#setupScriptsAsRoot()}, setup scripts switch to it at exec ({@code setpriv}). Its home is its
 * own (700), the instance and run folders Hangar's and readable by its group only, so it reads neither another
 * instance's home nor the run record's tokens; it reaches its workspace's share through the workspace's group
 * ({@link ShareGroups}). What Hangar does in a home on its behalf runs as the account, so that no link there is
 * followed as root. Instances still share the host's loopback, software and devices. Not run as root, every instance
 * runs as Hangar's own account and can read the others' files and tokens and Hangar's: then only one user's
 * instances run, unless the operator allows more ({@link SharedAccountRule}).
 *
 * <p>Processes run in sessions of their own and carry {@code HANGAR_COMPUTE_ID} in their environment: stop and delete
 * end every process with that tag, kernels and background jobs included. A new backend object (after Hangar restarts,
 * even after {@code kill -9}) reads {@code apps.json} and adopts the processes, having checked pid and start instant so
 * that a reused pid is never taken for an app. An app process that died makes the instance {@code Stopped}.
 *
 * <p>Every call runs on a virtual thread ({@link BlockingBackend}) and is idempotent. Failures are
 * {@link BackendException}s: {@code InstanceNotFound}, {@code JupyterStartFailed} and {@code JupyterStartTimeout} (with
 * the last lines of Jupyter's log), {@code ProcessStopFailed}, {@code InstanceIoFailed}, {@code BackendClosed};
 * {@code InstanceAccountConflict} (fatal: an account of the instance's name that is not its own),
 * {@code InstanceAccountFailed} and {@code InstanceCommandFailed} (retryable: {@code useradd}, {@code userdel},
 * {@code groupadd}, {@code usermod} or a command run as the account failed, with what it said),
 * {@code InstanceAccountMissing} (a session of an instance whose account went; a start makes it again).
 * {@link #close()} ends the executor and leaves every instance running.
 */
public final class LocalBackend extends BlockingBackend {
    public static final String NAME = "local";

    private static final int LOG_LINES = 20;

    /**
     * How many observations in a row an app's process may run without answering before the app is reported
     * unavailable: one slow answer (a busy kernel, a full GC) must not flap the instance's {@code applications}.
     */
    static final int MISSES_BEFORE_UNAVAILABLE = 2;

    private final LocalBackendConfig config;
    private final RunRecords records = new RunRecords();
    private final InstanceProcesses processes;
    private final Jupyter jupyter;
    private final AppReadiness readiness = new AppReadiness();
    private final LocalSessions sessions;
    private final InstanceAccounts accounts;
    private final Map<String, Integer> misses = new ConcurrentHashMap<>();

    public LocalBackend(LocalBackendConfig config) {
        this(config, InstanceAccounts.forThisProcess());
    }

    LocalBackend(LocalBackendConfig config, InstanceAccounts accounts) {
        // The disk may free up or a directory be fixed: the same call may then succeed.
        super(NAME, failure -> failure instanceof UncheckedIOException io
                ? BackendException.retryable("InstanceIoFailed", io.getMessage() + ": " + io.getCause(), io)
                : new BackendException("LocalBackendError", String.valueOf(failure.getMessage()), false, failure));
        this.config = config;
        this.processes = new InstanceProcesses(config.stopGrace());
        this.jupyter = new Jupyter(config.jupyterCommand());
        this.sessions = new LocalSessions(config.instancesDirectory().resolveSibling("cache"));
        this.accounts = accounts;
    }

    @Override
    protected List<AppEndpoint> provisionNow(InstanceContext context) {
        var instance = directory(context.computeId());
        // The account first: an account without its folder is found again by held() after a crash, as is a folder.
        var account = accounts.ensure(instance);
        instance.createHome(account);
        ShareGroups.join(account, context.fileShare());
        instance.linkFileShare(context.fileShare(), account);
        return runApps(context, instance, account);
    }

    @Override
    protected List<AppEndpoint> startNow(InstanceContext context) {
        var instance = directory(context.computeId());
        if (!instance.exists()) {
            throw BackendException.fatal("InstanceNotFound", "Compute " + context.computeName()
                    + " has no home at " + instance.home() + "; it must be provisioned first");
        }
        // Made again if someone removed it meanwhile, and the home given to it.
        var account = accounts.ensure(instance);
        instance.createHome(account);
        ShareGroups.join(account, context.fileShare());
        instance.linkFileShare(context.fileShare(), account);
        return runApps(context, instance, account);
    }

    @Override
    protected Observation observeNow(InstanceContext instance) {
        return observe(instance.computeId());
    }

    /**
     * Interrupts calls in flight, which fail with a retryable {@code Interrupted} and leave what they started for a new
     * backend object to adopt; every instance process keeps running.
     */
    @Override
    protected void release() {
        readiness.close();
    }

    @Override
    protected void stopNow(UUID computeId) {
        var instance = directory(computeId);
        var uid = accounts.uidOf(instance);
        if (instance.exists()) {
            var mainProcesses = records.read(instance).map(RunRecord::processes).orElse(List.of());
            processes.end(computeId, mainProcesses, uid);
            instance.removeRun();
        } else if (uid.isPresent()) {
            // An account whose folder is gone (an orphan): what it still runs ends before it is removed.
            processes.end(computeId, List.of(), uid);
        }
        misses.keySet().removeIf(key -> key.startsWith(computeId + "/"));
    }

    @Override
    protected void deleteNow(UUID computeId) {
        stopNow(computeId);
        var instance = directory(computeId);
        instance.removeAll();
        accounts.remove(instance);
    }

    private Observation observe(UUID computeId) {
        var instance = directory(computeId);
        if (!instance.exists()) {
            return new Observation.Missing();
        }
        var record = records.read(instance);
        if (record.isEmpty() || !allAlive(record.get())) {
            // An app process that died leaves a stopped instance; starting it again runs its apps anew.
            return new Observation.Stopped();
        }
        return new Observation.Running(record.get().apps().stream().map(app -> endpointNow(computeId, app)).toList());
    }

    @Override
    protected List<HeldInstance> heldNow() {
        var held = new java.util.LinkedHashMap<UUID, HeldInstance>();
        folders().forEach(instance -> held.put(instance.computeId(), instance));
        // An account whose folder is gone (a delete or provision cut short) is held too, so the sweep removes it.
        accounts.held(config.instancesDirectory()).forEach(id -> held.putIfAbsent(id,
                new HeldInstance(id, "account " + InstanceAccounts.nameOf(id))));
        return List.copyOf(held.values());
    }

    private List<HeldInstance> folders() {
        if (!Files.isDirectory(config.instancesDirectory())) {
            return List.of();
        }
        try (var entries = Files.list(config.instancesDirectory())) {
            return entries.filter(Files::isDirectory)
                    .flatMap(path -> computeId(path).stream()
                            .map(id -> new HeldInstance(id, "instance directory " + path)))
                    .toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + config.instancesDirectory(), e);
        }
    }

    /** Adopts the apps a previous start left running when they are the ones asked for; else runs them anew. */
    private List<AppEndpoint> runApps(InstanceContext context, InstanceDirectory instance, InstanceAccount account) {
        var running = records.read(instance).filter(record -> record.serves(context.apps()) && allAlive(record));
        var record = running.isPresent() ? running.get() : launchAll(context, instance, account);
        try {
            return awaitReady(instance, record);
        } catch (RuntimeException e) {
            // A half-started instance is not left behind; its log stays for whoever investigates. But when the
            // backend is closing (the call was interrupted), the processes stay for the next backend to adopt.
            if (!Thread.currentThread().isInterrupted()) {
                endAfterFailure(instance, record.processes(), e);
                records.remove(instance);
            }
            throw e;
        }
    }

    private RunRecord launchAll(InstanceContext context, InstanceDirectory instance, InstanceAccount account) {
        stopNow(instance.computeId());
        instance.createRun(account);
        var launched = new ArrayList<AppRun>();
        try {
            context.apps().forEach(spec -> launched.add(launch(instance, spec, account)));
            var record = new RunRecord(launched);
            // Written before waiting: if Hangar dies now, the next backend object finds and adopts the processes.
            records.write(instance, record);
            return record;
        } catch (RuntimeException e) {
            if (!Thread.currentThread().isInterrupted()) {
                endAfterFailure(instance, new RunRecord(launched).processes(), e);
            }
            throw e;
        }
    }

    private void endAfterFailure(InstanceDirectory instance, List<AppProcess> mainProcesses, RuntimeException e) {
        try {
            processes.end(instance.computeId(), mainProcesses, accounts.uidOf(instance));
        } catch (RuntimeException endFailure) {
            e.addSuppressed(endFailure);
        }
    }

    private AppRun launch(InstanceDirectory instance, AppSpec spec, InstanceAccount account) {
        if (!spec.name().equals(Jupyter.APP)) {
            return AppRun.unavailable(spec, "The local backend runs only " + Jupyter.APP + ", not " + spec.name());
        }
        return jupyter.unavailableReason().map(reason -> AppRun.unavailable(spec, reason))
                .orElseGet(() -> AppRun.launched(spec, jupyter.launch(instance, spec, account)));
    }

    private List<AppEndpoint> awaitReady(InstanceDirectory instance, RunRecord record) {
        var deadline = Instant.now().plus(config.readyTimeout());
        for (var app : record.apps()) {
            if (app.process() != null) {
                switch (readiness.await(app.readinessUrl(), app.process().headers(), deadline,
                        () -> InstanceProcesses.live(app.process()).isPresent())) {
                    case READY -> { }
                    case EXITED -> throw startFailed(instance, app);
                    case TIMED_OUT -> throw BackendException.retryable("JupyterStartTimeout", app.displayName()
                            + " did not answer at " + app.readinessUrl() + " within " + config.readyTimeout()
                            + "; last lines of " + instance.log(app.name()) + ":\n" + tail(instance, app), null);
                }
            }
        }
        return record.apps().stream().map(AppRun::endpoint).toList();
    }

    private BackendException startFailed(InstanceDirectory instance, AppRun app) {
        var tail = tail(instance, app);
        // Another process took the port between our probe and Jupyter's bind: a new start picks another one.
        var retryable = tail.contains("is already in use");
        return new BackendException("JupyterStartFailed", app.displayName() + " exited before it answered at "
                + app.readinessUrl() + "; last lines of " + instance.log(app.name()) + ":\n" + tail, retryable, null);
    }

    private AppEndpoint endpointNow(UUID computeId, AppRun app) {
        var key = computeId + "/" + app.name();
        if (app.process() == null || readiness.answers(app.readinessUrl(), app.process().headers())) {
            misses.remove(key);
            return app.endpoint();
        }
        if (misses.merge(key, 1, Integer::sum) < MISSES_BEFORE_UNAVAILABLE) {
            return app.endpoint();
        }
        return AppEndpoint.unavailable(app.name(), app.displayName(),
                app.displayName() + " runs but does not answer at " + app.readinessUrl());
    }

    private static boolean allAlive(RunRecord record) {
        return record.processes().stream().allMatch(process -> InstanceProcesses.live(process).isPresent());
    }

    private static String tail(InstanceDirectory instance, AppRun app) {
        return LogTail.of(instance.log(app.name()), LOG_LINES);
    }

    private InstanceDirectory directory(UUID computeId) {
        return InstanceDirectory.of(config.instancesDirectory(), computeId);
    }

    private static Optional<UUID> computeId(Path directory) {
        try {
            var name = directory.getFileName().toString();
            var id = UUID.fromString(name);
            // UUID.fromString accepts short forms such as 1-1-1-1-1; only the canonical name is ours.
            return id.toString().equals(name) ? Optional.of(id) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Sessions run while the instance does: its apps' run record is there and they are alive. */
    @Override
    protected InstanceSession openNow(InstanceContext context, SessionRequest request) {
        var instance = directory(context.computeId());
        if (!records.read(instance).filter(LocalBackend::allAlive).isPresent()) {
            throw BackendException.fatal("InstanceNotRunning", "Compute instance '" + context.computeName()
                    + "' is not running on this host; start it first");
        }
        var account = accounts.of(instance);
        return sessions.open(instance, account, config.setupScriptsAsRoot() ? accounts.hangars() : account, request);
    }

    /** Not root, instances share Hangar's account: one user's only, unless the operator allows more. */
    @Override
    public Optional<String> ownerRefusal(String owner, java.util.function.Supplier<java.util.Set<String>> others) {
        return new SharedAccountRule(accounts.separate(), config.sharedAccount()).refusal(owner, others);
    }

    /** With accounts of their own, instances reach their workspace's share through its group ({@link ShareGroups}). */
    @Override
    public boolean sharesByGroup() {
        return accounts.separate();
    }

    /** The instance's own account, {@code hgr-...}, when Hangar runs as root; else Hangar's own. */
    @Override
    public String instanceUser(UUID computeId) {
        return accounts.separate() ? InstanceAccounts.nameOf(computeId) : accounts.hangars().name();
    }

    @Override
    protected void endProcessesNow(InstanceContext context, java.util.Set<String> markers) {
        processes.endMarked(context.computeId(), markers);
    }
}
