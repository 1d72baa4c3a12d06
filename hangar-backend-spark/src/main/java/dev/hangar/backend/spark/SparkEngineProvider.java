package dev.hangar.backend.spark;

import dev.hangar.core.spi.engine.EngineConnection;
import dev.hangar.core.spi.engine.JobEngine;
import dev.hangar.core.spi.engine.JobEngineProvider;
import java.util.Set;

/**
 * The {@value #KIND} kind: a Spark standalone cluster attached by its master's URL, which runs Azure's v2 Spark jobs
 * (and no command jobs) as drivers submitted to its REST submission server.
 */
public final class SparkEngineProvider implements JobEngineProvider {
    /** The attached compute's {@code computeType}: Hangar's own, as Azure's Spark kinds name no master to reach. */
    public static final String KIND = "Spark";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public JobEngine connect(EngineConnection connection) {
        return new SparkEngine(connection.name(), SparkSettings.of(connection.settings()));
    }

    @Override
    public String resource(EngineConnection connection) {
        return SparkSettings.of(connection.settings()).resource();
    }

    @Override
    public Set<String> jobTypes() {
        return Set.of(SPARK);
    }
}
