package dev.hangar.store;

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
import dev.hangar.core.secret.SecretBox;
import dev.hangar.core.size.VmSize;
import dev.hangar.core.spi.engine.EngineJobRef;
import dev.hangar.core.store.Transaction;
import dev.hangar.core.workspace.Workspace;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * One transaction on one handle. The first failure of any call dooms the transaction: later calls are refused and
 * {@link JdbcStore} rolls back even if the work swallowed the failure. PostgreSQL aborts a transaction after an error
 * anyway; doing the same on H2 keeps the two databases alike. For the same reason a read-only transaction refuses
 * writes here rather than leave it to the database (H2 ignores the read-only flag).
 */
final class JdbcTransaction implements Transaction {
    private final WorkspaceRows workspaces;
    private final ComputeRows computes;
    private final ClusterRows clusters;
    private final AttachedRows attachments;
    private final AnyComputeRows anyComputes;
    private final List<Operation> endedOperations = new java.util.ArrayList<>();
    private final Map<UUID, Job> written = new java.util.HashMap<>();
    private final List<JobStart> startedJobs = new java.util.ArrayList<>();
    private final EnvironmentRows environments;
    private final HistoryRows history;
    private final OperationRows operations;
    private final UserRows users;
    private final RoleRows roles;
    private final AuditRows audit;
    private final QuotaRows quotas;
    private final VmSizeRows sizes;
    private final CodeRows codes;
    private final JobRows jobs;
    private final boolean readOnly;
    private RuntimeException failure;

    JdbcTransaction(Handle handle, boolean readOnly, SecretBox secrets) {
        this.readOnly = readOnly;
        this.workspaces = new WorkspaceRows(handle);
        this.computes = new ComputeRows(handle, secrets);
        this.clusters = new ClusterRows(handle);
        this.attachments = new AttachedRows(handle, secrets);
        this.anyComputes = new AnyComputeRows(handle, computes.mapper, ClusterRows.CLUSTER, attachments.mapper);
        this.environments = new EnvironmentRows(handle);
        this.history = new HistoryRows(handle);
        this.operations = new OperationRows(handle);
        this.users = new UserRows(handle);
        this.roles = new RoleRows(handle);
        this.audit = new AuditRows(handle);
        this.quotas = new QuotaRows(handle);
        this.sizes = new VmSizeRows(handle);
        this.codes = new CodeRows(handle);
        this.jobs = new JobRows(handle);
    }

    /** The failure that doomed this transaction, if any. */
    Optional<RuntimeException> failure() {
        return Optional.ofNullable(failure);
    }

    private <T> T call(Supplier<T> work) {
        if (failure != null) {
            throw new IllegalStateException("This transaction already failed and will be rolled back.", failure);
        }
        try {
            return work.get();
        } catch (RuntimeException e) {
            var concurrent = SqlErrors.asConcurrentUpdate(e);
            failure = concurrent.isPresent() ? concurrent.get() : e;
            throw failure;
        }
    }

    private <T> T write(Supplier<T> work) {
        return call(() -> {
            if (readOnly) {
                throw new IllegalStateException("This transaction is read-only.");
            }
            return work.get();
        });
    }

    private void write(Runnable work) {
        write(() -> {
            work.run();
            return null;
        });
    }

    @Override
    public void insertWorkspace(Workspace workspace) {
        write(() -> workspaces.insert(workspace));
    }

    @Override
    public void updateWorkspace(Workspace workspace) {
        write(() -> workspaces.update(workspace));
    }

    @Override
    public Optional<Workspace> workspace(UUID id) {
        return call(() -> workspaces.byId(id));
    }

    @Override
    public Optional<Workspace> findWorkspace(String subscriptionId, String resourceGroup, String name) {
        return call(() -> workspaces.find(subscriptionId, resourceGroup, name));
    }

    @Override
    public List<Workspace> workspaces(String subscriptionId, String resourceGroup) {
        return call(() -> workspaces.of(subscriptionId, resourceGroup));
    }

    @Override
    public List<Workspace> allWorkspaces() {
        return call(workspaces::all);
    }

    @Override
    public ComputeInstance insertCompute(ComputeInstance compute) {
        return write(() -> computes.insert(compute));
    }

    @Override
    public ComputeInstance updateCompute(ComputeInstance compute) {
        return write(() -> computes.update(compute));
    }

    @Override
    public void deleteCompute(UUID id) {
        // The compute's core reservation goes with its row (ON DELETE CASCADE).
        write(() -> computes.delete(id));
    }

    @Override
    public Optional<ComputeInstance> compute(UUID id) {
        return call(() -> computes.byId(id));
    }

    @Override
    public Optional<ComputeInstance> findCompute(UUID workspaceId, String name) {
        return call(() -> computes.find(workspaceId, name));
    }

    @Override
    public List<ComputeInstance> computes(UUID workspaceId, ComputeFilter filter, ComputeOrder order, int skip,
                                          int limit) {
        return call(() -> computes.page(workspaceId, filter, order, skip, limit));
    }

    @Override
    public int countComputes(UUID workspaceId, ComputeFilter filter) {
        return call(() -> computes.count(workspaceId, filter));
    }

    @Override
    public List<ComputeInstance> computesInStates(Collection<InstanceState> states) {
        return call(() -> computes.inStates(states));
    }

    @Override
    public List<ComputeInstance> allComputes() {
        return call(computes::all);
    }

    @Override
    public Optional<Compute> computeNamed(UUID workspaceId, String name) {
        return call(() -> anyComputes.find(workspaceId, name));
    }

    @Override
    public Optional<Compute> anyCompute(UUID id) {
        return call(() -> anyComputes.byId(id));
    }

    @Override
    public ComputeCluster insertCluster(ComputeCluster cluster) {
        return write(() -> clusters.insert(cluster));
    }

    @Override
    public ComputeCluster updateCluster(ComputeCluster cluster) {
        return write(() -> clusters.update(cluster));
    }

    @Override
    public Optional<ComputeCluster> cluster(UUID id) {
        return call(() -> clusters.byId(id));
    }

    @Override
    public Optional<ComputeCluster> findCluster(UUID workspaceId, String name) {
        return call(() -> clusters.find(workspaceId, name));
    }

    @Override
    public List<ComputeCluster> clusters(UUID workspaceId, ComputeFilter filter, int skip, int limit) {
        return call(() -> clusters.page(workspaceId, filter, skip, limit));
    }

    @Override
    public List<ComputeCluster> allClusters() {
        return call(clusters::all);
    }

    @Override
    public AttachedCompute insertAttached(AttachedCompute compute) {
        return write(() -> attachments.insert(compute));
    }

    @Override
    public AttachedCompute updateAttached(AttachedCompute compute) {
        return write(() -> attachments.update(compute));
    }

    @Override
    public Optional<AttachedCompute> attached(UUID id) {
        return call(() -> attachments.byId(id));
    }

    @Override
    public Optional<AttachedCompute> findAttached(UUID workspaceId, String name) {
        return call(() -> attachments.find(workspaceId, name));
    }

    @Override
    public List<AttachedCompute> attachedComputes(UUID workspaceId, ComputeFilter filter, int skip, int limit) {
        return call(() -> attachments.page(workspaceId, filter, skip, limit));
    }

    @Override
    public List<AttachedCompute> allAttached() {
        return call(attachments::all);
    }

    @Override
    public void lockAttachments() {
        write(attachments::lock);
    }

    @Override
    public void insertEngineJob(UUID jobId, EngineJobRef ref, Instant at) {
        write(() -> attachments.insertEngineJob(jobId, ref, at));
    }

    @Override
    public Map<UUID, EngineJobRef> engineJobs(Collection<UUID> jobIds) {
        return call(() -> attachments.engineJobs(jobIds));
    }

    @Override
    public ClusterNode insertNode(ClusterNode node) {
        return write(() -> clusters.insertNode(node));
    }

    @Override
    public ClusterNode updateNode(ClusterNode node) {
        return write(() -> clusters.updateNode(node));
    }

    @Override
    public void deleteNode(UUID id) {
        write(() -> clusters.deleteNode(id));
    }

    @Override
    public Optional<ClusterNode> node(UUID id) {
        return call(() -> clusters.node(id));
    }

    @Override
    public List<ClusterNode> nodes(UUID clusterId) {
        return call(() -> clusters.nodes(List.of(clusterId)));
    }

    @Override
    public List<ClusterNode> nodesOf(Collection<UUID> clusterIds) {
        return call(() -> clusters.nodes(clusterIds));
    }

    @Override
    public List<ClusterNode> allNodes() {
        return call(clusters::allNodes);
    }

    @Override
    public void appendTransition(StateTransition transition) {
        write(() -> history.append(transition));
    }

    @Override
    public List<StateTransition> history(UUID computeId) {
        return call(() -> history.of(computeId));
    }

    @Override
    public void insertOperation(Operation operation) {
        write(() -> operations.insert(operation));
    }

    @Override
    public boolean endOperation(Operation ended) {
        var done = write(() -> operations.end(ended));
        if (done) {
            endedOperations.add(ended);
        }
        return done;
    }

    /** The operations this transaction ended, in order: reported once it commits. */
    List<Operation> endedOperations() {
        return endedOperations;
    }

    @Override
    public Optional<Operation> operation(UUID id) {
        return call(() -> operations.byId(id));
    }

    @Override
    public Optional<Operation> activeOperation(UUID computeId) {
        return call(() -> operations.active(computeId));
    }

    @Override
    public Optional<Operation> lastOperation(UUID computeId) {
        return call(() -> operations.last(computeId));
    }

    @Override
    public Map<UUID, Operation> lastOperations(Collection<UUID> computeIds) {
        return computeIds.isEmpty() ? Map.of() : call(() -> operations.last(computeIds));
    }

    @Override
    public void insertUser(User user) {
        write(() -> users.insert(user));
    }

    @Override
    public Optional<User> user(UUID id) {
        return call(() -> users.byId(id));
    }

    @Override
    public Optional<User> findUser(String name) {
        return call(() -> users.find(name));
    }

    @Override
    public List<User> users() {
        return call(users::all);
    }

    @Override
    public void insertToken(ApiToken token) {
        write(() -> users.insertToken(token));
    }

    @Override
    public Optional<ApiToken> findToken(String secretHash) {
        return call(() -> users.findToken(secretHash));
    }

    @Override
    public Optional<ApiToken> token(UUID id) {
        return call(() -> users.token(id));
    }

    @Override
    public List<ApiToken> tokens(UUID userId) {
        return call(() -> users.tokens(userId));
    }

    @Override
    public void revokeToken(UUID id, java.time.Instant at) {
        write(() -> users.revokeToken(id, at));
    }

    @Override
    public void insertAuditEvent(AuditEvent event) {
        write(() -> audit.insert(event));
    }

    @Override
    public void endAuditEvent(UUID id, String result, Integer status, String errorCode) {
        write(() -> audit.end(id, result, status, errorCode));
    }

    @Override
    public List<AuditEvent> auditEvents(AuditFilter filter) {
        return call(() -> audit.find(filter));
    }

    @Override
    public void insertRoleDefinition(RoleDefinition role) {
        write(() -> roles.insertDefinition(role));
    }

    @Override
    public void updateRoleDefinition(RoleDefinition role) {
        write(() -> roles.updateDefinition(role));
    }

    @Override
    public void deleteRoleDefinition(UUID id) {
        write(() -> roles.deleteDefinition(id));
    }

    @Override
    public Optional<RoleDefinition> roleDefinition(UUID id) {
        return call(() -> roles.definition(id));
    }

    @Override
    public Optional<RoleDefinition> findRoleDefinition(String name) {
        return call(() -> roles.findDefinition(name));
    }

    @Override
    public List<RoleDefinition> roleDefinitions() {
        return call(roles::definitions);
    }

    @Override
    public void insertRoleAssignment(RoleAssignment assignment) {
        write(() -> roles.insertAssignment(assignment));
    }

    @Override
    public void deleteRoleAssignment(UUID id) {
        write(() -> roles.deleteAssignment(id));
    }

    @Override
    public Optional<RoleAssignment> roleAssignment(UUID id) {
        return call(() -> roles.assignment(id));
    }

    @Override
    public List<RoleAssignment> roleAssignments(UUID workspaceId) {
        return call(() -> roles.assignments(workspaceId));
    }

    @Override
    public List<RoleAssignment> roleAssignments(UUID workspaceId, UUID principalId) {
        return call(() -> roles.assignments(workspaceId, principalId));
    }

    @Override
    public int countRoleAssignments(UUID roleDefinitionId) {
        return call(() -> roles.countAssignments(roleDefinitionId));
    }

    @Override
    public List<VmSize> vmSizes() {
        return call(sizes::all);
    }

    @Override
    public void putVmSize(VmSize size) {
        write(() -> sizes.put(size));
    }

    @Override
    public void deleteVmSize(String name) {
        write(() -> sizes.delete(name));
    }

    @Override
    public int countComputesOfSize(String name) {
        return call(() -> sizes.countComputes(name));
    }

    @Override
    public void lockQuotas(String subscriptionId, String location) {
        write(() -> quotas.lock(subscriptionId, location));
    }

    @Override
    public List<QuotaLimit> quotaLimits(String subscriptionId, String location) {
        return call(() -> quotas.limits(subscriptionId, location));
    }

    @Override
    public void putQuotaLimit(QuotaLimit limit) {
        write(() -> quotas.put(limit));
    }

    @Override
    public void insertCoreReservation(CoreReservation reservation) {
        write(() -> quotas.insertReservation(reservation));
    }

    @Override
    public void deleteCoreReservation(UUID computeId) {
        write(() -> quotas.deleteReservation(computeId));
    }

    @Override
    public List<CoreReservation> coreReservations(String subscriptionId, String location) {
        return call(() -> quotas.reservations(subscriptionId, location));
    }

    @Override
    public Optional<User> userOfIdentity(String issuer, String subject) {
        return call(() -> users.ofIdentity(issuer, subject));
    }

    @Override
    public boolean hasIdentity(UUID userId, String issuer) {
        return call(() -> users.hasIdentity(userId, issuer));
    }

    @Override
    public void insertIdentity(String issuer, String subject, UUID userId, java.time.Instant at) {
        write(() -> users.insertIdentity(issuer, subject, userId, at));
    }

    @Override
    public CodeSnapshot insertCode(CodeSnapshot code) {
        return write(() -> codes.insert(code));
    }

    @Override
    public Optional<CodeSnapshot> findCode(UUID workspaceId, String digest) {
        return call(() -> codes.find(workspaceId, digest));
    }

    @Override
    public EnvironmentVersion insertEnvironment(EnvironmentVersion version) {
        return write(() -> environments.insert(version));
    }

    @Override
    public Optional<EnvironmentVersion> findEnvironment(UUID workspaceId, String name, String version) {
        return call(() -> environments.find(workspaceId, name, version));
    }

    @Override
    public List<EnvironmentVersion> environmentVersions(UUID workspaceId, String name) {
        return call(() -> environments.versions(workspaceId, name));
    }

    @Override
    public List<EnvironmentVersion> latestEnvironmentVersions(UUID workspaceId) {
        return call(() -> environments.latest(workspaceId));
    }

    @Override
    public Job insertJob(Job job) {
        return write(() -> jobs.insert(job));
    }

    @Override
    public Job updateJob(Job job) {
        var updated = write(() -> jobs.update(job));
        written.put(updated.id(), updated);
        return updated;
    }

    @Override
    public Optional<Job> job(UUID id) {
        return call(() -> jobs.byId(id));
    }

    @Override
    public Optional<Job> findJob(UUID workspaceId, String name) {
        return call(() -> jobs.find(workspaceId, name));
    }

    @Override
    public List<Job> jobs(UUID workspaceId, dev.hangar.core.job.JobFilter filter, int skip, int limit) {
        return call(() -> jobs.page(workspaceId, filter, skip, limit));
    }

    @Override
    public int countJobs(UUID workspaceId, dev.hangar.core.job.JobFilter filter) {
        return call(() -> jobs.count(workspaceId, filter));
    }

    @Override
    public Map<dev.hangar.core.job.JobStatus, Integer> jobsByStatus() {
        return call(jobs::byStatus);
    }

    @Override
    public List<Job> jobsInStatus(Collection<JobStatus> statuses) {
        return call(() -> jobs.inStatus(statuses));
    }

    @Override
    public void appendJobTransition(JobTransition transition) {
        write(() -> jobs.append(transition));
        var job = written.get(transition.jobId());
        if (transition.to() == JobStatus.Running && transition.from() != JobStatus.Running && job != null) {
            startedJobs.add(new JobStart(job, transition.at()));
        }
    }

    /** A job this transaction moved to Running, as it wrote it, and when it began to run. */
    record JobStart(Job job, java.time.Instant at) {
    }

    /** The jobs this transaction moved to Running: reported once it commits. */
    List<JobStart> startedJobs() {
        return startedJobs;
    }

    @Override
    public List<JobTransition> jobHistory(UUID jobId) {
        return call(() -> jobs.history(jobId));
    }

    @Override
    public boolean deleteJob(UUID jobId) {
        return write(() -> jobs.delete(jobId));
    }
}
