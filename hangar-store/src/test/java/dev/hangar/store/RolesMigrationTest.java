package dev.hangar.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.core.access.RoleDefinition;
import dev.hangar.core.store.Transaction;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An install made before roles (schema version 1), with users, workspaces and an instance, upgraded by opening the
 * store: each non-admin user becomes a Contributor of each workspace, the admin gets nothing, and the instance's
 * apps stay personal.
 */
class RolesMigrationTest {
    @TempDir
    Path directory;

    @Test
    void usersOfAnInstallBeforeRolesBecomeContributorsOfEveryWorkspace() throws Exception {
        var config = StoreConfig.embedded(directory);
        Flyway.configure().dataSource(config.jdbcUrl(), config.username(), config.password()).target("1").load()
                .migrate();
        var alice = UUID.randomUUID();
        var admin = UUID.randomUUID();
        var first = UUID.randomUUID();
        var second = UUID.randomUUID();
        try (var connection = DriverManager.getConnection(config.jdbcUrl(), config.username(), config.password());
             var statement = connection.createStatement()) {
            statement.execute("INSERT INTO users (id, name, name_key, admin) VALUES ('" + alice
                    + "', 'alice', 'alice', FALSE), ('" + admin + "', 'admin', 'admin', TRUE)");
            for (var workspace : new UUID[] {first, second}) {
                statement.execute("INSERT INTO workspaces (id, subscription_id, resource_group, name,"
                        + " subscription_key, resource_group_key, name_key) VALUES ('" + workspace + "', 's', 'rg', '"
                        + workspace + "', 's', 'rg', '" + workspace + "')");
            }
            statement.execute("INSERT INTO computes (id, workspace_id, name, name_key, state, ssh_public_access,"
                    + " errors, apps, application_sharing_policy, version) VALUES ('" + UUID.randomUUID() + "', '"
                    + first + "', 'ci', 'ci', 'Running', FALSE, '[]', '[]', 'Shared', 1)");
        }

        try (var store = JdbcStore.open(config, dev.hangar.core.secret.SecretBox.generate())) {
            for (var workspace : new UUID[] {first, second}) {
                assertThat(store.read((Transaction tx) -> tx.roleAssignments(workspace, alice)))
                        .extracting(assignment -> assignment.roleDefinitionId())
                        .containsExactly(RoleDefinition.CONTRIBUTOR_ID);
                assertThat(store.read((Transaction tx) -> tx.roleAssignments(workspace, admin))).isEmpty();
            }
            assertThat(store.read((Transaction tx) -> tx.findCompute(first, "ci")).orElseThrow()
                    .applicationSharingPolicy()).isEqualTo("Personal");
        }
    }
}
