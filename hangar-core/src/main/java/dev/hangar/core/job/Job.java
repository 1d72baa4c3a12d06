package dev.hangar.core.job;

import dev.hangar.core.compute.ComputeError;
import dev.hangar.core.compute.UserRef;
import dev.hangar.core.spi.engine.SparkApplication;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A job: a command line run on a compute target with environment variables, in a copy of a code snapshot when it names
 * one, queued until the target has room for its cores; or a Spark application (Azure's Spark job), run by an attached
 * Spark cluster in place of a command. {@code version} guards every change, as a compute's does.
 *
 * @param target     the kind of compute it was submitted to, which says which runner runs it
 * @param codeDigest the code snapshot it runs in, else null
 * @param priority   its place in its compute's queue: higher runs first, the same in the order submitted
 * @param exitCode   the command's exit status once it ended, else null
 * @param error      why it failed or was canceled, else null
 * @param spark      the Spark application a Spark job runs (its {@code command} is then null), else null
 */
public record Job(UUID id, UUID workspaceId, String name, String displayName, UUID computeId, String computeName,
                  TargetKind target, String command, Map<String, String> environment, int cores, int instanceCount,
                  String codeDigest, Image image, int priority, JobStatus status, Integer exitCode, ComputeError error,
                  UserRef createdBy, Instant createdOn, Instant startedOn, Instant endedOn, long version,
                  SparkApplication spark) {
    /** The priorities Azure's clients send as low, medium and high. */
    public static final int LOW = 1;
    public static final int MEDIUM = 2;
    public static final int HIGH = 3;

    public Job {
        environment = environment == null ? Map.of() : Map.copyOf(environment);
    }

    /** A command job. */
    public Job(UUID id, UUID workspaceId, String name, String displayName, UUID computeId, String computeName,
               TargetKind target, String command, Map<String, String> environment, int cores, int instanceCount,
               String codeDigest, Image image, int priority, JobStatus status, Integer exitCode, ComputeError error,
               UserRef createdBy, Instant createdOn, Instant startedOn, Instant endedOn, long version) {
        this(id, workspaceId, name, displayName, computeId, computeName, target, command, environment, cores,
                instanceCount, codeDigest, image, priority, status, exitCode, error, createdBy, createdOn, startedOn,
                endedOn, version, null);
    }

    /** Azure's {@code jobType}: {@code Spark} for a Spark application, else {@code Command}. */
    public String jobType() {
        return spark == null ? "Command" : "Spark";
    }

    /** This job moved to {@code to} (as the table allows), with its start or end time when that is the move. */
    public Job moveTo(JobStatus to, Instant at) {
        var next = status.moveTo(to);
        return new Job(id, workspaceId, name, displayName, computeId, computeName, target, command, environment,
                cores, instanceCount, codeDigest, image, priority, next, exitCode, error, createdBy, createdOn,
                next == JobStatus.Running ? at : startedOn, next.isTerminal() ? at : endedOn, version, spark);
    }

    /** This job, ended as {@code to} with an exit code and an error (either may be null). */
    public Job end(JobStatus to, Instant at, Integer exitCode, ComputeError error) {
        var moved = moveTo(to, at);
        return new Job(id, workspaceId, name, displayName, computeId, computeName, target, command, environment,
                cores, instanceCount, codeDigest, image, priority, moved.status, exitCode, error, createdBy, createdOn,
                startedOn, at, version, spark);
    }

    /** This job back in the queue (its node was preempted): not started, to run again from the start. */
    public Job requeue() {
        var moved = status.moveTo(JobStatus.Queued);
        return new Job(id, workspaceId, name, displayName, computeId, computeName, target, command, environment,
                cores, instanceCount, codeDigest, image, priority, moved, null, null, createdBy, createdOn, null, null,
                version, spark);
    }

    public Job withVersion(long next) {
        return new Job(id, workspaceId, name, displayName, computeId, computeName, target, command, environment,
                cores, instanceCount, codeDigest, image, priority, status, exitCode, error, createdBy, createdOn,
                startedOn, endedOn, next, spark);
    }

    /**
     * The environment version a job names, and the container image it runs in; a job without one runs in its
     * compute's own environment.
     *
     * @param reference the image, as the environment version named it when the job was submitted; null when the
     *                  version means the compute's own environment (a curated one, or the instance image on a backend
     *                  that runs no images)
     */
    public record Image(String environment, String version, String reference) {
        /** A version that means the compute's own environment. */
        public static Image own(String environment, String version) {
            return new Image(environment, version, null);
        }

        /** Whether the job runs in a container of its own image rather than in the compute's own environment. */
        public boolean inContainer() {
            return reference != null;
        }
    }
}
