package dev.hangar.store;

import dev.hangar.core.job.Job;
import dev.hangar.core.job.JobFilter;
import dev.hangar.core.job.JobStatus;
import dev.hangar.core.job.JobTransition;
import dev.hangar.core.job.TargetKind;
import dev.hangar.core.store.ConcurrentUpdateException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;

/** The jobs and job_history tables; every write but the insert is conditional on the job's version. */
final class JobRows {
    private static final String COLUMNS = "id, workspace_id, name, display_name, compute_id, compute_name,"
            + " target_kind, command, environment, cores, instance_count, code_digest, environment_name,"
            + " environment_version, image, priority, status, exit_code, error, created_by, created_on, started_on,"
            + " ended_on, version, spark";

    private static final RowMapper<Job> JOB = (rs, ctx) -> new Job(
            Columns.uuid(rs, "id"),
            Columns.uuid(rs, "workspace_id"),
            rs.getString("name"),
            rs.getString("display_name"),
            Columns.uuid(rs, "compute_id"),
            rs.getString("compute_name"),
            Columns.enumOf(TargetKind.class, rs, "target_kind"),
            rs.getString("command"),
            Json.read(rs.getString("environment"), Json.STRING_MAP),
            rs.getInt("cores"),
            rs.getInt("instance_count"),
            rs.getString("code_digest"),
            rs.getString("environment_name") == null ? null : new Job.Image(rs.getString("environment_name"),
                    rs.getString("environment_version"), rs.getString("image")),
            rs.getInt("priority"),
            Columns.enumOf(JobStatus.class, rs, "status"),
            rs.getObject("exit_code") == null ? null : rs.getInt("exit_code"),
            Json.read(rs.getString("error"), Json.ERROR),
            Json.read(rs.getString("created_by"), Json.USER_REF),
            Columns.instant(rs, "created_on"),
            Columns.instant(rs, "started_on"),
            Columns.instant(rs, "ended_on"),
            rs.getLong("version"),
            Json.read(rs.getString("spark"), Json.SPARK));

    private static final RowMapper<JobTransition> TRANSITION = (rs, ctx) -> new JobTransition(
            Columns.uuid(rs, "job_id"),
            Columns.instant(rs, "at"),
            Columns.enumOf(JobStatus.class, rs, "from_status"),
            Columns.enumOf(JobStatus.class, rs, "to_status"),
            rs.getString("reason"));

    private final Handle handle;

    JobRows(Handle handle) {
        this.handle = handle;
    }

    Job insert(Job job) {
        var stored = job.withVersion(1);
        bind(handle.createUpdate("INSERT INTO jobs (" + COLUMNS + ", name_key, created_by_id) VALUES (:id,"
                + " :workspaceId, :name, :displayName, :computeId, :computeName, :targetKind, :command, :environment,"
                + " :cores, :instanceCount, :codeDigest, :environmentName, :environmentVersion, :image, :priority, :status,"
                + " :exitCode, :error, :createdBy, :createdOn, :startedOn, :endedOn, :version, :spark, :nameKey,"
                + " :createdById)"), stored)
                .bind("createdById", job.createdBy() == null ? null : job.createdBy().objectId())
                .execute();
        return stored;
    }

    Job update(Job job) {
        var stored = job.withVersion(job.version() + 1);
        var updated = bind(handle.createUpdate("UPDATE jobs SET display_name = :displayName, status = :status,"
                + " exit_code = :exitCode, error = :error, started_on = :startedOn, ended_on = :endedOn,"
                + " version = :version WHERE id = :id AND version = :expected"), stored)
                .bind("expected", job.version())
                .execute();
        if (updated == 0) {
            throw new ConcurrentUpdateException("Job " + job.name() + " is no longer at version " + job.version());
        }
        return stored;
    }

    Optional<Job> byId(UUID id) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE id = :id").bind("id", id).map(JOB)
                .findOne();
    }

    Optional<Job> find(UUID workspaceId, String name) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE workspace_id = :workspaceId"
                        + " AND name_key = :nameKey")
                .bind("workspaceId", workspaceId).bind("nameKey", Columns.key(name)).map(JOB).findOne();
    }

    List<Job> page(UUID workspaceId, JobFilter filter, int skip, int limit) {
        return filtered("SELECT " + COLUMNS + " FROM jobs", workspaceId, filter,
                " ORDER BY seq DESC LIMIT :limit OFFSET :skip").bind("limit", limit).bind("skip", skip)
                .map(JOB).list();
    }

    int count(UUID workspaceId, JobFilter filter) {
        return filtered("SELECT COUNT(*) FROM jobs", workspaceId, filter, "").mapTo(Integer.class).one();
    }

    java.util.Map<dev.hangar.core.job.JobStatus, Integer> byStatus() {
        var counts = new java.util.EnumMap<dev.hangar.core.job.JobStatus, Integer>(dev.hangar.core.job.JobStatus.class);
        handle.createQuery("SELECT status, COUNT(*) AS n FROM jobs GROUP BY status")
                .map((rs, ctx) -> java.util.Map.entry(Columns.enumOf(dev.hangar.core.job.JobStatus.class, rs, "status"),
                        rs.getInt("n")))
                .forEach(entry -> counts.put(entry.getKey(), entry.getValue()));
        return counts;
    }

    private Query filtered(String select, UUID workspaceId, JobFilter filter, String rest) {
        var sql = new StringBuilder(select).append(" WHERE workspace_id = :workspaceId");
        if (filter.computeName() != null) {
            sql.append(" AND LOWER(compute_name) = :computeName");
        }
        if (!filter.statuses().isEmpty()) {
            sql.append(" AND status IN (<statuses>)");
        }
        if (filter.createdBy() != null) {
            sql.append(" AND created_by_id = :createdBy");
        }
        var query = handle.createQuery(sql + rest).bind("workspaceId", workspaceId);
        if (filter.computeName() != null) {
            query.bind("computeName", filter.computeName().toLowerCase(java.util.Locale.ROOT));
        }
        if (!filter.statuses().isEmpty()) {
            query.bindList("statuses", filter.statuses().stream().map(Enum::name).toList());
        }
        if (filter.createdBy() != null) {
            query.bind("createdBy", filter.createdBy());
        }
        return query;
    }

    List<Job> inStatus(Collection<JobStatus> statuses) {
        if (statuses.isEmpty()) {
            return List.of();
        }
        return handle.createQuery("SELECT " + COLUMNS + " FROM jobs WHERE status IN (<statuses>) ORDER BY seq")
                .bindList("statuses", statuses.stream().map(Enum::name).toList()).map(JOB).list();
    }

    void append(JobTransition transition) {
        handle.createUpdate("INSERT INTO job_history (job_id, at, from_status, to_status, reason) VALUES (:jobId,"
                        + " :at, :from, :to, :reason)")
                .bind("jobId", transition.jobId())
                .bind("at", transition.at())
                .bind("from", transition.from() == null ? null : transition.from().name())
                .bind("to", transition.to().name())
                .bind("reason", transition.reason())
                .execute();
    }

    List<JobTransition> history(UUID jobId) {
        return handle.createQuery("SELECT job_id, at, from_status, to_status, reason FROM job_history"
                + " WHERE job_id = :jobId ORDER BY seq").bind("jobId", jobId).map(TRANSITION).list();
    }

    boolean delete(UUID jobId) {
        handle.createUpdate("DELETE FROM job_history WHERE job_id = :jobId").bind("jobId", jobId).execute();
        handle.createUpdate("DELETE FROM engine_jobs WHERE job_id = :jobId").bind("jobId", jobId).execute();
        return handle.createUpdate("DELETE FROM jobs WHERE id = :jobId").bind("jobId", jobId).execute() > 0;
    }

    private static <S extends SqlStatement<S>> S bind(S statement, Job job) {
        return statement
                .bind("id", job.id())
                .bind("workspaceId", job.workspaceId())
                .bind("name", job.name())
                .bind("nameKey", Columns.key(job.name()))
                .bind("displayName", job.displayName())
                .bind("computeId", job.computeId())
                .bind("computeName", job.computeName())
                .bind("targetKind", job.target().name())
                .bind("command", job.command())
                .bind("environment", Json.write(job.environment()))
                .bind("cores", job.cores())
                .bind("instanceCount", job.instanceCount())
                .bind("codeDigest", job.codeDigest())
                .bind("environmentName", job.image() == null ? null : job.image().environment())
                .bind("environmentVersion", job.image() == null ? null : job.image().version())
                .bind("image", job.image() == null ? null : job.image().reference())
                .bind("priority", job.priority())
                .bind("status", job.status().name())
                .bind("exitCode", job.exitCode())
                .bind("error", Json.write(job.error()))
                .bind("createdBy", Json.write(job.createdBy()))
                .bind("spark", Json.write(job.spark()))
                .bind("createdOn", job.createdOn())
                .bind("startedOn", job.startedOn())
                .bind("endedOn", job.endedOn())
                .bind("version", job.version());
    }
}
