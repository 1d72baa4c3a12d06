package dev.hangar.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.core.job.Job;
import dev.hangar.core.job.JobFilter;
import dev.hangar.core.secret.SecretBox;
import dev.hangar.core.store.Transaction;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Set;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs submitted before their submitter's id had a column of its own (schema version 18) are found by their submitter
 * once the store is opened: the migration reads the id from each job's JSON.
 */
class UpgradeJobCreatorsTest {
    @TempDir
    Path directory;

    @Test
    void jobsOfAnEarlierSchemaAreFoundByTheirSubmitter() throws Exception {
        var config = StoreConfig.embedded(directory);
        Flyway.configure().dataSource(config.jdbcUrl(), config.username(), config.password()).target("18")
                .javaMigrations(new dev.hangar.store.migration.V3__ExistingUsersBecomeContributors(),
                        new dev.hangar.store.migration.V7__VmSizesAndReservedCores(),
                        new dev.hangar.store.migration.V9__ComputeUserIds()).load().migrate();
        var workspace = UUID.randomUUID();
        var ada = UUID.randomUUID();
        try (var connection = DriverManager.getConnection(config.jdbcUrl(), config.username(), config.password());
             var statement = connection.createStatement()) {
            statement.execute("INSERT INTO workspaces (id, subscription_id, resource_group, name, subscription_key,"
                    + " resource_group_key, name_key, location) VALUES ('" + workspace + "', 'S', 'rg', 'ws', 's',"
                    + " 'rg', 'ws', 'Local')");
            var row = "INSERT INTO jobs (id, workspace_id, name, name_key, compute_id, compute_name, command,"
                    + " environment, cores, status, created_by, created_on, version) VALUES ('%s', '" + workspace
                    + "', '%s', '%s', '" + UUID.randomUUID() + "', 'ci', 'echo', '{}', 1, 'Completed', %s,"
                    + " TIMESTAMP WITH TIME ZONE '2025-01-01 00:00:00+00', 1)";
            statement.execute(row.formatted(UUID.randomUUID(), "adas", "adas",
                    "'{\"objectId\":\"" + ada + "\",\"name\":\"ada\"}'"));
            statement.execute(row.formatted(UUID.randomUUID(), "bos", "bos",
                    "'{\"objectId\":\"" + UUID.randomUUID() + "\",\"name\":\"bo\"}'"));
            statement.execute(row.formatted(UUID.randomUUID(), "nobodys", "nobodys", "NULL"));
        }

        try (var store = JdbcStore.open(config, SecretBox.generate())) {
            var adas = new JobFilter(null, Set.of(), ada);
            assertThat(store.read((Transaction tx) -> tx.jobs(workspace, adas, 0, 10))).extracting(Job::name)
                    .containsExactly("adas");
            assertThat(store.read((Transaction tx) -> tx.countJobs(workspace, JobFilter.ALL))).isEqualTo(3);
        }
    }
}
