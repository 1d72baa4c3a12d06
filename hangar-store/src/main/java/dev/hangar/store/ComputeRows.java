package dev.hangar.store;

import dev.hangar.core.compute.AppEndpoint;
import dev.hangar.core.compute.ComputeFilter;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.ComputeOrder;
import dev.hangar.core.compute.InstanceState;
import dev.hangar.core.idle.IdleShutdown;
import dev.hangar.core.secret.SecretBox;
import dev.hangar.core.store.ConcurrentUpdateException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The computes table; every write but the insert is conditional on the row's version. */
final class ComputeRows {
    private static final String COLUMNS = "id, workspace_id, name, vm_size, state, description, tags, created_by,"
            + " assigned_user, application_sharing_policy, ssh_public_access, ssh_admin_public_key, setup_scripts,"
            + " custom_services, idle_shutdown, schedules, errors, apps, backend, created_on, modified_on, version";

    /** The value of compute_type that marks an instance's row; clusters share the table ({@link ClusterRows}). */
    static final String INSTANCE = "ComputeInstance";
    private static final String IS_INSTANCE = " compute_type = '" + INSTANCE + "'";

    private static final Logger LOG = LoggerFactory.getLogger(ComputeRows.class);

    final RowMapper<ComputeInstance> mapper = (rs, ctx) -> new ComputeInstance(
            Columns.uuid(rs, "id"),
            Columns.uuid(rs, "workspace_id"),
            rs.getString("name"),
            rs.getString("vm_size"),
            Columns.enumOf(InstanceState.class, rs, "state"),
            rs.getString("description"),
            Json.read(rs.getString("tags"), Json.STRING_MAP),
            Json.read(rs.getString("created_by"), Json.USER_REF),
            Json.read(rs.getString("assigned_user"), Json.USER_REF),
            rs.getString("application_sharing_policy"),
            new ComputeInstance.SshSettings(rs.getBoolean("ssh_public_access"), rs.getString("ssh_admin_public_key")),
            Json.read(rs.getString("setup_scripts"), Json.SETUP_SCRIPTS),
            Json.read(rs.getString("custom_services"), Json.CUSTOM_SERVICES),
            Json.read(rs.getString("idle_shutdown"), Json.IDLE_SHUTDOWN),
            Json.read(rs.getString("schedules"), Json.SCHEDULES),
            Json.read(rs.getString("errors"), Json.ERRORS),
            opened(Json.read(rs.getString("apps"), Json.APPS)),
            rs.getString("backend"),
            Columns.instant(rs, "created_on"),
            Columns.instant(rs, "modified_on"),
            rs.getLong("version"));

    private final Handle handle;
    private final SecretBox secrets;

    ComputeRows(Handle handle, SecretBox secrets) {
        this.handle = handle;
        this.secrets = secrets;
    }

    /**
     * The apps as stored: the values of their headers (Jupyter's token) sealed, so that the database holds no secret
     * that opens an instance.
     */
    private List<AppEndpoint> sealed(List<AppEndpoint> apps) {
        return apps == null ? null : apps.stream().map(app -> withHeaders(app, secrets::seal)).toList();
    }

    /** The apps as read: their headers opened. A header that does not open (another key) is left out, and said. */
    private List<AppEndpoint> opened(List<AppEndpoint> apps) {
        return apps == null ? null : apps.stream().map(app -> withHeaders(app, value -> secrets.open(value)
                .orElseGet(() -> {
                    LOG.warn("A header of {} does not open with this server's secrets key; it is left out until the"
                            + " instance is looked at again", app.name());
                    return null;
                }))).toList();
    }

    private static AppEndpoint withHeaders(AppEndpoint app, java.util.function.UnaryOperator<String> change) {
        if (app.headers() == null || app.headers().isEmpty()) {
            return app;
        }
        var headers = new java.util.LinkedHashMap<String, String>();
        app.headers().forEach((name, value) -> {
            var changed = change.apply(value);
            if (changed != null) {
                headers.put(name, changed);
            }
        });
        return new AppEndpoint(app.name(), app.displayName(), app.target(), java.util.Map.copyOf(headers),
                app.unavailableReason(), app.servedAtRoot());
    }

    /**
     * Seals every app header again with the box's own key (after a key change); one that no key opens is dropped.
     * The version stays: what the headers say is unchanged. Returns how many computes were written.
     */
    int resealApps() {
        var rows = handle.createQuery("SELECT id, apps FROM computes")
                .map((rs, ctx) -> java.util.Map.entry(Columns.uuid(rs, "id"), rs.getString("apps"))).list();
        int written = 0;
        for (var row : rows) {
            var stored = Json.read(row.getValue(), Json.APPS);
            var resealed = Json.write(sealed(opened(stored)));
            if (!resealed.equals(row.getValue())) {
                handle.createUpdate("UPDATE computes SET apps = :apps WHERE id = :id")
                        .bind("apps", resealed).bind("id", row.getKey()).execute();
                written++;
            }
        }
        return written;
    }

    /** Whether every sealed app header opens with the box (its own key or one it replaces). */
    boolean sealedAppsOpen() {
        var rows = handle.createQuery("SELECT apps FROM computes").mapTo(String.class).list();
        for (var apps : rows) {
            var stored = Json.read(apps, Json.APPS);
            if (stored == null) {
                continue;
            }
            for (var app : stored) {
                if (app.headers() != null && app.headers().values().stream()
                        .anyMatch(value -> secrets.open(value).isEmpty())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Inserts at version 1; a taken name surfaces as a unique violation, which the transaction translates. */
    ComputeInstance insert(ComputeInstance compute) {
        var stored = asStored(compute).withVersion(1);
        bindAll(handle.createUpdate("INSERT INTO computes (" + COLUMNS + ", name_key, created_by_id,"
                + " assigned_user_id) VALUES (:id, :workspaceId, :name,"
                + " :vmSize, :state, :description, :tags, :createdBy, :assignedUser, :applicationSharingPolicy,"
                + " :sshPublicAccess, :sshAdminPublicKey, :setupScripts, :customServices, :idleShutdown, :schedules, :errors, :apps, :backend, :createdOn,"
                + " :modifiedOn, :version,"
                + " :nameKey, :createdById, :assignedUserId)"), stored).execute();
        return stored;
    }

    ComputeInstance update(ComputeInstance compute) {
        var stored = asStored(compute).withVersion(compute.version() + 1);
        var updated = bindAll(handle.createUpdate("""
                UPDATE computes SET workspace_id = :workspaceId, name = :name, name_key = :nameKey, vm_size = :vmSize,
                    state = :state, description = :description, tags = :tags, created_by = :createdBy,
                    assigned_user = :assignedUser, created_by_id = :createdById,
                    assigned_user_id = :assignedUserId, application_sharing_policy = :applicationSharingPolicy,
                    ssh_public_access = :sshPublicAccess, ssh_admin_public_key = :sshAdminPublicKey,
                    setup_scripts = :setupScripts, custom_services = :customServices, idle_shutdown = :idleShutdown,
                    schedules = :schedules, errors = :errors,
                    apps = :apps, backend = :backend, created_on = :createdOn, modified_on = :modifiedOn,
                    version = :version
                WHERE id = :id AND version = :expectedVersion
                """), stored)
                .bind("expectedVersion", compute.version())
                .execute();
        if (updated == 0) {
            throw new ConcurrentUpdateException("Compute " + compute.name() + " (" + compute.id()
                    + ") is no longer at version " + compute.version() + ": it was changed or deleted meanwhile.");
        }
        return stored;
    }

    void delete(UUID id) {
        handle.createUpdate("DELETE FROM computes WHERE id = :id").bind("id", id).execute();
    }

    Optional<ComputeInstance> byId(UUID id) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM computes WHERE id = :id AND"
                        + IS_INSTANCE)
                .bind("id", id)
                .map(mapper)
                .findOne();
    }

    Optional<ComputeInstance> find(UUID workspaceId, String name) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM computes WHERE workspace_id = :workspaceId"
                        + " AND name_key = :nameKey AND" + IS_INSTANCE)
                .bind("workspaceId", workspaceId)
                .bind("nameKey", Columns.key(name))
                .map(mapper)
                .findOne();
    }

    List<ComputeInstance> page(UUID workspaceId, ComputeFilter filter, ComputeOrder order, int skip, int limit) {
        return page(handle, COLUMNS, IS_INSTANCE, workspaceId, filter, order, skip, limit).map(mapper).list();
    }

    int count(UUID workspaceId, ComputeFilter filter) {
        return count(handle, IS_INSTANCE, workspaceId, filter);
    }

    /**
     * The query of one page of a workspace's computes of one type, in {@code order}, that the filter lets through (a
     * cluster has no assigned user, so {@code assignedTo} lets none through).
     *
     * @param kinds the condition on compute_type of the rows to page through, e.g. {@code compute_type = 'AmlCompute'}
     */
    static Query page(Handle handle, String columns, String kinds, UUID workspaceId, ComputeFilter filter,
                      ComputeOrder order, int skip, int limit) {
        if (skip < 0 || limit < 0) {
            throw new IllegalArgumentException("skip and limit must not be negative: " + skip + ", " + limit);
        }
        var query = handle.createQuery("SELECT " + columns + " FROM computes" + where(kinds, filter) + " ORDER BY "
                + orderBy(order) + " LIMIT :limit OFFSET :skip");
        return bind(query, workspaceId, filter).bind("limit", limit).bind("skip", skip);
    }

    /** How many of a workspace's computes of one type the filter lets through. */
    static int count(Handle handle, String kinds, UUID workspaceId, ComputeFilter filter) {
        var query = handle.createQuery("SELECT COUNT(*) FROM computes" + where(kinds, filter));
        return bind(query, workspaceId, filter).mapTo(Integer.class).one();
    }

    private static String where(String kinds, ComputeFilter filter) {
        var where = new StringBuilder(" WHERE workspace_id = :workspaceId AND " + kinds);
        if (filter.createdBy() != null) {
            where.append(" AND created_by_id = :createdBy");
        }
        if (filter.assignedTo() != null) {
            where.append(" AND assigned_user_id = :assignedTo");
        }
        if (filter.user() != null) {
            where.append(" AND (created_by_id = :user OR assigned_user_id = :user)");
        }
        if (filter.nameContains() != null) {
            where.append(" AND name_key LIKE :nameLike ESCAPE '!'");
        }
        return where.toString();
    }

    private static String orderBy(ComputeOrder order) {
        return switch (order) {
            case NAME -> "name_key";
            case NAME_DESCENDING -> "name_key DESC";
            case NEWEST -> "created_on DESC, name_key";
            case OLDEST -> "created_on, name_key";
            case STATE -> "state, name_key";
        };
    }

    private static Query bind(Query query, UUID workspaceId, ComputeFilter filter) {
        if (filter.createdBy() != null) {
            query.bind("createdBy", filter.createdBy());
        }
        if (filter.assignedTo() != null) {
            query.bind("assignedTo", filter.assignedTo());
        }
        if (filter.user() != null) {
            query.bind("user", filter.user());
        }
        if (filter.nameContains() != null) {
            // Names are matched as typed: LIKE's own wildcards in them are escaped.
            query.bind("nameLike", "%" + filter.nameContains().replace("!", "!!").replace("%", "!%")
                    .replace("_", "!_") + "%");
        }
        return query.bind("workspaceId", workspaceId);
    }

    List<ComputeInstance> inStates(Collection<InstanceState> states) {
        if (states.isEmpty()) {
            return List.of();
        }
        return handle.createQuery("SELECT " + COLUMNS + " FROM computes WHERE state IN (<states>) AND"
                        + IS_INSTANCE
                        + " ORDER BY workspace_id, name_key")
                .bindList("states", states.stream().map(Enum::name).toList())
                .map(mapper)
                .list();
    }

    List<ComputeInstance> all() {
        return handle.createQuery("SELECT " + COLUMNS + " FROM computes WHERE" + IS_INSTANCE
                        + " ORDER BY workspace_id, name_key")
                .map(mapper)
                .list();
    }

    /** The value as a read will return it: instants at the precision the database keeps. */
    private static ComputeInstance asStored(ComputeInstance c) {
        return new ComputeInstance(c.id(), c.workspaceId(), c.name(), c.vmSize(), c.state(), c.description(), c.tags(),
                c.createdBy(), c.assignedUser(), c.applicationSharingPolicy(), c.ssh(), c.setupScripts(), c.customServices(), c.idleShutdown(), c.schedules(), c.errors(), c.apps(),
                c.backend(), Columns.truncate(c.createdOn()), Columns.truncate(c.modifiedOn()), c.version());
    }

    private <S extends SqlStatement<S>> S bindAll(S statement, ComputeInstance compute) {
        return ComputeHeaders.bind(statement, compute)
                .bind("vmSize", compute.vmSize())
                .bind("state", compute.state())
                .bind("assignedUser", Json.write(compute.assignedUser()))
                .bind("assignedUserId", compute.assignedUser() == null ? null : compute.assignedUser().objectId())
                .bind("applicationSharingPolicy", compute.applicationSharingPolicy())
                .bind("sshPublicAccess", compute.ssh().publicAccess())
                .bind("sshAdminPublicKey", compute.ssh().adminPublicKey())
                .bind("setupScripts", compute.setupScripts().isEmpty() ? null : Json.write(compute.setupScripts()))
                .bind("customServices", compute.customServices().isEmpty() ? null
                        : Json.write(compute.customServices()))
                .bind("idleShutdown", compute.idleShutdown().equals(IdleShutdown.NEVER) ? null
                        : Json.write(compute.idleShutdown()))
                .bind("schedules", compute.schedules().isEmpty() ? null : Json.write(compute.schedules()))
                .bind("apps", Json.write(sealed(compute.apps())))
                .bind("backend", compute.backend());
    }
}
