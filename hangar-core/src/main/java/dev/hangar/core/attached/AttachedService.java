package dev.hangar.core.attached;

import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.Action;
import dev.hangar.core.access.User;
import dev.hangar.core.compute.AttachedCompute;
import dev.hangar.core.compute.AttachedView;
import dev.hangar.core.compute.ComputeAdmission;
import dev.hangar.core.compute.ComputeFilter;
import dev.hangar.core.compute.ComputeName;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.compute.Mutation;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.job.JobFilter;
import dev.hangar.core.job.JobStatus;
import dev.hangar.core.operation.Operation;
import dev.hangar.core.operation.OperationKind;
import dev.hangar.core.operation.Trigger;
import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.spi.engine.EngineInfo;
import dev.hangar.core.spi.engine.EngineNode;
import dev.hangar.core.store.Store;
import dev.hangar.core.store.Transaction;
import dev.hangar.core.workspace.Workspace;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The application service for attached computes: attach (or change an attachment), read, list, detach, list the
 * engine's nodes and list the credentials, each after checking the caller's action in the workspace. An attach reaches
 * the engine first ({@code JobEngine.check}) and records nothing when it cannot: the caller learns at once that the
 * address, credentials or partition are wrong, with the engine's code. An outside resource is attached once: a second
 * attach of it, in any workspace, is refused before it is reached, and again under the attach lock when recording.
 * Detaching ends the compute's jobs on the engine first, then removes the record; the engine itself is never touched.
 *
 * <p>Thread-safe; blocking (it uses the store and reaches engines).
 */
public final class AttachedService {

    private final Store store;
    private final AccessPolicy access;
    private final Clock clock;
    private final Engines engines;
    private final Consumer<AttachedCompute> endJobs;

    /** @param endJobs ends the compute's jobs on its engine and in the store, before a detach removes it */
    public AttachedService(Store store, AccessPolicy access, Clock clock, Engines engines,
                           Consumer<AttachedCompute> endJobs) {
        this.store = store;
        this.access = access;
        this.clock = clock;
        this.engines = engines;
        this.endJobs = endJobs;
    }

    /** The canonical casing of {@code computeType} when it names a kind that can be attached here. */
    public Optional<String> kind(String computeType) {
        return engines.kind(computeType);
    }

    public AttachedView view(User caller, Workspace workspace, String name) {
        return store.read(tx -> {
            require(tx, caller, workspace, Action.READ, name);
            var compute = find(tx, workspace, name);
            return new AttachedView(compute, tx.lastOperation(compute.id()).orElse(null));
        });
    }

    /** One page of the workspace's attached computes by name, each with its last operation. */
    public List<AttachedView> list(User caller, Workspace workspace, ComputeFilter filter, int skip, int limit) {
        return store.read(tx -> {
            access.require(access.grants(tx, caller, workspace.id()), Action.READ, workspace.armId() + "/computes");
            var page = tx.attachedComputes(workspace.id(), filter, skip, limit);
            var last = tx.lastOperations(page.stream().map(AttachedCompute::id).toList());
            return page.stream().map(compute -> new AttachedView(compute, last.get(compute.id()))).toList();
        });
    }

    /**
     * Attaches the engine, or changes an attachment (description, tags, settings, credentials, job user and user
     * map; the kind is fixed). The engine is reached with the new settings before anything is recorded.
     */
    public Mutation<AttachedCompute> attach(User caller, Workspace workspace, String name, AttachRequest request) {
        store.read(tx -> {
            require(tx, caller, workspace, Action.WRITE, name);
            return null;
        });
        var kind = engines.kind(request.kind()).orElseThrow(() -> ApiException.badRequest("UnsupportedComputeType",
                "computeType '" + request.kind() + "' cannot be attached here; attachable kinds: " + engines.kinds()
                        + ".", "properties.computeType"));
        var asked = "an attached " + kind;
        var existing = store.read(tx -> ComputeAdmission.existing(tx, workspace, name, AttachedCompute.class, asked));
        if (existing.isPresent() && !existing.get().kind().equals(kind)) {
            throw ComputeAdmission.typeImmutable(name, ComputeAdmission.described(existing.get()), asked);
        }
        if (existing.isEmpty()) {
            ComputeName.check(name);
        }
        var secrets = request.secrets().isEmpty() && existing.isPresent() ? existing.get().secrets()
                : request.secrets();
        var jobUser = request.jobUser() != null ? request.jobUser()
                : existing.map(AttachedCompute::jobUser).orElse(AttachedCompute.JobUser.Connection);
        var userMap = request.userMap() != null ? request.userMap()
                : existing.map(AttachedCompute::userMap).orElse(Map.of());
        var id = existing.map(AttachedCompute::id).orElseGet(UUID::randomUUID);
        var settings = new LinkedHashMap<>(request.settings());
        existing.ifPresent(current -> {
            requireMayReconnect(caller, current, settings, request, jobUser, userMap);
            if (!caller.admin() && !isAttacher(caller, current)) {
                // Left out is kept: a change of the description or tags alone need not repeat every setting.
                current.settings().forEach(settings::putIfAbsent);
            }
        });
        var resource = resource(id, kind, name, settings, secrets);
        var info = check(caller, id, kind, name, settings, secrets, resource);
        // What the engine learned on the way (an SSH host key seen for the first time) is kept and checked from now on.
        info.learned().forEach(settings::putIfAbsent);
        // The resource as the engine made it out (a partition left out is the cluster's default one, learned above).
        var reached = resource(id, kind, name, settings, secrets);
        if (jobUser == AttachedCompute.JobUser.Requester && !info.switchesUsers()) {
            throw ApiException.badRequest("EngineCannotSwitchUsers", "Jobs on '" + name + "' would run as their"
                    + " requesters' accounts, but " + info.account() + ", the account Hangar reaches " + kind + " as, may"
                    + " not run commands as other accounts (it is not root and has no password-less sudo). Connect as"
                    + " such an account, or let jobs run as " + info.account() + " (jobUser Connection).",
                    "properties.properties.jobUser");
        }
        var summary = new AttachedCompute.EngineSummary(info.version(), info.cluster(), info.partition(),
                info.nodeCount(), info.cpusPerNode(), info.account(), info.switchesUsers());
        return ComputeAdmission.retried(store, name, tx -> {
            var now = clock.instant();
            // Taken before looking, so that two attaches of one resource cannot both find it free.
            tx.lockAttachments();
            var latest = ComputeAdmission.existing(tx, workspace, name, AttachedCompute.class, asked);
            refuseAttachedAlready(tx, caller, latest.map(AttachedCompute::id).orElse(id), kind, reached);
            if (latest.isPresent()) {
                var updated = tx.updateAttached(latest.get().withUpdate(request.description(), request.tags(),
                        settings, secrets, jobUser, userMap, summary, now));
                var operation = Operation.begin(workspace.id(), updated.id(), name, OperationKind.Update,
                        Trigger.User, caller.name(), now).succeeded(now);
                tx.insertOperation(operation);
                return new Mutation<>(updated, operation, false);
            }
            var created = tx.insertAttached(new AttachedCompute(id, workspace.id(), name, kind,
                    request.description(), request.tags(), request.resourceId(), settings, secrets, jobUser,
                    userMap, summary, caller.ref(), List.of(), now, now, 0));
            var operation = Operation.begin(workspace.id(), created.id(), name, OperationKind.Create,
                    Trigger.User, caller.name(), now).succeeded(now);
            tx.insertOperation(operation);
            return new Mutation<>(created, operation, true);
        });
    }

    /**
     * A change of how an attached compute is reached, or of whose accounts its jobs run as, borrows the credentials it
     * was attached with: only the user who attached it, or an administrator, may make one. Others may change its
     * description and tags, sending none of its settings or the same ones.
     */
    private static void requireMayReconnect(User caller, AttachedCompute current, Map<String, String> settings,
                                            AttachRequest request, AttachedCompute.JobUser jobUser,
                                            Map<String, String> userMap) {
        if (caller.admin() || isAttacher(caller, current)) {
            return;
        }
        var changed = settings.entrySet().stream().anyMatch(entry ->
                !entry.getValue().equals(current.settings().get(entry.getKey())));
        if (changed || !request.secrets().isEmpty() || jobUser != current.jobUser()
                || !userMap.equals(current.userMap())) {
            throw ApiException.forbidden("AuthorizationFailed", "Only the user who attached '" + current.name()
                    + "' or an administrator may change how " + current.kind() + " is reached or whose accounts its"
                    + " jobs run as: such a change uses the credentials it was attached with. You may change its"
                    + " description and tags.");
        }
    }

    private static boolean isAttacher(User caller, AttachedCompute compute) {
        return compute.createdBy() != null && caller.id().equals(compute.createdBy().objectId());
    }

    /** The outside resource these settings reach; wrong settings are the caller's 400, with the engine's code. */
    private String resource(UUID id, String kind, String name, Map<String, String> settings,
                            Map<String, String> secrets) {
        try {
            return engines.resource(id, kind, name, settings, secrets);
        } catch (EngineException e) {
            throw ApiException.badRequest(e.code(), "Cannot attach " + kind + " as '" + name + "': " + e.getMessage(),
                    "properties.properties");
        }
    }

    /**
     * Refuses, with 409 {@code ComputeAlreadyAttached}, to attach a resource that another compute (of any workspace)
     * has attached already: two attachments would submit to one engine under two names, each blind to the other's jobs
     * and credentials. Azure breaks the older attachment instead; Hangar keeps it and says where it is. The other
     * compute and its workspace are named only to a caller with a role there.
     *
     * @param self the compute being attached or changed, which does not conflict with itself
     */
    private void refuseAttachedAlready(Transaction tx, User caller, UUID self, String kind, String resource) {
        for (var other : tx.allAttached()) {
            if (other.id().equals(self) || !other.kind().equals(kind)
                    || !resource.equals(recordedResource(other).orElse(null))) {
                continue;
            }
            var where = access.grants(tx, caller, other.workspaceId()).allows(Action.READ)
                    ? "as compute '" + other.name() + "' in workspace '"
                    + tx.workspace(other.workspaceId()).map(Workspace::name).orElse("?") + "'"
                    : "as a compute of another workspace";
            throw ApiException.conflict(ErrorCodes.COMPUTE_ALREADY_ATTACHED, kind + " at " + resource
                    + " is attached already, " + where + ". Hangar attaches an outside resource once: use that"
                    + " compute, or detach it first.");
        }
    }

    /**
     * The resource a recorded attachment reaches; empty when its settings no longer read (its credentials sealed
     * with a key this server no longer has read as none), as it then cannot be compared.
     */
    private Optional<String> recordedResource(AttachedCompute compute) {
        try {
            return Optional.of(engines.resource(compute.id(), compute.kind(), compute.name(), compute.settings(),
                    compute.secrets()));
        } catch (EngineException e) {
            return Optional.empty();
        }
    }

    /**
     * Reaches the engine with these settings; its refusal becomes the caller's 400, with the engine's code. An engine
     * that would work on Hangar's own host is refused to all but administrators, and a resource attached already is
     * refused, both before it is reached.
     */
    private EngineInfo check(User caller, UUID id, String kind, String name, Map<String, String> settings,
                             Map<String, String> secrets, String resource) {
        try (var engine = engines.connect(id, kind, name, settings, secrets)) {
            if (engine.onHangarsHost() && !caller.admin()) {
                throw ApiException.forbidden("AuthorizationFailed", "Attached this way, " + kind + " would work on"
                        + " Hangar's own host as Hangar's own account, lending that account to every job: only a"
                        + " Hangar administrator may attach it so. Attach it over SSH with an account of its own, or ask"
                        + " an administrator.");
            }
            store.read(tx -> {
                refuseAttachedAlready(tx, caller, id, kind, resource);
                return null;
            });
            return engine.check();
        } catch (EngineException e) {
            throw ApiException.badRequest(e.code(), "Cannot attach " + kind + " as '" + name + "': " + e.getMessage(),
                    "properties.properties");
        }
    }

    /**
     * Detaches the compute: its jobs end (canceled on the engine when they were submitted to it), then its record
     * goes. Empty when there is no such compute.
     */
    public Optional<Mutation<AttachedCompute>> detach(User caller, Workspace workspace, String name) {
        var compute = store.read(tx -> {
            require(tx, caller, workspace, Action.DELETE, name);
            return tx.findAttached(workspace.id(), name);
        });
        if (compute.isEmpty()) {
            return Optional.empty();
        }
        endJobs.accept(compute.get());
        var mutation = store.inTransaction(tx -> {
            var now = clock.instant();
            tx.deleteCompute(compute.get().id());
            var operation = Operation.begin(workspace.id(), compute.get().id(), name, OperationKind.Delete,
                    Trigger.User, caller.name(), now).succeeded(now);
            tx.insertOperation(operation);
            return new Mutation<>(compute.get(), operation, false);
        });
        engines.forget(compute.get().id());
        return Optional.of(mutation);
    }

    /** An engine's node, with the Hangar jobs (by name) or else the engine's ids of the jobs running on it. */
    public record AttachedNode(EngineNode node, List<String> runs) {
    }

    /** {@code listNodes}: the engine's nodes as it reports them now. */
    public List<AttachedNode> nodes(User caller, Workspace workspace, String name) {
        var compute = store.read(tx -> {
            require(tx, caller, workspace, Action.LIST_NODES, name);
            return find(tx, workspace, name);
        });
        List<EngineNode> nodes;
        try {
            nodes = engines.of(compute).nodes();
        } catch (EngineException e) {
            throw ApiException.unavailable(e.code(), "Cannot list the nodes of '" + name + "': " + e.getMessage());
        }
        var names = store.read(tx -> {
            var active = tx.jobs(workspace.id(), new JobFilter(name, EnumSet.complementOf(EnumSet.of(
                    JobStatus.Completed, JobStatus.Failed, JobStatus.Canceled))), 0, Integer.MAX_VALUE);
            var byId = active.stream().collect(Collectors.toMap(job -> job.id(), job -> job.name()));
            var byEngineId = new HashMap<String, String>();
            tx.engineJobs(byId.keySet()).forEach((jobId, ref) -> byEngineId.put(ref.engineId(), byId.get(jobId)));
            return byEngineId;
        });
        return nodes.stream().map(node -> new AttachedNode(node, node.jobs().stream()
                .map(engineId -> names.getOrDefault(engineId, engineId)).toList())).toList();
    }

    /** {@code listKeys}: the compute with the credentials it was attached with, for callers allowed to list them. */
    public AttachedCompute credentials(User caller, Workspace workspace, String name) {
        return store.read(tx -> {
            require(tx, caller, workspace, Action.LIST_KEYS, name);
            return find(tx, workspace, name);
        });
    }

    private void require(Transaction tx, User caller, Workspace workspace, Action action, String name) {
        access.require(access.grants(tx, caller, workspace.id()), action, ComputeService.armId(workspace, name));
    }

    private static AttachedCompute find(Transaction tx, Workspace workspace, String name) {
        return tx.findAttached(workspace.id(), name).orElseThrow(() -> ApiException.notFound(
                "Compute '" + name + "' was not found in workspace '" + workspace.name() + "'."));
    }
}
