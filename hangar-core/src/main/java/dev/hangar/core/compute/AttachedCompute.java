package dev.hangar.core.compute;

import dev.hangar.core.error.ApiException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An engine a team already runs, attached as a compute (e.g. {@code computeType: Slurm}): Hangar keeps how to reach
 * it, submits the workspace's jobs to it and follows them, and never creates or removes the engine itself. Its row
 * shares the computes table, so that a name is one compute's. Immutable; the store checks {@link #version()} on write.
 *
 * @param kind       the engine's kind, as the API names it ({@code Slurm})
 * @param resourceId the outside resource's id as the caller gave it, or null
 * @param settings   how to reach it (not secret), as its engine reads them
 * @param secrets    its credentials, sealed by the store, never rendered by a GET (listKeys lists them)
 * @param jobUser    whose account a job runs as on the engine
 * @param userMap    the engine account of each Hangar user (by name or object id, case-insensitively), for
 *                   {@link JobUser#Requester}
 * @param engine     what the engine said of itself when it was last reached
 * @param errors     why it could not be reached lately, if so
 */
public record AttachedCompute(
        UUID id,
        UUID workspaceId,
        String name,
        String kind,
        String description,
        Map<String, String> tags,
        String resourceId,
        Map<String, String> settings,
        Map<String, String> secrets,
        JobUser jobUser,
        Map<String, String> userMap,
        EngineSummary engine,
        UserRef createdBy,
        List<ComputeError> errors,
        Instant createdOn,
        Instant modifiedOn,
        long version) implements Compute {

    public AttachedCompute {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(jobUser, "jobUser");
        tags = tags == null ? null : Map.copyOf(tags);
        settings = Map.copyOf(settings);
        secrets = Map.copyOf(secrets);
        userMap = Map.copyOf(userMap);
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** Whose account a job runs as on the engine. */
    public enum JobUser {
        /** The account Hangar reaches the engine as, for every job. */
        Connection,
        /** The account {@link #userMap()} names for the job's requester; a requester it does not name is refused. */
        Requester
    }

    /**
     * What the engine said of itself, shown with the compute.
     *
     * @param cpusPerNode the most CPUs one node has: the most cores a job may ask for
     */
    public record EngineSummary(String version, String cluster, String partition, int nodeCount, int cpusPerNode,
                                String account, boolean switchesUsers) {
    }

    /**
     * The engine account a job of {@code requester} runs as: null for the connection's account; 400
     * {@code EngineUserNotMapped} when jobs run as their requester and {@link #userMap()} names no account for this one.
     */
    public String runAs(UserRef requester) {
        if (jobUser == JobUser.Connection) {
            return null;
        }
        return userMap.entrySet().stream()
                .filter(entry -> entry.getKey().equalsIgnoreCase(requester.name())
                        || requester.objectId() != null
                        && entry.getKey().equalsIgnoreCase(requester.objectId().toString()))
                .map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> ApiException.badRequest("EngineUserNotMapped", "Compute '" + name + "' runs each"
                        + " job as its requester's own " + kind + " account, and names none for " + requester.name()
                        + ". An administrator adds one to its userMap (hangar compute attach ... --map-user "
                        + requester.name() + "=<account>).", "computeId"));
    }

    public AttachedCompute withUpdate(String newDescription, Map<String, String> newTags, Map<String, String> newSettings,
                                      Map<String, String> newSecrets, JobUser newJobUser, Map<String, String> newUserMap,
                                      EngineSummary newEngine, Instant at) {
        return new AttachedCompute(id, workspaceId, name, kind, newDescription, newTags, resourceId, newSettings,
                newSecrets, newJobUser, newUserMap, newEngine, createdBy, List.of(), createdOn, at, version);
    }

    public AttachedCompute withErrors(List<ComputeError> newErrors) {
        return new AttachedCompute(id, workspaceId, name, kind, description, tags, resourceId, settings, secrets,
                jobUser, userMap, engine, createdBy, newErrors, createdOn, modifiedOn, version);
    }

    public AttachedCompute withVersion(long newVersion) {
        return new AttachedCompute(id, workspaceId, name, kind, description, tags, resourceId, settings, secrets,
                jobUser, userMap, engine, createdBy, errors, createdOn, modifiedOn, newVersion);
    }

    @Override
    public String computeType() {
        return kind;
    }
}
