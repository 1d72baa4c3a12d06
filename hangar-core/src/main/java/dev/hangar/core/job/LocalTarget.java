package dev.hangar.core.job;

import dev.hangar.core.compute.ComputeName;
import dev.hangar.core.error.ApiException;
import java.util.Locale;
import java.util.UUID;

/**
 * The local computer as a job's target ({@code compute: local}): how a job names it and what is recorded for it. The
 * reports of a local run are {@code job.local.LocalRuns}'.
 */
public final class LocalTarget {
    /** How a job names the local computer: {@code compute: local} (the CLI strips {@code azureml:}). */
    public static final String NAME = ComputeName.RESERVED_LOCAL;
    /** The compute id recorded with a local run, which runs on no compute: no compute has it. */
    public static final UUID NO_COMPUTE = new UUID(0, 0);

    private LocalTarget() {
    }

    /** Whether a job's compute name means the submitter's own machine. */
    public static boolean isLocal(String computeName) {
        return computeName != null && computeName.strip().toLowerCase(Locale.ROOT).replaceFirst("^azureml:", "")
                .equals(NAME);
    }

    /** A local run is refused an environment image: it runs in the submitter's own environment. */
    public static ApiException noImages() {
        return ApiException.badRequest("ImagesUnsupported", "A local run runs in its submitter's own environment,"
                + " not in an environment's image: submit it without environmentId.", "properties.environmentId");
    }
}
