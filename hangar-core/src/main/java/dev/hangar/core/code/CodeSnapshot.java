package dev.hangar.core.code;

import dev.hangar.core.compute.UserRef;
import java.time.Instant;
import java.util.UUID;

/**
 * A folder of code uploaded to a workspace for jobs to run, named by the digest of its files (Azure's code version
 * {@code codes/<digest>/versions/1}). The same files uploaded again are the same snapshot.
 */
public record CodeSnapshot(UUID workspaceId, String digest, int files, long bytes, UserRef createdBy,
                           Instant createdOn) {
}
