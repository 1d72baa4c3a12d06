package dev.hangar.core.spi.engine;

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
}
