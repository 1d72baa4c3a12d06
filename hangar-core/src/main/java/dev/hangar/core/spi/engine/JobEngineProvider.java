package dev.hangar.core.spi.engine;

import java.util.Set;

/**
 * Discovers an engine by its kind (the attached compute's {@code computeType}, e.g. {@code Slurm}) through
 * {@link java.util.ServiceLoader}.
 */
public interface JobEngineProvider {

    /** The kind, as the API names it, e.g. {@code Slurm}. */
    String kind();

    /**
     * Checks the attachment's settings and makes an engine for it, without reaching the engine yet. Throws
     * {@link EngineException} (not retryable) naming the setting that is wrong.
     */
    JobEngine connect(EngineConnection connection);

    /**
     * The outside resource an attachment with these settings reaches (a login node's host and port, an API's URL,
     * Hangar's own host), as a key: two attachments with equal keys reach the same resource, and Hangar refuses to
     * attach one twice, in any workspace. Normalized (case, default ports, trailing slashes) and readable, as it is
     * shown in that refusal. Known from the settings alone, without reaching anything; throws {@link EngineException}
     * (not retryable) as {@link #connect} does when the settings are wrong.
     */
    String resource(EngineConnection connection);

    /** Azure's {@code jobType}s a compute of this kind runs: {@value #COMMAND} jobs unless it says otherwise. */
    default Set<String> jobTypes() {
        return Set.of(COMMAND);
    }

    /** Azure's {@code jobType} of a command job. */
    String COMMAND = "Command";
    /** Azure's {@code jobType} of a Spark job. */
    String SPARK = "Spark";
}
