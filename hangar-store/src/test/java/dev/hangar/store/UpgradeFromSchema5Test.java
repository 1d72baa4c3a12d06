package dev.hangar.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.core.compute.ComputeFilter;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.quota.CoreReservation;
import dev.hangar.core.quota.VmPriority;
import dev.hangar.core.secret.SecretBox;
import dev.hangar.core.size.VmSizeCatalog;
import dev.hangar.core.store.Transaction;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An install made before quotas (schema version 5) with two instances, upgraded by opening the store: the catalog
 * holds the default sizes, each instance holds its size's cores, so usage starts equal to what exists, and lists
 * filter the instances by their creator and assignee.
 */
class UpgradeFromSchema5Test {
    @TempDir
    Path directory;

    @Test
    void instancesOfAnInstallBeforeQuotasHoldTheirSizesCoresAndAreFoundByTheirUsers() throws Exception {
        var config = StoreConfig.embedded(directory);
        Flyway.configure().dataSource(config.jdbcUrl(), config.username(), config.password()).target("5")
                .javaMigrations(new dev.hangar.store.migration.V3__ExistingUsersBecomeContributors()).load().migrate();
        var workspace = UUID.randomUUID();
        var small = UUID.randomUUID();
        var gpu = UUID.randomUUID();
        var creator = UUID.randomUUID();
        var assignee = UUID.randomUUID();
        try (var connection = DriverManager.getConnection(config.jdbcUrl(), config.username(), config.password());
             var statement = connection.createStatement()) {
            statement.execute("INSERT INTO workspaces (id, subscription_id, resource_group, name, subscription_key,"
                    + " resource_group_key, name_key, location) VALUES ('" + workspace + "', 'S', 'rg', 'ws', 's',"
                    + " 'rg', 'ws', 'Local')");
            statement.execute("INSERT INTO computes (id, workspace_id, name, name_key, vm_size, state,"
                    + " ssh_public_access, errors, apps, version, created_by, assigned_user) VALUES ('" + small + "', '"
                    + workspace + "', 'small', 'small', 'STANDARD_DS1_V2', 'Stopped', FALSE, '[]', '[]', 1,"
                    + " '{\"objectId\":\"" + creator + "\",\"name\":\"ada\"}', NULL), ('" + gpu + "', '"
                    + workspace + "', 'gpu', 'gpu', 'Standard_NC6s_v3', 'Running', FALSE, '[]', '[]', 1,"
                    + " '{\"objectId\":\"" + creator + "\",\"name\":\"ada\"}',"
                    + " '{\"objectId\":\"" + assignee + "\",\"name\":\"bo\"}')");
        }

        try (var store = JdbcStore.open(config, SecretBox.generate())) {
            assertThat(store.read((Transaction tx) -> tx.vmSizes()))
                    .containsExactlyInAnyOrderElementsOf(VmSizeCatalog.DEFAULTS);
            assertThat(store.read((Transaction tx) -> tx.coreReservations("s", "local"))).containsExactlyInAnyOrder(
                    new CoreReservation(small, workspace, "small", "standardDSv2Family", VmPriority.Dedicated, 1),
                    new CoreReservation(gpu, workspace, "gpu", "standardNCSv3Family", VmPriority.Dedicated, 6));
            assertThat(store.read((Transaction tx) -> tx.computes(workspace, new ComputeFilter(creator, null, null),
                    0, 10))).extracting(ComputeInstance::name).containsExactly("gpu", "small");
            assertThat(store.read((Transaction tx) -> tx.computes(workspace, new ComputeFilter(null, null, assignee),
                    0, 10))).extracting(ComputeInstance::name).containsExactly("gpu");
        }
    }
}
