package dev.hangar.core.store;

import dev.hangar.core.access.ApiToken;
import dev.hangar.core.access.RoleAssignment;
import dev.hangar.core.access.RoleDefinition;
import dev.hangar.core.access.User;
import dev.hangar.core.audit.AuditEvent;
import dev.hangar.core.audit.AuditFilter;
import dev.hangar.core.cluster.ClusterNode;
import dev.hangar.core.code.CodeSnapshot;
import dev.hangar.core.compute.AttachedCompute;
import dev.hangar.core.compute.Compute;
import dev.hangar.core.compute.ComputeCluster;
import dev.hangar.core.compute.ComputeFilter;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.ComputeOrder;
import dev.hangar.core.compute.InstanceState;
import dev.hangar.core.compute.StateTransition;
import dev.hangar.core.environment.EnvironmentVersion;
import dev.hangar.core.job.Job;
import dev.hangar.core.job.JobStatus;
import dev.hangar.core.job.JobTransition;
import dev.hangar.core.operation.Operation;
import dev.hangar.core.quota.CoreReservation;
import dev.hangar.core.quota.QuotaLimit;
import dev.hangar.core.size.VmSize;
import dev.hangar.core.spi.engine.EngineJobRef;
import dev.hangar.core.workspace.Workspace;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What can be read and written inside one {@link Store} transaction. Names (workspace, compute, user) are unique and
 * matched case-insensitively. Not thread-safe: use it only inside the function it was passed to.
 */
public interface Transaction {

    // Workspaces

    void insertWorkspace(Workspace workspace);

    void updateWorkspace(Workspace workspace);

    Optional<Workspace> workspace(UUID id);

    /** The workspace with this subscription, resource group and name, all compared case-insensitively. */
    Optional<Workspace> findWorkspace(String subscriptionId, String resourceGroup, String name);

    /** Workspaces of a subscription, and of a resource group when {@code resourceGroup} is not null, by name. */
    List<Workspace> workspaces(String subscriptionId, String resourceGroup);

    List<Workspace> allWorkspaces();

    // Compute instances

    /**
     * Inserts a new instance with version 1. Throws {@link ConcurrentUpdateException} when the name is taken in the
     * workspace (a concurrent create won).
     */
    ComputeInstance insertCompute(ComputeInstance compute);

    /**
     * Writes {@code compute} if the stored version still equals {@code compute.version()}; returns it with the next
     * version. Throws {@link ConcurrentUpdateException} otherwise.
     */
    ComputeInstance updateCompute(ComputeInstance compute);

    /** Removes the instance row and the cores it reserved; its history and operations stay. */
    void deleteCompute(UUID id);

    Optional<ComputeInstance> compute(UUID id);

    Optional<ComputeInstance> findCompute(UUID workspaceId, String name);

    /** One page of a workspace's instances ordered by name (case-insensitively). */
    default List<ComputeInstance> computes(UUID workspaceId, int skip, int limit) {
        return computes(workspaceId, ComputeFilter.NONE, skip, limit);
    }

    /** One page of those of a workspace's instances the filter lets through, ordered by name. */
    default List<ComputeInstance> computes(UUID workspaceId, ComputeFilter filter, int skip, int limit) {
        return computes(workspaceId, filter, ComputeOrder.NAME, skip, limit);
    }

    /** One page of those of a workspace's instances the filter lets through, in {@code order}. */
    List<ComputeInstance> computes(UUID workspaceId, ComputeFilter filter, ComputeOrder order,
                                   int skip, int limit);

    /** How many of a workspace's instances the filter lets through. */
    int countComputes(UUID workspaceId, ComputeFilter filter);

    List<ComputeInstance> computesInStates(Collection<InstanceState> states);

    List<ComputeInstance> allComputes();

    /** The compute of this name in the workspace, whatever its kind, in one read. */
    Optional<Compute> computeNamed(UUID workspaceId, String name);

    /** The compute of this id, whatever its kind. */
    Optional<Compute> anyCompute(UUID id);

    // Attached computes (their rows share the computes table too; deleteCompute detaches one)

    /** Inserts a new attached compute at version 1; {@link ConcurrentUpdateException} when the name is taken. */
    AttachedCompute insertAttached(AttachedCompute compute);

    /** Writes it if its stored version is still {@code compute.version()}; else {@link ConcurrentUpdateException}. */
    AttachedCompute updateAttached(AttachedCompute compute);

    Optional<AttachedCompute> attached(UUID id);

    Optional<AttachedCompute> findAttached(UUID workspaceId, String name);

    /** One page of those of a workspace's attached computes the filter lets through, ordered by name. */
    List<AttachedCompute> attachedComputes(UUID workspaceId, ComputeFilter filter, int skip, int limit);

    /** Every attached compute of every workspace, by workspace and name. */
    List<AttachedCompute> allAttached();

    /**
     * Takes the attach lock until the transaction ends: attaches (of any workspace) run one at a time, so that what
     * one finds attached is still so when it records. A lock lost to a timeout is a {@link ConcurrentUpdateException}.
     */
    void lockAttachments();

    /** Records where the engine of an attached compute runs a job (once; a second record of a job is refused). */
    void insertEngineJob(UUID jobId, EngineJobRef ref, Instant at);

    /** Where engines run these jobs, for those recorded. */
    Map<UUID, EngineJobRef> engineJobs(Collection<UUID> jobIds);

    // Compute clusters (their rows share the computes table, so that a name is one compute's; deleteCompute removes
    // a cluster with its nodes)

    /** Inserts a new cluster at version 1; {@link ConcurrentUpdateException} when the name is taken. */
    ComputeCluster insertCluster(ComputeCluster cluster);

    /** Writes the cluster if its stored version is still {@code cluster.version()}; else {@link ConcurrentUpdateException}. */
    ComputeCluster updateCluster(ComputeCluster cluster);

    Optional<ComputeCluster> cluster(UUID id);

    Optional<ComputeCluster> findCluster(UUID workspaceId, String name);

    /** One page of those of a workspace's clusters the filter lets through, ordered by name. */
    List<ComputeCluster> clusters(UUID workspaceId, ComputeFilter filter, int skip, int limit);

    List<ComputeCluster> allClusters();

    ClusterNode insertNode(ClusterNode node);

    /** Writes the node if its stored version is still {@code node.version()}; else {@link ConcurrentUpdateException}. */
    ClusterNode updateNode(ClusterNode node);

    void deleteNode(UUID id);

    Optional<ClusterNode> node(UUID id);

    /** A cluster's nodes, oldest first. */
    List<ClusterNode> nodes(UUID clusterId);

    /** The nodes of several clusters, oldest first. */
    List<ClusterNode> nodesOf(Collection<UUID> clusterIds);

    /** Every node of every cluster: what backends hold for them is not an orphan. */
    List<ClusterNode> allNodes();

    // History

    void appendTransition(StateTransition transition);

    /** A compute's history, oldest first. The last line of a removed compute has {@code to == null}. */
    List<StateTransition> history(UUID computeId);

    // Operations

    void insertOperation(Operation operation);

    /**
     * Ends an operation that is still InProgress in the store. Returns false, writing nothing, when it already ended:
     * a terminal status is never overwritten.
     */
    boolean endOperation(Operation ended);

    Optional<Operation> operation(UUID id);

    /** The InProgress operation on a compute, if any. */
    Optional<Operation> activeOperation(UUID computeId);

    /** The newest lifecycle operation on a compute (not an {@code Update}), whatever its status. */
    Optional<Operation> lastOperation(UUID computeId);

    /** {@link #lastOperation} of many computes in one query; computes without one are absent from the map. */
    Map<UUID, Operation> lastOperations(Collection<UUID> computeIds);

    // Users and tokens

    void insertUser(User user);

    Optional<User> user(UUID id);

    Optional<User> findUser(String name);

    List<User> users();

    void insertToken(ApiToken token);

    /** The user an OpenID Connect issuer's subject names, if one was linked. */
    Optional<User> userOfIdentity(String issuer, String subject);

    /** Whether the user is linked to some subject of the issuer. */
    boolean hasIdentity(UUID userId, String issuer);

    /** Links the issuer's subject to the user; {@link ConcurrentUpdateException} when it is linked already. */
    void insertIdentity(String issuer, String subject, UUID userId, Instant at);

    Optional<ApiToken> findToken(String secretHash);

    Optional<ApiToken> token(UUID id);

    /** A user's tokens, oldest first, revoked and expired ones included. */
    List<ApiToken> tokens(UUID userId);

    /** Marks the token revoked at {@code at}, unless it was already. */
    void revokeToken(UUID id, Instant at);

    // Audit events

    void insertAuditEvent(AuditEvent event);

    /**
     * Records the outcome of the call whose event was written with its change ({@link
     * dev.hangar.core.audit.CallAudit}): its result, HTTP status and error code. Nothing when there is no such event.
     */
    void endAuditEvent(UUID id, String result, Integer status, String errorCode);

    /** Events as the filter says, newest first. */
    List<AuditEvent> auditEvents(AuditFilter filter);

    // Roles (custom role definitions; the built-in ones live in code) and role assignments

    /** Inserts a custom role; {@link ConcurrentUpdateException} when its name (any case) is taken. */
    void insertRoleDefinition(RoleDefinition role);

    /** Replaces a custom role's fields; {@link ConcurrentUpdateException} when its new name is another's. */
    void updateRoleDefinition(RoleDefinition role);

    void deleteRoleDefinition(UUID id);

    Optional<RoleDefinition> roleDefinition(UUID id);

    Optional<RoleDefinition> findRoleDefinition(String name);

    /** The custom roles, by name. */
    List<RoleDefinition> roleDefinitions();

    /** Inserts an assignment; {@link ConcurrentUpdateException} when the user already has that role there. */
    void insertRoleAssignment(RoleAssignment assignment);

    void deleteRoleAssignment(UUID id);

    Optional<RoleAssignment> roleAssignment(UUID id);

    /** A workspace's assignments, oldest first. */
    List<RoleAssignment> roleAssignments(UUID workspaceId);

    /** The roles of one user in one workspace. */
    List<RoleAssignment> roleAssignments(UUID workspaceId, UUID principalId);

    /** How many assignments, in any workspace, give the role. */
    int countRoleAssignments(UUID roleDefinitionId);

    // VM sizes

    /** The catalog, by family, then vCPUs, then name. */
    List<VmSize> vmSizes();

    /** Adds the size, or replaces the one with its name in any case. */
    void putVmSize(VmSize size);

    void deleteVmSize(String name);

    /** How many computes are of this size (any case). */
    int countComputesOfSize(String name);

    // Quotas

    /**
     * Takes the quota lock of a location of a subscription (both compared case-insensitively) until the transaction
     * ends: admissions there run one at a time. A lock lost to a timeout is a {@link ConcurrentUpdateException}.
     */
    void lockQuotas(String subscriptionId, String location);

    /** The location's limits and those of its workspaces. */
    List<QuotaLimit> quotaLimits(String subscriptionId, String location);

    /** Sets the limit, replacing one on the same scope; {@link QuotaLimit#NONE} removes it. */
    void putQuotaLimit(QuotaLimit limit);

    /** Records the cores a compute holds; they go when {@link #deleteCompute} removes it. */
    void insertCoreReservation(CoreReservation reservation);

    /** Removes the cores a compute holds, before a new reservation replaces them. */
    void deleteCoreReservation(UUID computeId);

    /** The cores held by computes of the location's workspaces. */
    List<CoreReservation> coreReservations(String subscriptionId, String location);

    // Code snapshots

    /** Records a workspace's snapshot; {@link ConcurrentUpdateException} when it has it already. */
    CodeSnapshot insertCode(CodeSnapshot code);

    Optional<CodeSnapshot> findCode(UUID workspaceId, String digest);

    // Environments

    /** Records an environment version; {@link ConcurrentUpdateException} when the workspace has it already. */
    EnvironmentVersion insertEnvironment(EnvironmentVersion version);

    Optional<EnvironmentVersion> findEnvironment(UUID workspaceId, String name, String version);

    /** The versions of an environment, newest first. */
    List<EnvironmentVersion> environmentVersions(UUID workspaceId, String name);

    /** The latest version of each of a workspace's environments, by name. */
    List<EnvironmentVersion> latestEnvironmentVersions(UUID workspaceId);

    // Jobs

    /** Inserts a new job at version 1; {@link ConcurrentUpdateException} when its name is taken in the workspace. */
    Job insertJob(Job job);

    /** Writes the job if its stored version is still {@code job.version()}; {@link ConcurrentUpdateException} else. */
    Job updateJob(Job job);

    Optional<Job> job(UUID id);

    Optional<Job> findJob(UUID workspaceId, String name);

    /** One page of a workspace's jobs that {@code filter} lets through, newest first. */
    List<Job> jobs(UUID workspaceId, dev.hangar.core.job.JobFilter filter, int skip, int limit);

    /** How many of a workspace's jobs {@code filter} lets through. */
    int countJobs(UUID workspaceId, dev.hangar.core.job.JobFilter filter);

    /** How many jobs of every workspace are in each status (a status none is in is absent). */
    Map<dev.hangar.core.job.JobStatus, Integer> jobsByStatus();

    /** Every job in one of {@code statuses}, in the order they were submitted. */
    List<Job> jobsInStatus(Collection<JobStatus> statuses);

    void appendJobTransition(JobTransition transition);

    /** A job's history, oldest first. */
    List<JobTransition> jobHistory(UUID jobId);

    /** Removes a job, its history and where an engine ran it; false when there was no such job. */
    boolean deleteJob(UUID jobId);
}
