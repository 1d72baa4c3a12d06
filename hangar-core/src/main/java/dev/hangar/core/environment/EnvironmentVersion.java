package dev.hangar.core.environment;

import dev.hangar.core.compute.UserRef;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A version of an environment: the container image jobs that name it run in (Azure's
 * {@code environments/<name>/versions/<version>}). Versions never change once recorded.
 *
 * @param anonymous made for a job's inline image, as {@code az ml job create} makes them
 */
public record EnvironmentVersion(UUID workspaceId, String name, String version, String image, String description,
                                 Map<String, String> tags, boolean anonymous, UserRef createdBy, Instant createdOn) {
    public EnvironmentVersion {
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(image, "image");
        tags = tags == null ? null : Map.copyOf(tags);
    }

    /** Whether {@code other} asks for what this version is: the same image (its text, tags and description aside). */
    public boolean sameAs(EnvironmentVersion other) {
        return image.equals(other.image);
    }
}
