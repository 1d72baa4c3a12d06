package dev.hangar.core.spi.engine;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * A job to submit.
 *
 * @param id          Hangar's id of the job: its folder on the engine's side is named by it
 * @param name        Hangar's name of the job, for the engine's listing
 * @param tag         what the submission is found by again ({@link JobEngine#find})
 * @param command     the command line, run by {@code bash -c} (so a job's command behaves as on an instance)
 * @param environment variables the command gets, beside the engine's own
 * @param code        the job's code snapshot (a tar.gz on Hangar's side) to unpack where the command runs, or null
 * @param cores       CPUs for the command on each node
 * @param nodes       nodes the command runs on at once, one process per node, with {@code MASTER_ADDR},
 *                    {@code MASTER_PORT}, {@code WORLD_SIZE}, {@code NODE_RANK}, {@code RANK} and {@code LOCAL_RANK}
 *                    set as on a Hangar cluster
 * @param runAs       the account it runs as, or null for the account Hangar reaches the engine as
 * @param spark       the Spark application the job is, in place of a command (null for a command job); only an
 *                    engine whose provider runs Spark jobs ({@link JobEngineProvider#jobTypes()}) is given one
 * @param image       the container image the command runs in, or null for the engine's own environment; only an
 *                    engine whose machine runs containers (it learned {@value #CONTAINER_ENGINE} other than
 *                    {@code none}) is given one
 */
public record EngineJob(UUID id, String name, String tag, String command, Map<String, String> environment, Path code,
                        int cores, int nodes, String runAs, SparkApplication spark, String image) {
    /**
     * The setting an engine learns ({@link EngineInfo#learned()}) when its jobs may run in a container:
     * {@code docker}, {@code podman} or {@code none}.
     */
    public static final String CONTAINER_ENGINE = "containerEngine";

    public EngineJob {
        environment = Map.copyOf(environment);
    }

    /** A command job in the engine's own environment. */
    public EngineJob(UUID id, String name, String tag, String command, Map<String, String> environment, Path code,
                     int cores, int nodes, String runAs) {
        this(id, name, tag, command, environment, code, cores, nodes, runAs, null, null);
    }
}
