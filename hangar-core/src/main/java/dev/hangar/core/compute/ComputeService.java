package dev.hangar.core.compute;

import dev.hangar.api.ComputeType;
import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.custom.CustomService;
import dev.hangar.core.custom.CustomServiceRules;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.files.ShareDisk;
import dev.hangar.core.idle.IdleRules;
import dev.hangar.core.idle.IdleShutdown;
import dev.hangar.core.operation.Operation;
import dev.hangar.core.operation.OperationKind;
import dev.hangar.core.operation.Trigger;
import dev.hangar.core.quota.QuotaAdmission;
import dev.hangar.core.quota.VmPriority;
import dev.hangar.core.schedule.ComputeSchedule;
import dev.hangar.core.schedule.ScheduleTimes;
import dev.hangar.core.setup.SetupScriptRules;
import dev.hangar.core.setup.SetupScripts;
import dev.hangar.core.size.VmSizeCatalog;
import dev.hangar.core.store.ConcurrentUpdateException;
import dev.hangar.core.store.Store;
import dev.hangar.core.store.Transaction;
import dev.hangar.core.workspace.Workspace;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The application service for compute instances. Every mutating call checks access and the state rules, then records
 * the new desired state, a history line and an operation in one transaction, and only then wakes the reconciler.
 * A refused call records nothing.
 *
 * <p>Thread-safe; blocking (it uses the store), so call it from virtual threads.
 */
public final class ComputeService {
    /** The kind as a refusal of a name another kind has names it. */
    private static final String INSTANCE = "a ComputeInstance";
    /**
     * The sharing policy of an instance created without one: its apps open for its owner only. Azure's schema defaults
     * to Shared; Hangar defaults to Personal because a compute instance is one person's development machine.
     */
    static final String PERSONAL = "Personal";

    private final Store store;
    private final VmSizeCatalog sizes;
    private final AccessPolicy access;
    private final Clock clock;
    private final String defaultBackend;
    private final Consumer<UUID> reconcile;
    private final ShareDisk shares;
    private final IdleRules idle;
    private final OwnerAdmission owners;
    private final Predicate<String> runsCustomServices;

    /**
     * @param shares the workspaces' file shares, where setup scripts are looked for
     * @param idle the idle times Hangar takes
     */
    public ComputeService(Store store, VmSizeCatalog sizes, AccessPolicy access, Clock clock, String defaultBackend,
                          Consumer<UUID> reconcile, ShareDisk shares, IdleRules idle) {
        this(store, sizes, access, clock, defaultBackend, reconcile, shares, idle, OwnerAdmission.ANY);
    }

    /** @param owners whether a backend takes one more user's instance */
    public ComputeService(Store store, VmSizeCatalog sizes, AccessPolicy access, Clock clock, String defaultBackend,
                          Consumer<UUID> reconcile, ShareDisk shares, IdleRules idle, OwnerAdmission owners) {
        this(store, sizes, access, clock, defaultBackend, reconcile, shares, idle, owners, backend -> false);
    }

    /**
     * One collaborator more than the rule of seven: each is one question an instance's admission asks, and splitting
     * them would split one transaction.
     *
     * @param runsCustomServices whether a backend (by name) runs custom services
     */
    public ComputeService(Store store, VmSizeCatalog sizes, AccessPolicy access, Clock clock, String defaultBackend,
                          Consumer<UUID> reconcile, ShareDisk shares, IdleRules idle, OwnerAdmission owners,
                          Predicate<String> runsCustomServices) {
        this.runsCustomServices = runsCustomServices;
        this.owners = owners;
        this.shares = shares;
        this.idle = idle;
        this.store = store;
        this.sizes = sizes;
        this.access = access;
        this.clock = clock;
        this.defaultBackend = defaultBackend;
        this.reconcile = reconcile;
    }

    /**
     * The instance, for Hangar's own components that act for no caller (the SSH gateway, which authenticates by the
     * instance's own key); callers go through the methods that check their roles.
     */
    public Optional<ComputeInstance> find(Workspace workspace, String name) {
        return store.read(tx -> tx.findCompute(workspace.id(), name));
    }

    /** Whether a compute of any kind has the name in the workspace ({@code checkComputeNameAvailability}). */
    public boolean exists(User caller, Workspace workspace, String name) {
        requireNameCheck(caller, workspace);
        return store.read(tx -> tx.computeNamed(workspace.id(), name).isPresent());
    }

    /** Refuses {@code checkComputeNameAvailability} to a caller whose roles do not grant it. */
    public void requireNameCheck(User caller, Workspace workspace) {
        store.read(tx -> {
            access.require(access.grants(tx, caller, workspace.id()), Action.CHECK_NAME,
                    workspace.armId() + "/checkComputeNameAvailability");
            return null;
        });
    }

    /** The instance and its last operation, read in one transaction; 404 when there is none. */
    public ComputeView view(User caller, Workspace workspace, String name) {
        return store.read(tx -> {
            access.require(access.grants(tx, caller, workspace.id()), Action.READ, armId(workspace, name));
            var compute = find(tx, workspace, name);
            return new ComputeView(compute, tx.lastOperation(compute.id()).orElse(null));
        });
    }

    /** One page of the workspace's instances by name, each with its last operation: two queries whatever the size. */
    public List<ComputeView> list(User caller, Workspace workspace, int skip, int limit) {
        return list(caller, workspace, ComputeFilter.NONE, skip, limit);
    }

    /** {@link #list(User, Workspace, int, int)} of the instances {@code filter} lets through. */
    public List<ComputeView> list(User caller, Workspace workspace, ComputeFilter filter, int skip, int limit) {
        return store.read(tx -> {
            access.require(access.grants(tx, caller, workspace.id()), Action.READ, workspace.armId() + "/computes");
            var page = tx.computes(workspace.id(), filter, skip, limit);
            var last = tx.lastOperations(page.stream().map(ComputeInstance::id).toList());
            return page.stream().map(compute -> new ComputeView(compute, last.get(compute.id()))).toList();
        });
    }

    /**
     * A page of a list, how many rows the whole list has, and what the caller may do in the workspace (read in the
     * same transaction, so that a page shows just the actions its reader may take).
     */
    public record Page(List<ComputeView> rows, int total, AccessPolicy.Grants grants) {
    }

    /**
     * One page of the workspace's instances the filter lets through, in {@code order}, each with its last operation,
     * and how many the filter lets through in all: three queries whatever the size.
     */
    public Page page(User caller, Workspace workspace, ComputeFilter filter, ComputeOrder order, int skip,
                     int limit) {
        return store.read(tx -> {
            var grants = access.grants(tx, caller, workspace.id());
            access.require(grants, Action.READ, workspace.armId() + "/computes");
            var page = tx.computes(workspace.id(), filter, order, skip, limit);
            var last = tx.lastOperations(page.stream().map(ComputeInstance::id).toList());
            return new Page(page.stream().map(compute -> new ComputeView(compute, last.get(compute.id()))).toList(),
                    tx.countComputes(workspace.id(), filter), grants);
        });
    }

    /** An instance, its last operation, its history and what the caller may do in its workspace, read together. */
    public record Detail(ComputeView view, List<StateTransition> history, AccessPolicy.Grants grants) {
    }

    /** The instance as its own page shows it, read in one transaction; 404 when there is none. */
    public Detail detail(User caller, Workspace workspace, String name) {
        return store.read(tx -> {
            var grants = access.grants(tx, caller, workspace.id());
            access.require(grants, Action.READ, armId(workspace, name));
            var compute = find(tx, workspace, name);
            return new Detail(new ComputeView(compute, tx.lastOperation(compute.id()).orElse(null)),
                    tx.history(compute.id()), grants);
        });
    }

    public List<StateTransition> history(User caller, Workspace workspace, String name) {
        return store.read(tx -> {
            access.require(access.grants(tx, caller, workspace.id()), Action.READ, armId(workspace, name));
            return tx.history(find(tx, workspace, name).id());
        });
    }

    /**
     * {@code listKeys}: the secrets of an attached compute, for callers allowed {@code listKeys}. A compute instance
     * has none to list (its apps' tokens are Hangar's, and never leave it): 400 {@code ComputeHasNoSecrets}.
     */
    public Map<String, String> listKeys(User caller, Workspace workspace, String name) {
        var compute = store.read(tx -> {
            access.require(access.grants(tx, caller, workspace.id()), Action.LIST_KEYS, armId(workspace, name));
            return find(tx, workspace, name);
        });
        throw ApiException.badRequest(ErrorCodes.COMPUTE_HAS_NO_SECRETS, "Compute '" + compute.name() + "' is a"
                + " ComputeInstance, which has no secrets to list: its apps open through Hangar with your own"
                + " credentials. listKeys lists the credentials of attached computes.");
    }

    /**
     * The instance whose apps (Jupyter, the terminal) the caller opens: {@code applicationaccess}, and its owner
     * unless it is shared ({@link AccessPolicy#requireAppAccess}).
     */
    public ComputeInstance openApps(User caller, Workspace workspace, String name) {
        return store.read(tx -> {
            var grants = access.grants(tx, caller, workspace.id());
            var scope = armId(workspace, name);
            access.require(grants, Action.READ, scope);
            var compute = find(tx, workspace, name);
            access.requireAppAccess(grants, compute, scope);
            return compute;
        });
    }

    /** The newest operation of each kind ARM's {@code lastOperation} shows. */
    public Optional<Operation> lastOperation(UUID computeId) {
        return store.read(tx -> tx.lastOperation(computeId));
    }

    /**
     * Creates the instance, or updates the mutable fields of an existing one (description, tags). The size, the
     * assigned user and SSH access are fixed at creation.
     */
    public Mutation<ComputeInstance> createOrUpdate(User caller, Workspace workspace, String name,
            InstanceRequest request) {
        require(caller, workspace, Action.WRITE, name);
        var existing = store.read(tx -> ComputeAdmission.existing(tx, workspace, name, ComputeInstance.class,
                INSTANCE));
        if (existing.isPresent()) {
            return update(caller, workspace, existing.get(), request);
        }
        ComputeName.check(name);
        var size = sizes.admit(request.vmSize(), ComputeType.COMPUTE_INSTANCE, "compute instances", "vmSize");
        var scripts = request.setupScripts() == null ? SetupScripts.NONE : request.setupScripts();
        SetupScriptRules.check(scripts, shares, workspace.id());
        var services = request.customServices() == null ? List.<CustomService>of() : request.customServices();
        admitCustomServices(defaultBackend, services, CUSTOM_SERVICES);
        var idleShutdown = new IdleShutdown(idle.check(request.idleTimeBeforeShutdown()), null);
        var now = clock.instant();
        var assigned = request.assignedUser() == null ? null : resolveAssignee(request.assignedUser());
        var draft = new ComputeInstance(UUID.randomUUID(), workspace.id(), name, size.name(), InstanceState.Creating,
                request.description(), request.tags(), caller.ref(), assigned,
                request.applicationSharingPolicy() == null ? PERSONAL : request.applicationSharingPolicy(),
                request.ssh(), scripts, services, idleShutdown, schedules(request.schedules()), List.of(), List.of(),
                defaultBackend, now, now, 0);
        // Admission waits its turn on the location's quota lock; a lock or a name lost to a concurrent create is
        // tried again, and then the name is found taken.
        var mutation = ComputeAdmission.retried(store, name, tx -> {
            if (ComputeAdmission.existing(tx, workspace, name, ComputeInstance.class, INSTANCE).isPresent()) {
                throw ApiException.conflict(ErrorCodes.ACTIVE_OPERATION, ErrorCodes.ACTIVE_OPERATION_MESSAGE
                        + ": compute '" + name + "' is being created by another request.");
            }
            owners.refusal(draft.backend(), draft.owner().name(), () -> tx.allComputes().stream()
                            .filter(other -> java.util.Objects.equals(other.backend(), draft.backend()))
                            .map(other -> other.owner().name()).collect(java.util.stream.Collectors.toSet()))
                    .ifPresent(why -> {
                        throw ApiException.conflict(ErrorCodes.INSTANCES_SHARE_ONE_ACCOUNT, why);
                    });
            var created = tx.insertCompute(draft);
            QuotaAdmission.reserve(tx, workspace, created.id(), name, size, VmPriority.Dedicated, 1);
            tx.appendTransition(new StateTransition(created.id(), now, null, InstanceState.Creating,
                    "created", caller.name()));
            var operation = Operation.begin(workspace.id(), created.id(), name, OperationKind.Create,
                    Trigger.User, caller.name(), now);
            tx.insertOperation(operation);
            return new Mutation<>(created, operation, true);
        });
        reconcile.accept(mutation.compute().id());
        return mutation;
    }

    /** The schedules asked for, each checked, and given an id when it has none. */
    private static List<ComputeSchedule> schedules(List<ComputeSchedule> requested) {
        if (requested == null) {
            return List.of();
        }
        var checked = new ArrayList<ComputeSchedule>();
        for (int i = 0; i < requested.size(); i++) {
            var schedule = requested.get(i);
            ScheduleTimes.check(schedule, "properties.properties.schedules.computeStartStop[" + i + "]");
            checked.add(schedule.id() != null ? schedule : new ComputeSchedule(UUID.randomUUID().toString(),
                    schedule.enabled(), schedule.action(), schedule.cron(), schedule.recurrence()));
        }
        return checked;
    }

    private UserRef resolveAssignee(UserRef requested) {
        var user = store.read(tx -> tx.user(requested.objectId())).orElseThrow(() -> ApiException.badRequest(
                "AssignedUserNotFound", "No user with object id '" + requested.objectId() + "' exists.",
                "personalComputeInstanceSettings.assignedUser.objectId"));
        return user.ref();
    }

    private Mutation<ComputeInstance> update(User caller, Workspace workspace, ComputeInstance current,
            InstanceRequest request) {
        if (request.vmSize() != null && !request.vmSize().equalsIgnoreCase(current.vmSize())) {
            throw ApiException.badRequest(ErrorCodes.VM_SIZE_IMMUTABLE, "The VM size of compute '" + current.name()
                    + "' is " + current.vmSize() + " and cannot be changed to " + request.vmSize()
                    + " after creation.", "vmSize");
        }
        // Clients may send the whole resource back: the same assignee is no change; another one is refused.
        var assigned = current.assignedUser();
        if (request.assignedUser() != null
                && (assigned == null || !assigned.objectId().equals(request.assignedUser().objectId()))) {
            throw ApiException.badRequest(ErrorCodes.ASSIGNED_USER_IMMUTABLE, "Compute '" + current.name() + "' is "
                    + (assigned == null ? "not assigned to anyone" : "assigned to " + assigned.name())
                    + "; the assigned user is chosen at creation. Delete it and create one for the other user.",
                    "personalComputeInstanceSettings.assignedUser");
        }
        if (request.ssh() != null && !request.ssh().sameAccessAs(current.ssh())) {
            throw ApiException.badRequest(ErrorCodes.SSH_SETTINGS_IMMUTABLE, "SSH access to compute '"
                    + current.name() + "' is " + (current.ssh().publicAccess() ? "enabled" : "disabled")
                    + "; SSH access and its key are chosen at creation and cannot be changed. Delete the instance"
                    + " and create it again to change them.", "sshSettings");
        }
        if (request.setupScripts() != null && !request.setupScripts().equals(current.setupScripts())) {
            throw ApiException.badRequest("SetupScriptsImmutable", "The setup scripts of compute '" + current.name()
                    + "' are chosen at creation and cannot be changed. Delete the instance and create it again with"
                    + " other scripts.", "properties.properties.setupScripts");
        }
        if (request.customServices() != null && !request.customServices().equals(current.customServices())) {
            throw ApiException.badRequest(CustomServiceRules.INVALID, "The custom services of compute '"
                    + current.name() + "' change through POST .../computes/" + current.name() + "/customServices"
                    + " (Compute_UpdateCustomServices), not through a PUT of the instance.", CUSTOM_SERVICES);
        }
        var idleTime = request.idleTimeBeforeShutdown() == null ? null : idle.check(request.idleTimeBeforeShutdown());
        var schedules = request.schedules() == null ? null : schedules(request.schedules());
        return recordUpdate(caller, workspace, current.name(), (latest, now) -> {
            var changed = latest.withUpdate(request.description(), request.tags(), now);
            if (idleTime != null) {
                changed = changed.withIdleShutdown(latest.idleShutdown().withIdleTime(idleTime), now);
            }
            return schedules == null ? changed : changed.withSchedules(schedules, now);
        });
    }

    /**
     * Replaces the instance's start/stop schedules (an empty list removes them all), each checked as a PUT's
     * {@code schedules.computeStartStop} is, and recorded as a PUT's change is: an {@code Update} operation, ended at
     * once. Everything else about the instance stays as it is.
     *
     * @throws ApiException 400 {@code InvalidCronExpression}, {@code InvalidTimeZone}, {@code InvalidSchedule} with
     *                      the schedule's index in the target ({@code ...computeStartStop[1].cron.expression})
     */
    public Mutation<ComputeInstance> updateSchedules(User caller, Workspace workspace, String name,
            List<ComputeSchedule> requested) {
        require(caller, workspace, Action.WRITE, name);
        var checked = schedules(requested);
        return recordUpdate(caller, workspace, name, (latest, now) -> latest.withSchedules(checked, now));
    }

    /** A user's change of an instance, with its {@code Update} operation, tried again when the row moved meanwhile. */
    private Mutation<ComputeInstance> recordUpdate(User caller, Workspace workspace, String name,
                                                   BiFunction<ComputeInstance, Instant, ComputeInstance> change) {
        return ComputeAdmission.retried(store, name, tx -> {
            var latest = find(tx, workspace, name);
            var now = clock.instant();
            var updated = tx.updateCompute(change.apply(latest, now));
            var operation = Operation.begin(workspace.id(), latest.id(), latest.name(), OperationKind.Update,
                    Trigger.User, caller.name(), now).succeeded(now);
            tx.insertOperation(operation);
            return new Mutation<>(updated, operation, false);
        });
    }

    /**
     * {@code updateIdleShutdownSetting}: the instance stops after {@code idleTime} without activity from now on; null
     * (an empty setting) turns idle shutdown off.
     */
    public ComputeInstance updateIdleShutdown(User caller, Workspace workspace, String name, Duration idleTime) {
        require(caller, workspace, Action.WRITE, name);
        var checked = idleTime == null ? null : idle.check(idleTime);
        return change(workspace, name, latest -> latest.withIdleShutdown(latest.idleShutdown().withIdleTime(checked),
                clock.instant()));
    }

    private static final String CUSTOM_SERVICES = "properties.properties.customServices";

    /** Refuses custom services that break a rule, or that the backend would not run. */
    private void admitCustomServices(String backend, List<CustomService> services, String field) {
        CustomServiceRules.check(services, field);
        if (!services.isEmpty() && !runsCustomServices.test(backend)) {
            throw CustomServiceRules.unsupported(backend == null ? defaultBackend : backend);
        }
    }

    /**
     * {@code updateCustomServices}: the instance's custom services are {@code services} from now on (an empty list
     * removes them). They take effect as the instance next starts or restarts: a running instance keeps the ones it
     * started with until then. A refusal records nothing.
     */
    public ComputeInstance updateCustomServices(User caller, Workspace workspace, String name,
                                                List<CustomService> services) {
        require(caller, workspace, Action.WRITE, name);
        var current = store.read(tx -> find(tx, workspace, name));
        admitCustomServices(current.backend(), services, "customServices");
        return change(workspace, name, latest -> latest.withCustomServices(services, clock.instant()));
    }

    /**
     * A keep-alive lease: the instance counts as in use until {@code duration} from now (at most
     * {@link IdleShutdown#MAXIMUM}), whatever it does; a zero duration ends the lease. For whoever may open its apps.
     */
    public ComputeInstance keepAlive(User caller, Workspace workspace, String name, Duration duration) {
        openApps(caller, workspace, name);
        if (duration.isNegative() || duration.compareTo(IdleShutdown.MAXIMUM) > 0) {
            throw ApiException.badRequest(IdleRules.INVALID_KEEP_ALIVE, "A keep-alive lasts from 0 (to end one) to "
                    + IdleShutdown.MAXIMUM.toDays() + " days, not " + duration + ".", "duration");
        }
        var until = duration.isZero() ? null : clock.instant().plus(duration);
        return change(workspace, name, latest -> latest.withIdleShutdown(latest.idleShutdown()
                .withKeepAliveUntil(until), latest.modifiedOn()));
    }

    private ComputeInstance change(Workspace workspace, String name, UnaryOperator<ComputeInstance> change) {
        return ComputeAdmission.retried(store, name, tx -> tx.updateCompute(change.apply(find(tx, workspace, name))));
    }

    /**
     * Stops an instance that was idle too long, for no caller: an operation with trigger {@code IdleShutdown}. Empty
     * when the instance is gone, no longer running ({@code Running} or {@code SetupFailed}), or has an operation under
     * way (then nothing is done).
     */
    public Optional<Mutation<ComputeInstance>> stopIdle(UUID computeId, String reason) {
        return begin(computeId, OperationKind.Stop, Trigger.IdleShutdown, IDLE_SHUTDOWN, reason,
                state -> state == InstanceState.Running || state == InstanceState.SetupFailed);
    }

    /**
     * Starts or stops an instance for one of its schedules, for no caller: an operation with trigger
     * {@code Schedule}, when the state allows it ({@link StateRules}) and no operation is under way; empty otherwise,
     * with nothing done.
     */
    public Optional<Mutation<ComputeInstance>> beginScheduled(UUID computeId, OperationKind kind, String reason) {
        return begin(computeId, kind, Trigger.Schedule, SCHEDULE, reason, state -> switch (kind) {
            case Start -> state == InstanceState.Stopped;
            case Stop -> state == InstanceState.Running || state == InstanceState.SetupFailed;
            default -> throw new IllegalArgumentException(kind + " is not scheduled");
        });
    }

    private Optional<Mutation<ComputeInstance>> begin(UUID computeId, OperationKind kind, Trigger trigger,
            String actor, String reason,
                                     Predicate<InstanceState> allowed) {
        try {
            var mutation = store.inTransaction(tx -> {
                var latest = tx.compute(computeId).orElse(null);
                if (latest == null || !allowed.test(latest.state()) || tx.activeOperation(computeId).isPresent()) {
                    return null;
                }
                var workspace = tx.workspace(latest.workspaceId()).orElseThrow();
                return record(tx, actor, workspace, latest, kind, trigger, reason);
            });
            if (mutation == null) {
                return Optional.empty();
            }
            reconcile.accept(computeId);
            return Optional.of(mutation);
        } catch (ConcurrentUpdateException e) {
            return Optional.empty();
        }
    }

    /** Who stops idle instances, in their history and operations. */
    public static final String IDLE_SHUTDOWN = "hangar (idle shutdown)";
    /** Who starts and stops instances on their schedules. */
    public static final String SCHEDULE = "hangar (schedule)";

    public Mutation<ComputeInstance> start(User caller, Workspace workspace, String name) {
        return begin(caller, workspace, name, OperationKind.Start, Action.START);
    }

    public Mutation<ComputeInstance> stop(User caller, Workspace workspace, String name) {
        return begin(caller, workspace, name, OperationKind.Stop, Action.STOP);
    }

    public Mutation<ComputeInstance> restart(User caller, Workspace workspace, String name) {
        return begin(caller, workspace, name, OperationKind.Restart, Action.RESTART);
    }

    /**
     * Deletes the instance. Allowed in every state: an operation still in progress is canceled, and the reconciler
     * takes the instance down whatever it was doing. Deleting an instance already being deleted returns the
     * delete in progress. Empty when the instance does not exist.
     */
    public Optional<Mutation<ComputeInstance>> delete(User caller, Workspace workspace, String name) {
        require(caller, workspace, Action.DELETE, name);
        var current = find(workspace, name);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        var mutation = ComputeAdmission.retried(store, name, tx -> {
            var latest = find(tx, workspace, name);
            return ComputeAdmission.deleteInProgress(tx, latest, latest.state() == InstanceState.Deleting,
                            clock.instant())
                    .map(deleting -> new Mutation<>(latest, deleting, false))
                    .orElseGet(() -> record(tx, caller, workspace, latest, OperationKind.Delete));
        });
        reconcile.accept(mutation.compute().id());
        return Optional.of(mutation);
    }

    private Mutation<ComputeInstance> begin(User caller, Workspace workspace, String name, OperationKind kind,
            Action action) {
        require(caller, workspace, action, name);
        try {
            var mutation = store.inTransaction(tx -> {
                var latest = find(tx, workspace, name);
                if (tx.activeOperation(latest.id()).isPresent()) {
                    throw activeOperation(name);
                }
                StateRules.check(kind, latest);
                return record(tx, caller, workspace, latest, kind);
            });
            reconcile.accept(mutation.compute().id());
            return mutation;
        } catch (ConcurrentUpdateException e) {
            throw activeOperation(name);
        }
    }

    private Mutation<ComputeInstance> record(Transaction tx, User caller, Workspace workspace, ComputeInstance latest,
                            OperationKind kind) {
        return record(tx, caller.name(), workspace, latest, kind, Trigger.User, kind.name().toLowerCase()
                + " requested");
    }

    private Mutation<ComputeInstance> record(Transaction tx, String actor, Workspace workspace, ComputeInstance latest,
                            OperationKind kind, Trigger trigger, String reason) {
        var now = clock.instant();
        var to = kind.passesThrough();
        var moved = tx.updateCompute(latest.withState(to, now).withErrors(List.of()));
        tx.appendTransition(new StateTransition(latest.id(), now, latest.state(), to, reason, actor));
        var operation = Operation.begin(workspace.id(), latest.id(), latest.name(), kind, trigger, actor, now);
        tx.insertOperation(operation);
        return new Mutation<>(moved, operation, false);
    }

    /**
     * Refuses the caller {@code action} on compute {@code name} unless their roles in the workspace grant it. Every
     * method here checks on its own; routes call this first when they validate their input before calling one.
     */
    public void require(User caller, Workspace workspace, Action action, String name) {
        store.read(tx -> {
            access.require(access.grants(tx, caller, workspace.id()), action, armId(workspace, name));
            return null;
        });
    }

    private static ComputeInstance find(Transaction tx, Workspace workspace, String name) {
        return tx.findCompute(workspace.id(), name).orElseThrow(() -> ApiException.notFound(
                "Compute '" + name + "' was not found in workspace '" + workspace.name() + "'."));
    }

    private static ApiException activeOperation(String name) {
        return ApiException.conflict(ErrorCodes.ACTIVE_OPERATION, ErrorCodes.ACTIVE_OPERATION_MESSAGE
                + " for compute '" + name + "'. Wait for it to finish and try again.");
    }

    /** The ARM id of a compute, the scope access refusals name. */
    public static String armId(Workspace workspace, String name) {
        return workspace.armId() + "/computes/" + name;
    }
}
