package dev.hangar.server;

import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.User;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.files.ShareDisk;
import dev.hangar.core.idle.IdleRules;
import dev.hangar.core.secret.SecretBox;
import dev.hangar.core.size.VmSizeCatalog;
import dev.hangar.core.store.Store;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.store.JdbcStore;
import dev.hangar.store.StoreConfig;
import dev.hangar.testkit.time.TestClock;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * The real embedded store in {@code directory}, holding one workspace and one administrator, with the compute service
 * over it on {@code clock}: where the control loops' tests (schedules, idle shutdown) drive decisions by hand.
 */
record StoreWithAWorkspace(Store store, Workspace workspace, User admin, ComputeService computes) {
    static StoreWithAWorkspace open(Path directory, TestClock clock) {
        var store = JdbcStore.open(StoreConfig.embedded(directory.resolve("db")), SecretBox.generate());
        var workspace = new Workspace(UUID.randomUUID(), "sub", "rg", "ws", "local", null, Map.of(), clock.instant());
        var admin = new User(UUID.randomUUID(), "admin", null, true, clock.instant());
        store.inTransaction(tx -> {
            tx.insertWorkspace(workspace);
            tx.insertUser(admin);
            return null;
        });
        var computes = new ComputeService(store, VmSizeCatalog.defaults(), new AccessPolicy(), clock, "local",
                id -> { }, new ShareDisk(directory.resolve("files"), null), IdleRules.DEFAULT);
        return new StoreWithAWorkspace(store, workspace, admin, computes);
    }
}
