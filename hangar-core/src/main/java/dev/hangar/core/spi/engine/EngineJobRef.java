package dev.hangar.core.spi.engine;

/**
 * A submitted job as the engine knows it: Hangar records it with the job, so that it is followed after a restart.
 *
 * @param engineId the engine's id, e.g. Slurm's job id
 * @param folder   the job's folder on the engine's side
 * @param runAs    the account it runs as, or null for the connection's
 */
public record EngineJobRef(String engineId, String folder, String runAs) {
}
