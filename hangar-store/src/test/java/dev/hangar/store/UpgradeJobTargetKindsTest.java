package dev.hangar.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.core.job.Job;
import dev.hangar.core.job.TargetKind;
import dev.hangar.core.secret.SecretBox;
import dev.hangar.core.store.Transaction;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs submitted before a job kept the kind of compute it was submitted to (schema version 22) take their compute's
 * kind once the store is opened, so that a restarted Hangar hands each to the runner that runs it.
 */
class UpgradeJobTargetKindsTest {
    @TempDir
    Path directory;

    @Test
    void jobsOfAnEarlierSchemaTakeTheKindOfTheirCompute() throws Exception {
        var config = StoreConfig.embedded(directory);
        Flyway.configure().dataSource(config.jdbcUrl(), config.username(), config.password()).target("22")
                .javaMigrations(new dev.hangar.store.migration.V3__ExistingUsersBecomeContributors(),
                        new dev.hangar.store.migration.V7__VmSizesAndReservedCores(),
                        new dev.hangar.store.migration.V9__ComputeUserIds(),
                        new dev.hangar.store.migration.V20__JobCreatorIds()).load().migrate();
        var workspace = UUID.randomUUID();
        var instance = UUID.randomUUID();
        var cluster = UUID.randomUUID();
        var slurm = UUID.randomUUID();
        var onInstance = UUID.randomUUID();
        var onCluster = UUID.randomUUID();
        var onSlurm = UUID.randomUUID();
        var onNothing = UUID.randomUUID();
        try (var connection = DriverManager.getConnection(config.jdbcUrl(), config.username(), config.password());
             var statement = connection.createStatement()) {
            statement.execute("INSERT INTO workspaces (id, subscription_id, resource_group, name, subscription_key,"
                    + " resource_group_key, name_key, location) VALUES ('" + workspace + "', 'S', 'rg', 'ws', 's',"
                    + " 'rg', 'ws', 'Local')");
            var compute = "INSERT INTO computes (id, workspace_id, name, name_key, state, ssh_public_access, errors,"
                    + " apps, version, compute_type) VALUES ('%s', '" + workspace + "', '%s', '%s', 'Running', FALSE,"
                    + " '[]', '[]', 1, '%s')";
            statement.execute(compute.formatted(instance, "ci", "ci", "ComputeInstance"));
            statement.execute(compute.formatted(cluster, "gpu", "gpu", "AmlCompute"));
            statement.execute(compute.formatted(slurm, "hpc", "hpc", "Slurm"));
            var job = "INSERT INTO jobs (id, workspace_id, name, name_key, compute_id, compute_name, command,"
                    + " environment, cores, status, created_on, version) VALUES ('%s', '" + workspace
                    + "', '%s', '%s', '%s', 'c', 'echo', '{}', 1, 'Queued',"
                    + " TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00+00', 1)";
            statement.execute(job.formatted(onInstance, "a", "a", instance));
            statement.execute(job.formatted(onCluster, "b", "b", cluster));
            statement.execute(job.formatted(onSlurm, "c", "c", slurm));
            statement.execute(job.formatted(onNothing, "d", "d", UUID.randomUUID()));
        }

        try (var store = JdbcStore.open(config, SecretBox.generate())) {
            assertThat(store.read((Transaction tx) -> tx.job(onInstance))).map(Job::target)
                    .contains(TargetKind.Instance);
            assertThat(store.read((Transaction tx) -> tx.job(onCluster))).map(Job::target)
                    .contains(TargetKind.Cluster);
            assertThat(store.read((Transaction tx) -> tx.job(onSlurm))).map(Job::target)
                    .contains(TargetKind.Attached);
            assertThat(store.read((Transaction tx) -> tx.job(onNothing))).map(Job::target)
                    .as("its compute is gone").contains(TargetKind.Instance);
        }
    }
}
