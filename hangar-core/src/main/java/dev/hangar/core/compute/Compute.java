package dev.hangar.core.compute;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A compute of a workspace, of one of its kinds: an instance (one user's machine), a cluster (nodes that scale), or an
 * attached compute (an engine a team already runs). A name is one compute's in its workspace, whatever its kind.
 * Each kind is an immutable record; the store checks {@link #version()} on write.
 *
 * <p>What all kinds share is here; what differs is on each record, reached by one {@code switch} over the kinds.
 */
public sealed interface Compute permits ComputeInstance, ComputeCluster, AttachedCompute {

    UUID id();

    UUID workspaceId();

    String name();

    String description();

    /** The compute's tags; null when none were ever set. */
    Map<String, String> tags();

    UserRef createdBy();

    /** Why it failed lately, if so. */
    List<ComputeError> errors();

    Instant createdOn();

    Instant modifiedOn();

    long version();

    /** Its {@code computeType} as the API names it: {@code ComputeInstance}, {@code AmlCompute}, or the attached kind. */
    String computeType();
}
