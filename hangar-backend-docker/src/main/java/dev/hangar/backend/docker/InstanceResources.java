package dev.hangar.backend.docker;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The names and labels of what one instance holds in the engine: a container and two named volumes, the home
 * ({@value InstanceContainer#HOME}) and the user's environments ({@value InstanceContainer#ENVS}, where venvs, conda
 * environments and their kernels live so that they survive a stop). Names derive from the compute id alone, so every call finds them again.
 */
final class InstanceResources {
    static final String LABEL_INSTALL = "dev.hangar.install";
    static final String LABEL_COMPUTE = "dev.hangar.compute";
    static final String LABEL_WORKSPACE = "dev.hangar.workspace";
    static final String LABEL_NAME = "dev.hangar.compute-name";
    /** On a job's container of its own image: the instance (or node) it runs for. */
    static final String LABEL_JOB_OF = "dev.hangar.job-of";

    private static final String PREFIX = "hangar-";

    private InstanceResources() {
    }

    static String container(UUID computeId) {
        return PREFIX + computeId;
    }

    static String homeVolume(UUID computeId) {
        return PREFIX + computeId + "-home";
    }

    static String envsVolume(UUID computeId) {
        return PREFIX + computeId + "-envs";
    }

    static Map<String, String> labels(String installId, UUID computeId, String workspace, String name) {
        return Map.of(LABEL_INSTALL, installId, LABEL_COMPUTE, computeId.toString(), LABEL_WORKSPACE, workspace,
                LABEL_NAME, name);
    }

    /** The compute id a labelled resource belongs to, when its labels name one. */
    static Optional<UUID> computeId(Map<String, String> labels) {
        var raw = labels == null ? null : labels.get(LABEL_COMPUTE);
        if (raw == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(raw));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
