package dev.hangar.store;

import dev.hangar.core.compute.AttachedCompute;
import dev.hangar.core.compute.Compute;
import dev.hangar.core.compute.ComputeCluster;
import dev.hangar.core.compute.ComputeInstance;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;

/**
 * A row of the computes table as the compute of whichever kind it is: its {@code compute_type} chooses the kind's
 * mapper ({@link ComputeRows}, {@link ClusterRows}, {@link AttachedRows}), so a caller that knows only a name reads it
 * once.
 */
final class AnyComputeRows {
    private final Handle handle;
    private final RowMapper<Compute> mapper;

    AnyComputeRows(Handle handle, RowMapper<ComputeInstance> instances, RowMapper<ComputeCluster> clusters,
                   RowMapper<AttachedCompute> attached) {
        this.handle = handle;
        this.mapper = (rs, ctx) -> switch (rs.getString("compute_type")) {
            case ComputeRows.INSTANCE -> instances.map(rs, ctx);
            case ClusterRows.TYPE -> clusters.map(rs, ctx);
            default -> attached.map(rs, ctx);
        };
    }

    Optional<Compute> find(UUID workspaceId, String name) {
        return one(handle.createQuery("SELECT * FROM computes WHERE workspace_id = :workspaceId"
                + " AND name_key = :nameKey").bind("workspaceId", workspaceId).bind("nameKey", Columns.key(name)));
    }

    Optional<Compute> byId(UUID id) {
        return one(handle.createQuery("SELECT * FROM computes WHERE id = :id").bind("id", id));
    }

    private Optional<Compute> one(Query query) {
        return query.map(mapper).findOne();
    }
}
