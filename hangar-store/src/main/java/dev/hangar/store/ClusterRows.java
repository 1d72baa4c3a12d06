package dev.hangar.store;

import dev.hangar.core.cluster.ClusterNode;
import dev.hangar.core.cluster.ClusterState;
import dev.hangar.core.cluster.NodeState;
import dev.hangar.core.cluster.ScaleSettings;
import dev.hangar.core.compute.ComputeCluster;
import dev.hangar.core.compute.ComputeFilter;
import dev.hangar.core.quota.VmPriority;
import dev.hangar.core.store.ConcurrentUpdateException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * Clusters' rows of the computes table (compute_type {@value #TYPE}) and the cluster_nodes table; every write but an
 * insert is conditional on the row's version.
 */
final class ClusterRows {
    static final String TYPE = "AmlCompute";
    private static final String COLUMNS = "id, workspace_id, name, vm_size, vm_priority, min_nodes, max_nodes,"
            + " idle_seconds, state, description, tags, created_by, errors, backend, created_on, modified_on, version";
    private static final String NODE_COLUMNS = "id, cluster_id, name, state, job_id, since, created_on, version";

    static final RowMapper<ComputeCluster> CLUSTER = (rs, ctx) -> new ComputeCluster(
            Columns.uuid(rs, "id"),
            Columns.uuid(rs, "workspace_id"),
            rs.getString("name"),
            rs.getString("vm_size"),
            Columns.enumOf(VmPriority.class, rs, "vm_priority"),
            new ScaleSettings(rs.getInt("min_nodes"), rs.getInt("max_nodes"),
                    Duration.ofSeconds(rs.getLong("idle_seconds"))),
            Columns.enumOf(ClusterState.class, rs, "state"),
            rs.getString("description"),
            Json.read(rs.getString("tags"), Json.STRING_MAP),
            Json.read(rs.getString("created_by"), Json.USER_REF),
            Json.read(rs.getString("errors"), Json.ERRORS),
            rs.getString("backend"),
            Columns.instant(rs, "created_on"),
            Columns.instant(rs, "modified_on"),
            rs.getLong("version"));

    private static final RowMapper<ClusterNode> NODE = (rs, ctx) -> new ClusterNode(
            Columns.uuid(rs, "id"),
            Columns.uuid(rs, "cluster_id"),
            rs.getString("name"),
            Columns.enumOf(NodeState.class, rs, "state"),
            Columns.uuid(rs, "job_id"),
            Columns.instant(rs, "since"),
            Columns.instant(rs, "created_on"),
            rs.getLong("version"));

    private final Handle handle;

    ClusterRows(Handle handle) {
        this.handle = handle;
    }

    /** Inserts at version 1; a taken name surfaces as a unique violation, which the transaction translates. */
    ComputeCluster insert(ComputeCluster cluster) {
        var stored = asStored(cluster).withVersion(1);
        bind(handle.createUpdate("INSERT INTO computes (" + COLUMNS + ", name_key, created_by_id, compute_type,"
                + " ssh_public_access, apps) VALUES (:id, :workspaceId, :name, :vmSize, :vmPriority, :minNodes,"
                + " :maxNodes, :idleSeconds, :state, :description, :tags, :createdBy, :errors, :backend, :createdOn,"
                + " :modifiedOn, :version, :nameKey, :createdById, '" + TYPE + "', FALSE, '[]')"), stored).execute();
        return stored;
    }

    ComputeCluster update(ComputeCluster cluster) {
        var stored = asStored(cluster).withVersion(cluster.version() + 1);
        var updated = bind(handle.createUpdate("""
                UPDATE computes SET min_nodes = :minNodes, max_nodes = :maxNodes, idle_seconds = :idleSeconds,
                    state = :state, description = :description, tags = :tags, errors = :errors,
                    modified_on = :modifiedOn, version = :version
                WHERE id = :id AND version = :expected AND compute_type = '""" + TYPE + "'"), stored)
                .bind("expected", cluster.version())
                .execute();
        if (updated == 0) {
            throw new ConcurrentUpdateException("Cluster " + cluster.name() + " (" + cluster.id()
                    + ") is no longer at version " + cluster.version() + ": it was changed or deleted meanwhile.");
        }
        return stored;
    }

    Optional<ComputeCluster> byId(UUID id) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM computes WHERE id = :id AND compute_type = '" + TYPE
                        + "'")
                .bind("id", id).map(CLUSTER).findOne();
    }

    Optional<ComputeCluster> find(UUID workspaceId, String name) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM computes WHERE workspace_id = :workspaceId"
                        + " AND name_key = :nameKey AND compute_type = '" + TYPE + "'")
                .bind("workspaceId", workspaceId)
                .bind("nameKey", Columns.key(name))
                .map(CLUSTER).findOne();
    }

    List<ComputeCluster> page(UUID workspaceId, ComputeFilter filter, int skip, int limit) {
        return ComputeRows.page(handle, COLUMNS, "compute_type = '" + TYPE + "'", workspaceId, filter,
                dev.hangar.core.compute.ComputeOrder.NAME, skip, limit).map(CLUSTER).list();
    }

    List<ComputeCluster> all() {
        return handle.createQuery("SELECT " + COLUMNS + " FROM computes WHERE compute_type = '" + TYPE + "'"
                + " ORDER BY workspace_id, name_key").map(CLUSTER).list();
    }

    ClusterNode insertNode(ClusterNode node) {
        var stored = asStored(node).withVersion(1);
        bindNode(handle.createUpdate("INSERT INTO cluster_nodes (" + NODE_COLUMNS + ") VALUES (:id, :clusterId,"
                + " :name, :state, :jobId, :since, :createdOn, :version)"), stored).execute();
        return stored;
    }

    ClusterNode updateNode(ClusterNode node) {
        var stored = asStored(node).withVersion(node.version() + 1);
        var updated = bindNode(handle.createUpdate("UPDATE cluster_nodes SET state = :state, job_id = :jobId,"
                + " since = :since, version = :version WHERE id = :id AND version = :expected"), stored)
                .bind("expected", node.version())
                .execute();
        if (updated == 0) {
            throw new ConcurrentUpdateException("Node " + node.name() + " is no longer at version " + node.version());
        }
        return stored;
    }

    void deleteNode(UUID id) {
        handle.createUpdate("DELETE FROM cluster_nodes WHERE id = :id").bind("id", id).execute();
    }

    Optional<ClusterNode> node(UUID id) {
        return handle.createQuery("SELECT " + NODE_COLUMNS + " FROM cluster_nodes WHERE id = :id").bind("id", id)
                .map(NODE).findOne();
    }

    List<ClusterNode> nodes(Collection<UUID> clusterIds) {
        if (clusterIds.isEmpty()) {
            return List.of();
        }
        return handle.createQuery("SELECT " + NODE_COLUMNS + " FROM cluster_nodes WHERE cluster_id IN (<ids>)"
                        + " ORDER BY created_on, name")
                .bindList("ids", List.copyOf(clusterIds)).map(NODE).list();
    }

    List<ClusterNode> allNodes() {
        return handle.createQuery("SELECT " + NODE_COLUMNS + " FROM cluster_nodes ORDER BY created_on, name")
                .map(NODE).list();
    }

    /** The value as a read will return it: instants at the precision the database keeps. */
    private static ComputeCluster asStored(ComputeCluster c) {
        return new ComputeCluster(c.id(), c.workspaceId(), c.name(), c.vmSize(), c.vmPriority(), c.scale(),
                c.state(), c.description(), c.tags(), c.createdBy(), c.errors(), c.backend(),
                Columns.truncate(c.createdOn()), Columns.truncate(c.modifiedOn()), c.version());
    }

    private static ClusterNode asStored(ClusterNode n) {
        return new ClusterNode(n.id(), n.clusterId(), n.name(), n.state(), n.jobId(), Columns.truncate(n.since()),
                Columns.truncate(n.createdOn()), n.version());
    }

    private static <S extends SqlStatement<S>> S bind(S statement, ComputeCluster cluster) {
        return ComputeHeaders.bind(statement, cluster)
                .bind("vmSize", cluster.vmSize())
                .bind("vmPriority", cluster.vmPriority().name())
                .bind("minNodes", cluster.scale().minNodes())
                .bind("maxNodes", cluster.scale().maxNodes())
                .bind("idleSeconds", cluster.scale().idleTimeBeforeScaleDown().toSeconds())
                .bind("state", cluster.state().name())
                .bind("backend", cluster.backend());
    }

    private static <S extends SqlStatement<S>> S bindNode(S statement, ClusterNode node) {
        return statement
                .bind("id", node.id())
                .bind("clusterId", node.clusterId())
                .bind("name", node.name())
                .bind("state", node.state().name())
                .bind("jobId", node.jobId())
                .bind("since", node.since())
                .bind("createdOn", node.createdOn())
                .bind("version", node.version());
    }
}
