package dev.hangar.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.hangar.core.access.AccessPolicy;
import dev.hangar.core.access.ActionPattern;
import dev.hangar.core.access.ApiToken;
import dev.hangar.core.access.RoleAssignment;
import dev.hangar.core.access.RoleDefinition;
import dev.hangar.core.access.User;
import dev.hangar.core.audit.AuditEvent;
import dev.hangar.core.audit.AuditFilter;
import dev.hangar.core.audit.CallAudit;
import dev.hangar.core.audit.CallAuditingStore;
import dev.hangar.core.cluster.ClusterNode;
import dev.hangar.core.cluster.ClusterState;
import dev.hangar.core.cluster.NodeState;
import dev.hangar.core.cluster.ScaleSettings;
import dev.hangar.core.code.CodeSnapshot;
import dev.hangar.core.compute.AppEndpoint;
import dev.hangar.core.compute.AttachedCompute;
import dev.hangar.core.compute.ComputeCluster;
import dev.hangar.core.compute.ComputeError;
import dev.hangar.core.compute.ComputeFilter;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.ComputeInstance.SshSettings;
import dev.hangar.core.compute.ComputeOrder;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.compute.InstanceRequest;
import dev.hangar.core.compute.InstanceState;
import dev.hangar.core.compute.Mutation;
import dev.hangar.core.compute.StateTransition;
import dev.hangar.core.compute.UserRef;
import dev.hangar.core.custom.CustomService;
import dev.hangar.core.environment.EnvironmentVersion;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.files.ShareDisk;
import dev.hangar.core.idle.IdleRules;
import dev.hangar.core.idle.IdleShutdown;
import dev.hangar.core.job.Job;
import dev.hangar.core.job.JobFilter;
import dev.hangar.core.job.JobStatus;
import dev.hangar.core.job.JobTransition;
import dev.hangar.core.job.TargetKind;
import dev.hangar.core.operation.Operation;
import dev.hangar.core.operation.OperationKind;
import dev.hangar.core.operation.OperationStatus;
import dev.hangar.core.operation.OperationWaits;
import dev.hangar.core.operation.Trigger;
import dev.hangar.core.quota.CoreLedger;
import dev.hangar.core.quota.CoreReservation;
import dev.hangar.core.quota.QuotaAdmission;
import dev.hangar.core.quota.QuotaLimit;
import dev.hangar.core.quota.VmPriority;
import dev.hangar.core.schedule.ComputeSchedule;
import dev.hangar.core.secret.SecretBox;
import dev.hangar.core.setup.SetupScript;
import dev.hangar.core.setup.SetupScripts;
import dev.hangar.core.size.VmSize;
import dev.hangar.core.size.VmSizeCatalog;
import dev.hangar.core.spi.engine.EngineJobRef;
import dev.hangar.core.store.Commits;
import dev.hangar.core.store.ConcurrentUpdateException;
import dev.hangar.core.store.Store;
import dev.hangar.core.store.Transaction;
import dev.hangar.core.workspace.Workspace;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} must do, run against each database the store supports. Each test gets a fresh, empty
 * database.
 */
abstract class StoreContractTest {
    /** Nanoseconds on purpose: the store keeps microseconds. */
    static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123456789Z");
    static final UserRef ALICE = new UserRef(UUID.randomUUID(), "tenant-1", "alice");
    static final UserRef BOB = new UserRef(UUID.randomUUID(), null, "bob");

    /** One key for every store of a test run, as a server keeps one in its data directory. */
    static final SecretBox SECRETS = SecretBox.generate();

    private StoreConfig config;
    Store store;

    /** A new, empty database, used by one test only. */
    protected abstract StoreConfig freshDatabase();

    @BeforeEach
    void openStore() {
        config = freshDatabase();
        store = JdbcStore.open(config, SECRETS);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    // Fixtures

    static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    static Workspace workspace(String subscription, String resourceGroup, String name) {
        return new Workspace(UUID.randomUUID(), subscription, resourceGroup, name, "westeurope", "Team workspace",
                Map.of("team", "ml", "cost-center", "42"), T0);
    }

    Workspace givenWorkspace() {
        var workspace = workspace("sub-1", "rg-1", "ws-1");
        store.inTransaction(tx -> {
            tx.insertWorkspace(workspace);
            return null;
        });
        return workspace;
    }

    static ComputeInstance instance(UUID workspaceId, String name) {
        return new ComputeInstance(UUID.randomUUID(), workspaceId, name, "Standard_DS3_v2", InstanceState.Creating,
                "a box", Map.of("k", "v"), ALICE, null, "Personal", SshSettings.DISABLED, null, null, null, null, List.of(), List.of(), "local",
                T0, T0, 0);
    }

    /** An instance with every field set, the JSON ones with nested nulls. */
    static ComputeInstance fullInstance(UUID workspaceId, String name) {
        var apps = List.of(
                AppEndpoint.available("jupyter", "Jupyter", URI.create("http://127.0.0.1:8888/"),
                        Map.of("Authorization", "token s3cret")),
                AppEndpoint.unavailable("rstudio", "RStudio", "RStudio is not installed in this image."),
                AppEndpoint.atRoot("rstudio.connect", "rstudio/connect", URI.create("http://127.0.0.1:41234")));
        var errors = List.of(new ComputeError("SetupFailed", "The setup script exited with 1.", "setupScripts"),
                ComputeError.of("ImagePullFailed", "No such image."));
        return new ComputeInstance(UUID.randomUUID(), workspaceId, name, "Standard_NC6", InstanceState.Running,
                "with GPU", Map.of("project", "vision", "empty", ""), ALICE, BOB, "Shared",
                new SshSettings(true, "ssh-ed25519 AAAAC3Nza alice@laptop"),
                new SetupScripts(new SetupScript(SetupScript.Source.workspaceStorage, "Users/alice/setup.sh",
                        "--name 'a b'", Duration.ofMinutes(5)), new SetupScript(SetupScript.Source.inline,
                        "ZWNobyBoaQ==", null, null)),
                List.of(new CustomService("rstudio", "localhost/rstudio:1", List.of(
                        new CustomService.Endpoint("connect", CustomService.Protocol.http, 8787, 8787, null),
                        new CustomService.Endpoint("api", null, 9000, null, "127.0.0.1")),
                        Map.of("RSP_LICENSE", "XXXX-1", "EMPTY", ""), List.of(
                        new CustomService.Volume("/home/azureuser/cloudfiles/code", "/home/rstudio/code", false),
                        new CustomService.Volume("/home/azureuser", "/mnt/home", true))),
                        new CustomService("bare", "localhost/bare", null, null, null)),
                new IdleShutdown(Duration.ofMinutes(45), T0.plusSeconds(3600)),
                List.of(new ComputeSchedule("s1", true, ComputeSchedule.Action.Stop, new ComputeSchedule.Cron(
                        "0 18 * * 1-5", "Pacific Standard Time", LocalDateTime.of(2026, 3, 1, 0, 0)), null),
                        new ComputeSchedule("s2", false, ComputeSchedule.Action.Start, null,
                                new ComputeSchedule.Recurrence(ComputeSchedule.Frequency.Week, 1, null, "UTC",
                                        List.of(8), List.of(30), null, List.of(java.time.DayOfWeek.MONDAY)))),
                errors, apps, "docker", T0,
                T0.plusSeconds(60), 0);
    }

    static ComputeInstance atMicros(ComputeInstance c) {
        return new ComputeInstance(c.id(), c.workspaceId(), c.name(), c.vmSize(), c.state(), c.description(), c.tags(),
                c.createdBy(), c.assignedUser(), c.applicationSharingPolicy(), c.ssh(), c.setupScripts(), c.customServices(), c.idleShutdown(), c.schedules(), c.errors(), c.apps(),
                c.backend(), micros(c.createdOn()), micros(c.modifiedOn()), c.version());
    }

    ComputeInstance givenInstance(Workspace workspace, String name) {
        return store.inTransaction(tx -> tx.insertCompute(instance(workspace.id(), name)));
    }

    static StateTransition created(ComputeInstance compute) {
        return new StateTransition(compute.id(), T0, null, InstanceState.Creating, "created", "alice");
    }

    static Operation begin(ComputeInstance compute, OperationKind kind, Instant at) {
        return Operation.begin(compute.workspaceId(), compute.id(), compute.name(), kind, Trigger.User, "alice", at);
    }

    void write(Consumer<Transaction> work) {
        store.inTransaction(tx -> {
            work.accept(tx);
            return null;
        });
    }

    <T> T read(Function<Transaction, T> work) {
        return store.read(work);
    }

    @Nested
    class Workspaces {
        @Test
        void roundTripsEveryField() {
            var workspace = givenWorkspace();

            var read = read(tx -> tx.workspace(workspace.id())).orElseThrow();

            assertThat(read).isEqualTo(new Workspace(workspace.id(), "sub-1", "rg-1", "ws-1", "westeurope",
                    "Team workspace", Map.of("team", "ml", "cost-center", "42"), micros(T0)));
            assertThat(read.createdOn()).isEqualTo(Instant.parse("2025-03-01T10:15:30.123456Z"));
        }

        @Test
        void keepsNullsAndEmptyTagsApart() {
            var bare = new Workspace(UUID.randomUUID(), "sub", "rg", "bare", null, null, null, null);
            var empty = new Workspace(UUID.randomUUID(), "sub", "rg", "empty", null, null, Map.of(), null);
            write(tx -> {
                tx.insertWorkspace(bare);
                tx.insertWorkspace(empty);
            });

            assertThat(read((Transaction tx) -> tx.workspace(bare.id()))).contains(bare);
            assertThat(read((Transaction tx) -> tx.workspace(empty.id()))).contains(empty);
        }

        @Test
        void findsByScopeIgnoringCase() {
            var workspace = givenWorkspace();

            assertThat(read((Transaction tx) -> tx.findWorkspace("SUB-1", "Rg-1", "WS-1"))).map(Workspace::id)
                    .contains(workspace.id());
            assertThat(read((Transaction tx) -> tx.findWorkspace("sub-1", "rg-2", "ws-1"))).isEmpty();
            assertThat(read((Transaction tx) -> tx.workspace(UUID.randomUUID()))).isEmpty();
        }

        @Test
        void listsBySubscriptionAndResourceGroupOrderedByName() {
            var beta = workspace("sub-1", "rg-1", "beta");
            var alpha = workspace("sub-1", "RG-2", "Alpha");
            var gamma = workspace("SUB-1", "rg-1", "gamma");
            var elsewhere = workspace("sub-2", "rg-1", "aaa");
            write(tx -> List.of(beta, alpha, gamma, elsewhere).forEach(tx::insertWorkspace));

            assertThat(read((Transaction tx) -> tx.workspaces("Sub-1", null))).extracting(Workspace::name)
                    .containsExactly("Alpha", "beta", "gamma");
            assertThat(read((Transaction tx) -> tx.workspaces("sub-1", "rg-1"))).extracting(Workspace::name)
                    .containsExactly("beta", "gamma");
            assertThat(read((Transaction tx) -> tx.workspaces("sub-3", null))).isEmpty();
            assertThat(read((Transaction tx) -> tx.allWorkspaces())).extracting(Workspace::name)
                    .containsExactly("aaa", "Alpha", "beta", "gamma");
        }

        @Test
        void updatesEveryField() {
            var workspace = givenWorkspace();
            var changed = new Workspace(workspace.id(), "sub-1", "rg-1", "WS-1", "northeurope", null, Map.of(),
                    T0.plusNanos(1_500));

            write(tx -> tx.updateWorkspace(changed));

            assertThat(read((Transaction tx) -> tx.workspace(workspace.id()))).contains(new Workspace(workspace.id(),
                    "sub-1",
                    "rg-1", "WS-1", "northeurope", null, Map.of(), micros(T0.plusNanos(1_500))));
        }

        @Test
        void refusesToUpdateAMissingWorkspace() {
            assertThatThrownBy(() -> write(tx -> tx.updateWorkspace(workspace("s", "r", "n"))))
                    .isInstanceOf(IllegalStateException.class);
        }

        @Test
        void refusesASecondWorkspaceWithTheSameNameInAnyCase() {
            givenWorkspace();

            assertThatThrownBy(() -> write(tx -> tx.insertWorkspace(workspace("SUB-1", "RG-1", "Ws-1"))))
                    .isInstanceOf(ConcurrentUpdateException.class);
            assertThat(read((Transaction tx) -> tx.allWorkspaces())).hasSize(1);
        }
    }

    @Nested
    class Computes {
        @Test
        void insertStartsAtVersionOneAndRoundTripsEveryField() {
            var workspace = givenWorkspace();
            var given = fullInstance(workspace.id(), "gpu-box").withVersion(42);

            var inserted = store.inTransaction(tx -> tx.insertCompute(given));

            assertThat(inserted.version()).isEqualTo(1);
            assertThat(inserted.createdOn()).isEqualTo(micros(T0));
            assertThat(inserted.modifiedOn()).isEqualTo(micros(T0.plusSeconds(60)));
            assertThat(read((Transaction tx) -> tx.compute(given.id()))).contains(inserted);
            assertThat(inserted).usingRecursiveComparison().ignoringFields("version", "createdOn", "modifiedOn")
                    .isEqualTo(given);
        }

        /** The header that opens an instance's Jupyter is not in the database as it is; a read gives it back. */
        @Test
        void appSecretsAreSealedInTheDatabase() throws Exception {
            var workspace = givenWorkspace();
            var box = store.inTransaction(tx -> tx.insertCompute(fullInstance(workspace.id(), "sealed")));

            String raw;
            try (var connection = java.sql.DriverManager.getConnection(config.jdbcUrl(), config.username(),
                    config.password());
                 var statement = connection.prepareStatement("SELECT apps FROM computes WHERE id = ?")) {
                statement.setObject(1, box.id());
                try (var rows = statement.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    raw = rows.getString(1);
                }
            }
            assertThat(raw).doesNotContain("s3cret").contains(SecretBox.PREFIX).contains("Authorization");
            assertThat(read((Transaction tx) -> tx.compute(box.id())).orElseThrow().apps().getFirst().headers())
                    .containsEntry("Authorization", "token s3cret");

            store.close();
            assertThat(catchThrowable(() -> JdbcStore.open(config, SecretBox.generate())))
                    .as("another key does not open the store").isInstanceOf(IllegalStateException.class);
            store = JdbcStore.open(config, SECRETS);
        }

        @Test
        void roundTripsNullsAndEmptyValues() {
            var workspace = givenWorkspace();
            var bare = new ComputeInstance(UUID.randomUUID(), workspace.id(), "bare", null, InstanceState.Stopped,
                    null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, 0);
            var empty = new ComputeInstance(UUID.randomUUID(), workspace.id(), "empty", "", InstanceState.Stopped,
                    "", Map.of(), new UserRef(null, null, null), null, "", new SshSettings(false, ""), null, null, null, null, List.of(),
                    List.of(AppEndpoint.available("web", null, URI.create("http://127.0.0.1:1/"), null)), "", T0, null,
                    0);

            var inserted = store.inTransaction(tx -> List.of(tx.insertCompute(bare), tx.insertCompute(empty)));

            assertThat(read((Transaction tx) -> tx.compute(bare.id()))).contains(bare.withVersion(1))
                    .contains(inserted.get(0));
            assertThat(read((Transaction tx) -> tx.compute(bare.id())).orElseThrow().tags()).isNull();
            assertThat(read((Transaction tx) -> tx.compute(empty.id()))).contains(inserted.get(1));
            assertThat(read((Transaction tx) -> tx.compute(empty.id())).orElseThrow().tags()).isEmpty();
        }

        @Test
        void findsByNameIgnoringCaseWithinItsWorkspace() {
            var workspace = givenWorkspace();
            var other = workspace("sub-1", "rg-1", "other");
            write(tx -> tx.insertWorkspace(other));
            var box = givenInstance(workspace, "My-Box");

            assertThat(read((Transaction tx) -> tx.findCompute(workspace.id(), "my-BOX"))).contains(box);
            assertThat(read((Transaction tx) -> tx.findCompute(other.id(), "my-box"))).isEmpty();
            assertThat(read((Transaction tx) -> tx.compute(UUID.randomUUID()))).isEmpty();
        }

        @Test
        void refusesATakenNameInAnyCaseButNotInAnotherWorkspace() {
            var workspace = givenWorkspace();
            var other = workspace("sub-1", "rg-1", "other");
            write(tx -> tx.insertWorkspace(other));
            givenInstance(workspace, "box");

            assertThatThrownBy(() -> givenInstance(workspace, "BOX")).isInstanceOf(ConcurrentUpdateException.class);
            assertThat(givenInstance(other, "BOX").version()).isEqualTo(1);
        }

        @Test
        void updateWritesEveryFieldAndReturnsTheNextVersion() {
            var workspace = givenWorkspace();
            var v1 = givenInstance(workspace, "box");
            var changed = fullInstance(workspace.id(), "Box").withVersion(1);
            var v2Given = new ComputeInstance(v1.id(), v1.workspaceId(), changed.name(), changed.vmSize(),
                    changed.state(), changed.description(), null, changed.createdBy(), changed.assignedUser(),
                    changed.applicationSharingPolicy(), changed.ssh(), changed.setupScripts(), changed.customServices(), changed.idleShutdown(), changed.schedules(),
                    changed.errors(), changed.apps(),
                    changed.backend(), T0.plusNanos(999), T0.plusSeconds(5).plusNanos(1), 1);

            var v2 = store.inTransaction(tx -> tx.updateCompute(v2Given));
            var v3 = store.inTransaction(tx -> tx.updateCompute(v2.withErrors(List.of()).withApps(List.of())));

            assertThat(v2).isEqualTo(atMicros(v2Given).withVersion(2));
            assertThat(v3).isEqualTo(atMicros(v2Given).withErrors(List.of()).withApps(List.of()).withVersion(3));
            assertThat(read((Transaction tx) -> tx.compute(v1.id()))).contains(v3);
            // Custom services removed are none when read again, not the ones written before.
            var v4 = store.inTransaction(tx -> tx.updateCompute(v3.withCustomServices(List.of(), v3.modifiedOn())));
            assertThat(read((Transaction tx) -> tx.compute(v1.id())).orElseThrow().customServices()).isEmpty();
            assertThat(read((Transaction tx) -> tx.compute(v1.id()))).contains(v4);
        }

        @Test
        void updateFromAStaleVersionLosesAndWritesNothing() {
            var workspace = givenWorkspace();
            var v1 = givenInstance(workspace, "box");
            store.inTransaction(tx -> tx.updateCompute(v1.withUpdate("first", null, T0)));

            assertThatThrownBy(() -> store.inTransaction(tx -> tx.updateCompute(v1.withUpdate("second", null, T0))))
                    .isInstanceOf(ConcurrentUpdateException.class);

            var stored = read(tx -> tx.compute(v1.id())).orElseThrow();
            assertThat(stored.description()).isEqualTo("first");
            assertThat(stored.version()).isEqualTo(2);
        }

        @Test
        void updateOfADeletedInstanceLoses() {
            var workspace = givenWorkspace();
            var v1 = givenInstance(workspace, "box");
            write(tx -> tx.deleteCompute(v1.id()));

            assertThatThrownBy(() -> store.inTransaction(tx -> tx.updateCompute(v1)))
                    .isInstanceOf(ConcurrentUpdateException.class);
            assertThat(read((Transaction tx) -> tx.allComputes())).isEmpty();
        }

        @Test
        void concurrentUpdatesOfOneVersionLetExactlyOneWin() throws Exception {
            var workspace = givenWorkspace();
            var v1 = givenInstance(workspace, "box");

            var outcomes = race(6, (writer, tx, allReady) -> {
                var read = tx.compute(v1.id()).orElseThrow();
                allReady.run();
                return tx.updateCompute(read.withUpdate("writer " + writer, null, T0));
            });

            assertThat(outcomes.winners()).hasSize(1);
            assertThat(outcomes.losers()).hasSize(5).allMatch(ConcurrentUpdateException.class::isInstance);
            assertThat(read((Transaction tx) -> tx.compute(v1.id()))).contains(outcomes.winners().getFirst());
            assertThat(outcomes.winners().getFirst().version()).isEqualTo(2);
        }

        @Test
        void concurrentInsertsOfOneNameLetExactlyOneWin() throws Exception {
            var workspace = givenWorkspace();

            var outcomes = race(6, (writer, tx, allReady) -> {
                allReady.run();
                return tx.insertCompute(instance(workspace.id(), writer % 2 == 0 ? "box" : "BOX"));
            });

            assertThat(outcomes.winners()).hasSize(1);
            assertThat(outcomes.losers()).hasSize(5).allMatch(ConcurrentUpdateException.class::isInstance);
            assertThat(read((Transaction tx) -> tx.allComputes())).containsExactly(outcomes.winners().getFirst());
        }

        @Test
        void deleteFreesTheNameAtOnceAndKeepsHistoryAndOperations() {
            var workspace = givenWorkspace();
            var box = givenInstance(workspace, "box");
            var create = begin(box, OperationKind.Create, T0);
            write(tx -> {
                tx.appendTransition(created(box));
                tx.insertOperation(create);
            });

            var again = store.inTransaction(tx -> {
                tx.deleteCompute(box.id());
                return tx.insertCompute(instance(workspace.id(), "Box"));
            });

            assertThat(read((Transaction tx) -> tx.compute(box.id()))).isEmpty();
            assertThat(read((Transaction tx) -> tx.findCompute(workspace.id(), "box"))).contains(again);
            assertThat(read((Transaction tx) -> tx.history(box.id()))).hasSize(1);
            assertThat(read((Transaction tx) -> tx.operation(create.id()))).isPresent();
            assertThat(read((Transaction tx) -> tx.lastOperation(box.id()))).map(Operation::id).contains(create.id());
        }

        @Test
        void deletingAMissingInstanceDoesNothing() {
            var workspace = givenWorkspace();
            var box = givenInstance(workspace, "box");

            write(tx -> tx.deleteCompute(UUID.randomUUID()));

            assertThat(read((Transaction tx) -> tx.allComputes())).containsExactly(box);
        }

        @Test
        void pagesAreOrderedByNameIgnoringCase() {
            var workspace = givenWorkspace();
            var other = workspace("sub-1", "rg-1", "other");
            write(tx -> tx.insertWorkspace(other));
            for (var name : List.of("echo", "bravo", "Delta", "alpha", "Charlie")) {
                givenInstance(workspace, name);
            }
            givenInstance(other, "aaa");

            assertThat(read((Transaction tx) -> tx.computes(workspace.id(), 0, 2))).extracting(ComputeInstance::name)
                    .containsExactly("alpha", "bravo");
            assertThat(read((Transaction tx) -> tx.computes(workspace.id(), 2, 2))).extracting(ComputeInstance::name)
                    .containsExactly("Charlie", "Delta");
            assertThat(read((Transaction tx) -> tx.computes(workspace.id(), 4, 2))).extracting(ComputeInstance::name)
                    .containsExactly("echo");
            assertThat(read((Transaction tx) -> tx.computes(workspace.id(), 5, 2))).isEmpty();
            assertThat(read((Transaction tx) -> tx.computes(workspace.id(), 0, 0))).isEmpty();
        }

        @Test
        void pagesFilterByCreatorAndAssignee() {
            var workspace = givenWorkspace();
            var forBob = instance(workspace.id(), "for-bob");
            var assigned = new ComputeInstance(forBob.id(), forBob.workspaceId(), forBob.name(), forBob.vmSize(),
                    forBob.state(), null, null, ALICE, BOB, "Personal", SshSettings.DISABLED, null, null, null, null, List.of(), List.of(),
                    "local", T0, T0, 0);
            write(tx -> {
                tx.insertCompute(instance(workspace.id(), "alices"));
                tx.insertCompute(assigned);
            });
            Function<ComputeFilter, List<String>> names = filter -> read((Transaction tx) ->
                    tx.computes(workspace.id(), filter, 0, 10)).stream().map(ComputeInstance::name).toList();

            assertThat(names.apply(new ComputeFilter(ALICE.objectId(), null, null))).containsExactly("alices",
                    "for-bob");
            assertThat(names.apply(new ComputeFilter(null, BOB.objectId(), null))).containsExactly("for-bob");
            assertThat(names.apply(new ComputeFilter(null, null, BOB.objectId()))).containsExactly("for-bob");
            assertThat(names.apply(new ComputeFilter(BOB.objectId(), null, null))).isEmpty();
            // The ids follow an update too.
            write(tx -> tx.updateCompute(tx.compute(assigned.id()).orElseThrow().withState(InstanceState.Running,
                    T0)));
            assertThat(names.apply(new ComputeFilter(null, BOB.objectId(), null))).containsExactly("for-bob");
        }

        @Test
        void searchesNamesAsTypedSortsAndCounts() {
            var workspace = givenWorkspace();
            write(tx -> {
                tx.insertCompute(instance(workspace.id(), "gpu-Alpha"));
                tx.insertCompute(withCreated(instance(workspace.id(), "gpu_beta"), T0.plusSeconds(60)));
                tx.insertCompute(withCreated(instance(workspace.id(), "cpu-gamma"), T0.plusSeconds(30))
                        .withState(InstanceState.Running, T0.plusSeconds(30)));
                tx.insertCompute(instance(workspace.id(), "gpu100"));
            });
            java.util.function.BiFunction<ComputeFilter, ComputeOrder, List<String>> names = (filter, order) ->
                    read((Transaction tx) -> tx.computes(workspace.id(), filter, order, 0, 10)).stream()
                            .map(ComputeInstance::name).toList();

            assertThat(names.apply(ComputeFilter.NONE.named("GPU"), ComputeOrder.NAME))
                    .containsExactly("gpu-Alpha", "gpu100", "gpu_beta");
            // LIKE's wildcards in what was typed match themselves: "_" is no "any character", "%" no "anything".
            assertThat(names.apply(ComputeFilter.NONE.named("u_b"), ComputeOrder.NAME)).containsExactly("gpu_beta");
            assertThat(names.apply(ComputeFilter.NONE.named("%"), ComputeOrder.NAME)).isEmpty();
            assertThat(names.apply(ComputeFilter.NONE.named("  "), ComputeOrder.NAME)).hasSize(4);
            assertThat(names.apply(ComputeFilter.NONE, ComputeOrder.NAME_DESCENDING))
                    .containsExactly("gpu_beta", "gpu100", "gpu-Alpha", "cpu-gamma");
            assertThat(names.apply(ComputeFilter.NONE, ComputeOrder.NEWEST).subList(0, 2))
                    .containsExactly("gpu_beta", "cpu-gamma");
            assertThat(names.apply(ComputeFilter.NONE, ComputeOrder.OLDEST))
                    .containsExactly("gpu-Alpha", "gpu100", "cpu-gamma", "gpu_beta");
            assertThat(names.apply(ComputeFilter.NONE, ComputeOrder.STATE).getFirst()).isEqualTo("gpu-Alpha");
            assertThat(read((Transaction tx) -> tx.countComputes(workspace.id(), ComputeFilter.NONE))).isEqualTo(4);
            assertThat(read((Transaction tx) -> tx.countComputes(workspace.id(), ComputeFilter.NONE.named("gpu"))))
                    .isEqualTo(3);
            assertThat(read((Transaction tx) -> tx.countComputes(workspace.id(),
                    new ComputeFilter(BOB.objectId(), null, null)))).isZero();
        }

        private static ComputeInstance withCreated(ComputeInstance compute, java.time.Instant created) {
            return new ComputeInstance(compute.id(), compute.workspaceId(), compute.name(), compute.vmSize(),
                    compute.state(), compute.description(), compute.tags(), compute.createdBy(),
                    compute.assignedUser(), compute.applicationSharingPolicy(), compute.ssh(), compute.setupScripts(), compute.customServices(),
                    compute.idleShutdown(), compute.schedules(), compute.errors(), compute.apps(), compute.backend(),
                    created, created, 0);
        }

        @Test
        void selectsByStateAndListsAll() {
            var workspace = givenWorkspace();
            var creating = givenInstance(workspace, "creating");
            var running = store.inTransaction(tx -> tx.updateCompute(
                    givenInstance(workspace, "running").withState(InstanceState.Running, T0)));
            var stopping = store.inTransaction(tx -> tx.updateCompute(
                    running.withState(InstanceState.Stopping, T0)));
            var alsoRunning = store.inTransaction(tx -> tx.updateCompute(
                    givenInstance(workspace, "also-running").withState(InstanceState.Running, T0)));

            var runningOrCreating = EnumSet.of(InstanceState.Running, InstanceState.Creating);
            assertThat(read((Transaction tx) -> tx.computesInStates(runningOrCreating)))
                    .containsExactlyInAnyOrder(creating, alsoRunning);
            assertThat(read((Transaction tx) -> tx.computesInStates(List.of(InstanceState.Stopping))))
                    .containsExactly(stopping);
            assertThat(read((Transaction tx) -> tx.computesInStates(List.of()))).isEmpty();
            assertThat(read((Transaction tx) -> tx.allComputes()))
                    .containsExactlyInAnyOrder(creating, stopping, alsoRunning);
        }
    }

    @Nested
    class Audit {
        AuditEvent accepted(Workspace workspace) {
            return new AuditEvent(UUID.randomUUID(), micros(T0), workspace.id(), "alice",
                    "Microsoft.MachineLearningServices/workspaces/computes/write", "/computes/ci", "Accepted", null,
                    null, "req-1", "User", null);
        }

        List<AuditEvent> events(Workspace workspace) {
            return read(tx -> tx.auditEvents(new AuditFilter(workspace.id(), false, null, null, null, null, null,
                    null, 10)));
        }

        @Test
        void eventsArePagedNewestFirstWithoutGapsOrRepeatsEvenWithinOneInstant() {
            var workspace = givenWorkspace();
            var ids = new java.util.ArrayList<UUID>();
            for (int i = 0; i < 5; i++) {
                var event = new AuditEvent(UUID.randomUUID(), micros(T0.plusSeconds(i / 2)), workspace.id(), "alice",
                        "Hangar/test", "/t/" + i, "Succeeded", 200, null, "req-" + i, "User", null);
                write(tx -> tx.insertAuditEvent(event));
                ids.add(0, event.id());
            }
            var pages = new java.util.ArrayList<UUID>();
            for (int skip = 0; skip < 6; skip += 2) {
                var page = skip;
                pages.addAll(read(tx -> tx.auditEvents(new AuditFilter(workspace.id(), false, null, null, null, null,
                        null, null, 2, page))).stream().map(AuditEvent::id).toList());
            }
            assertThat(pages).containsExactlyElementsOf(ids);
        }

        @Test
        void anEventWrittenWithItsChangeGetsItsOutcomeLater() {
            var workspace = givenWorkspace();
            var event = accepted(workspace);
            write(tx -> tx.insertAuditEvent(event));

            write(tx -> tx.endAuditEvent(event.id(), "Failed", 409, "Conflict"));
            write(tx -> tx.endAuditEvent(UUID.randomUUID(), "Succeeded", 200, null));

            assertThat(events(workspace)).singleElement().satisfies(read -> {
                assertThat(read.result()).isEqualTo("Failed");
                assertThat(read.status()).isEqualTo(409);
                assertThat(read.errorCode()).isEqualTo("Conflict");
                assertThat(read.requestId()).isEqualTo("req-1");
            });
        }

        @Test
        void aCallsEventGoesInItsFirstCommittedWriteAndNeverInAReadOrARolledBackOne() throws Exception {
            var workspace = givenWorkspace();
            var audited = new CallAuditingStore(store);
            var call = new CallAudit(tx -> accepted(workspace));

            call.during(() -> {
                audited.read(tx -> tx.workspace(workspace.id()));
                assertThatThrownBy(() -> audited.inTransaction(tx -> {
                    tx.insertWorkspace(workspace("sub-9", "rg-9", "doomed"));
                    throw new IllegalStateException("refused");
                })).hasMessage("refused");
                assertThat(call.written()).isEmpty();
                audited.inTransaction(tx -> {
                    tx.insertWorkspace(workspace("sub-9", "rg-9", "kept"));
                    return null;
                });
                audited.inTransaction(tx -> {
                    tx.insertWorkspace(workspace("sub-9", "rg-9", "later"));
                    return null;
                });
                return null;
            });

            assertThat(call.written()).isPresent();
            assertThat(events(workspace)).singleElement().satisfies(event -> {
                assertThat(event.id()).isEqualTo(call.written().orElseThrow());
                assertThat(event.result()).isEqualTo("Accepted");
            });
            // Outside the call, transactions carry nothing.
            audited.inTransaction(tx -> {
                tx.insertWorkspace(workspace("sub-9", "rg-9", "outside"));
                return null;
            });
            assertThat(events(workspace)).hasSize(1);
        }
    }

    @Nested
    class Transactions {
        @Test
        void anExceptionRollsBackEverything() {
            var workspace = workspace("sub-1", "rg-1", "ws-1");
            var box = instance(workspace.id(), "box");
            var user = new User(UUID.randomUUID(), "alice", "tenant-1", false, T0);
            var operation = begin(box, OperationKind.Create, T0);

            assertThatThrownBy(() -> write(tx -> {
                tx.insertWorkspace(workspace);
                tx.insertCompute(box);
                tx.appendTransition(created(box));
                tx.insertOperation(operation);
                tx.insertUser(user);
                tx.insertToken(new ApiToken(UUID.randomUUID(), user.id(), "cli", "hash-1", T0, null, null));
                throw new IllegalStateException("boom");
            })).isInstanceOf(IllegalStateException.class).hasMessage("boom");

            assertThat(read((Transaction tx) -> tx.allWorkspaces())).isEmpty();
            assertThat(read((Transaction tx) -> tx.allComputes())).isEmpty();
            assertThat(read((Transaction tx) -> tx.history(box.id()))).isEmpty();
            assertThat(read((Transaction tx) -> tx.operation(operation.id()))).isEmpty();
            assertThat(read((Transaction tx) -> tx.users())).isEmpty();
            assertThat(read((Transaction tx) -> tx.findToken("hash-1"))).isEmpty();
        }

        @Test
        void anEndedOperationIsToldOnceItsTransactionCommitsAndNeverWhenItRollsBack() {
            var workspace = givenWorkspace();
            var box = givenInstance(workspace, "box");
            var told = new java.util.concurrent.CopyOnWriteArrayList<Operation>();
            ((JdbcStore) store).onOperationEnded(told::add);
            var create = begin(box, OperationKind.Create, T0);
            write(tx -> tx.insertOperation(create));
            assertThat(told).as("a begun operation is not an ended one").isEmpty();

            assertThatThrownBy(() -> write(tx -> {
                tx.endOperation(create.succeeded(T0.plusSeconds(3)));
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
            assertThat(told).as("rolled back").isEmpty();

            var ended = create.succeeded(T0.plusSeconds(3));
            write(tx -> tx.endOperation(ended));
            write(tx -> tx.endOperation(ended));
            assertThat(told).as("told once, as committed; the second end changed nothing").containsExactly(ended);
        }

        @Test
        void aLostWriteDoomsTheTransactionEvenWhenTheWorkCatchesIt() {
            var workspace = givenWorkspace();
            givenInstance(workspace, "box");
            var afterwards = new AtomicReference<Throwable>();

            assertThatThrownBy(() -> write(tx -> {
                tx.insertUser(new User(UUID.randomUUID(), "alice", null, false, T0));
                try {
                    tx.insertCompute(instance(workspace.id(), "Box"));
                } catch (ConcurrentUpdateException expected) {
                    afterwards.set(catchThrowable(tx::users));
                }
            })).isInstanceOf(ConcurrentUpdateException.class);

            assertThat(afterwards.get()).isInstanceOf(IllegalStateException.class);
            assertThat(read((Transaction tx) -> tx.users())).isEmpty();
        }

        @Test
        void readSeesWhatWasCommitted() {
            var workspace = givenWorkspace();
            var box = givenInstance(workspace, "box");

            assertThat(store.read((Transaction tx) -> tx.compute(box.id()))).contains(box);
        }

        @Test
        void readRefusesWrites() {
            assertThatThrownBy(() -> store.read(tx -> {
                tx.insertWorkspace(workspace("sub-1", "rg-1", "ws-1"));
                return null;
            })).isInstanceOf(IllegalStateException.class);

            assertThat(read((Transaction tx) -> tx.allWorkspaces())).isEmpty();
        }

        @Test
        void reopeningKeepsTheDataAndMigratesNothing() {
            var workspace = givenWorkspace();
            var box = givenInstance(workspace, "box");
            store.close();

            store = JdbcStore.open(config, SECRETS);

            assertThat(read((Transaction tx) -> tx.compute(box.id()))).contains(box);
            assertThat(read((Transaction tx) -> tx.workspace(workspace.id()))).isPresent();
        }
    }

    @Nested
    class History {
        @Test
        void isOldestFirstAndInAppendOrderAtTheSameInstant() {
            var workspace = givenWorkspace();
            var box = givenInstance(workspace, "box");
            var other = givenInstance(workspace, "other");
            var later = new StateTransition(box.id(), T0.plusSeconds(2), InstanceState.Running,
                    InstanceState.Stopping, "stop requested", "alice");
            var first = new StateTransition(box.id(), T0, null, InstanceState.Creating, "created", "alice");
            var second = new StateTransition(box.id(), T0, InstanceState.Creating, InstanceState.Running,
                    "backend reported running", null);
            write(tx -> {
                tx.appendTransition(later);
                tx.appendTransition(first);
                tx.appendTransition(new StateTransition(other.id(), T0, null, InstanceState.Creating, null, null));
                tx.appendTransition(second);
            });

            assertThat(read((Transaction tx) -> tx.history(box.id()))).containsExactly(
                    atMicros(first), atMicros(second), atMicros(later));
            assertThat(read((Transaction tx) -> tx.history(UUID.randomUUID()))).isEmpty();
        }

        private static StateTransition atMicros(StateTransition t) {
            return new StateTransition(t.computeId(), micros(t.at()), t.from(), t.to(), t.reason(), t.actor());
        }
    }

    @Nested
    class Operations {
        @Test
        void roundTripInProgressAndEnded() {
            var workspace = givenWorkspace();
            var box = givenInstance(workspace, "box");
            var running = begin(box, OperationKind.Create, T0);
            var update = Operation.begin(workspace.id(), box.id(), box.name(), OperationKind.Update, Trigger.Schedule,
                    null, T0.minusSeconds(1)).failed(T0.plusNanos(1), new ComputeError("Bad", "Bad tags.", null));
            write(tx -> {
                tx.insertOperation(running);
                tx.insertOperation(update);
            });

            assertThat(read((Transaction tx) -> tx.operation(running.id()))).contains(atMicros(running));
            assertThat(read((Transaction tx) -> tx.operation(update.id()))).contains(atMicros(update));
            assertThat(read((Transaction tx) -> tx.operation(UUID.randomUUID()))).isEmpty();
        }

        @Test
        void endingWritesOnceAndNeverOverwritesATerminalStatus() {
            var workspace = givenWorkspace();
            var box = givenInstance(workspace, "box");
            var start = begin(box, OperationKind.Start, T0);
            write(tx -> tx.insertOperation(start));
            var succeeded = start.succeeded(T0.plusSeconds(30));
            var failed = start.failed(T0.plusSeconds(31), ComputeError.of("Late", "Too late."));

            assertThat(store.inTransaction((Transaction tx) -> tx.endOperation(succeeded))).isTrue();
            assertThat(store.inTransaction((Transaction tx) -> tx.endOperation(failed))).isFalse();
            assertThat(store.inTransaction((Transaction tx) -> tx.endOperation(start.canceled(T0, null)))).isFalse();

            assertThat(read((Transaction tx) -> tx.operation(start.id()))).contains(atMicros(succeeded));
        }

        @Test
        void endingAnUnknownOperationWritesNothing() {
            var workspace = givenWorkspace();
            var box = givenInstance(workspace, "box");

            var neverInserted = begin(box, OperationKind.Stop, T0).succeeded(T0);

            assertThat(store.inTransaction((Transaction tx) -> tx.endOperation(neverInserted))).isFalse();
        }

        @Test
        void anOperationCannotEndInProgress() {
            var workspace = givenWorkspace();
            var box = givenInstance(workspace, "box");
            var stop = begin(box, OperationKind.Stop, T0);
            write(tx -> tx.insertOperation(stop));

            assertThatThrownBy(() -> store.inTransaction(tx -> tx.endOperation(stop)))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void activeIsTheInProgressOneUntilItEnds() {
            var workspace = givenWorkspace();
            var box = givenInstance(workspace, "box");
            var other = givenInstance(workspace, "other");
            var update = Operation.begin(workspace.id(), box.id(), box.name(), OperationKind.Update, Trigger.User,
                    "alice", T0).succeeded(T0);
            var stop = begin(box, OperationKind.Stop, T0.plusSeconds(1));
            write(tx -> {
                tx.insertOperation(update);
                tx.insertOperation(stop);
                tx.insertOperation(begin(other, OperationKind.Start, T0));
            });

            assertThat(read((Transaction tx) -> tx.activeOperation(box.id()))).map(Operation::id).contains(stop.id());

            write(tx -> tx.endOperation(stop.succeeded(T0.plusSeconds(2))));

            assertThat(read((Transaction tx) -> tx.activeOperation(box.id()))).isEmpty();
            assertThat(read((Transaction tx) -> tx.activeOperation(other.id()))).isPresent();
        }

        @Test
        void aSecondInProgressOperationOnOneComputeLoses() {
            var workspace = givenWorkspace();
            var box = givenInstance(workspace, "box");
            var stop = begin(box, OperationKind.Stop, T0);
            write(tx -> tx.insertOperation(stop));

            assertThatThrownBy(() -> write(tx -> tx.insertOperation(begin(box, OperationKind.Restart, T0))))
                    .isInstanceOf(ConcurrentUpdateException.class);

            write(tx -> tx.endOperation(stop.succeeded(T0)));
            var start = begin(box, OperationKind.Start, T0.plusSeconds(1));
            write(tx -> tx.insertOperation(start));
            assertThat(read((Transaction tx) -> tx.activeOperation(box.id()))).map(Operation::id).contains(start.id());
        }

        @Test
        void lastIsTheNewestLifecycleOperationByStartAndTheLastInsertedOnATie() {
            var workspace = givenWorkspace();
            var box = givenInstance(workspace, "box");
            var newest = begin(box, OperationKind.Stop, T0.plusSeconds(10)).failed(T0.plusSeconds(11), null);
            var older = begin(box, OperationKind.Create, T0);
            write(tx -> {
                tx.insertOperation(newest);
                tx.insertOperation(older);
            });
            assertThat(read((Transaction tx) -> tx.lastOperation(box.id()))).map(Operation::id).contains(newest.id());

            var tieFirst = begin(box, OperationKind.Start, T0.plusSeconds(20)).succeeded(T0.plusSeconds(20));
            var tieSecond = begin(box, OperationKind.Stop, T0.plusSeconds(20)).succeeded(T0.plusSeconds(20));
            write(tx -> tx.insertOperation(tieFirst));
            write(tx -> tx.insertOperation(tieSecond));
            assertThat(read((Transaction tx) -> tx.lastOperation(box.id()))).map(Operation::id)
                    .contains(tieSecond.id());

            // An update of mutable fields is no lifecycle operation: ARM's lastOperation has no name for it.
            var update = begin(box, OperationKind.Update, T0.plusSeconds(30)).succeeded(T0.plusSeconds(30));
            write(tx -> tx.insertOperation(update));
            assertThat(read((Transaction tx) -> tx.lastOperation(box.id()))).map(Operation::id)
                    .contains(tieSecond.id());
            assertThat(read((Transaction tx) -> tx.lastOperation(UUID.randomUUID()))).isEmpty();
        }

        @Test
        void lastOfManyComputesIsEachOnesLastInOneCall() {
            var workspace = givenWorkspace();
            var box = givenInstance(workspace, "box");
            var crate = givenInstance(workspace, "crate");
            var bare = givenInstance(workspace, "bare");
            var boxCreate = begin(box, OperationKind.Create, T0).succeeded(T0.plusSeconds(1));
            var boxStop = begin(box, OperationKind.Stop, T0.plusSeconds(5));
            var crateCreate = begin(crate, OperationKind.Create, T0.plusSeconds(2));
            write(tx -> {
                tx.insertOperation(boxCreate);
                tx.insertOperation(boxStop);
                tx.insertOperation(crateCreate);
            });
            var crateUpdate = begin(crate, OperationKind.Update, T0.plusSeconds(9)).succeeded(T0.plusSeconds(9));
            write(tx -> tx.insertOperation(crateUpdate));

            var last = read((Transaction tx) -> tx.lastOperations(List.of(box.id(), crate.id(), bare.id())));

            assertThat(last).containsOnlyKeys(box.id(), crate.id());
            assertThat(last.get(box.id()).id()).isEqualTo(boxStop.id());
            assertThat(last.get(crate.id()).id()).isEqualTo(crateCreate.id());
            assertThat(read((Transaction tx) -> tx.lastOperations(List.of()))).isEmpty();
        }

        private static Operation atMicros(Operation o) {
            return new Operation(o.id(), o.workspaceId(), o.computeId(), o.computeName(), o.kind(), o.status(),
                    o.trigger(), o.actor(), micros(o.startedOn()), micros(o.endedOn()), o.error());
        }
    }

    @Nested
    class Roles {
        RoleDefinition custom(String name) {
            return new RoleDefinition(UUID.randomUUID(), name, "operates computes",
                    List.of(new ActionPattern("Microsoft.MachineLearningServices/workspaces/computes/*")),
                    List.of(new ActionPattern("*/delete")), List.of("/subscriptions/s"), false, micros(T0),
                    micros(T0));
        }

        User user(String name) {
            var user = new User(UUID.randomUUID(), name, null, false, T0);
            write(tx -> tx.insertUser(user));
            return user;
        }

        @Test
        void customRolesRoundTripAndTheirNamesAreUniqueWhateverTheCase() {
            var operator = custom("Operator");
            write(tx -> tx.insertRoleDefinition(operator));

            assertThat(read((Transaction tx) -> tx.roleDefinition(operator.id()))).contains(operator);
            assertThat(read((Transaction tx) -> tx.findRoleDefinition("OPERATOR"))).contains(operator);
            assertThatThrownBy(() -> write(tx -> tx.insertRoleDefinition(custom("operator"))))
                    .isInstanceOf(ConcurrentUpdateException.class);

            var renamed = new RoleDefinition(operator.id(), "Runner", null, List.of(new ActionPattern("*/read")),
                    List.of(), List.of(), false, operator.createdOn(), micros(T0.plusSeconds(5)));
            write(tx -> tx.updateRoleDefinition(renamed));
            assertThat(read((Transaction tx) -> tx.roleDefinitions())).containsExactly(renamed);
            write(tx -> tx.deleteRoleDefinition(operator.id()));
            assertThat(read((Transaction tx) -> tx.roleDefinition(operator.id()))).isEmpty();
        }

        @Test
        void assignmentsAreFoundByWorkspaceAndUserAndCountedByRole() {
            var workspace = givenWorkspace();
            var alice = user("alice");
            var bob = user("bob");
            var reader = new RoleAssignment(UUID.randomUUID(), workspace.id(), alice.id(), RoleDefinition.READER_ID,
                    micros(T0), "admin");
            var contributor = new RoleAssignment(UUID.randomUUID(), workspace.id(), alice.id(),
                    RoleDefinition.CONTRIBUTOR_ID, micros(T0.plusSeconds(1)), "admin");
            var bobs = new RoleAssignment(UUID.randomUUID(), workspace.id(), bob.id(), RoleDefinition.READER_ID,
                    micros(T0.plusSeconds(2)), "admin");
            write(tx -> List.of(reader, contributor, bobs).forEach(tx::insertRoleAssignment));

            assertThat(read((Transaction tx) -> tx.roleAssignments(workspace.id(), alice.id())))
                    .containsExactly(reader, contributor);
            assertThat(read((Transaction tx) -> tx.roleAssignments(workspace.id()))).hasSize(3);
            assertThat(read((Transaction tx) -> tx.roleAssignment(bobs.id()))).contains(bobs);
            assertThat(read((Transaction tx) -> tx.countRoleAssignments(RoleDefinition.READER_ID))).isEqualTo(2);
            assertThatThrownBy(() -> write(tx -> tx.insertRoleAssignment(new RoleAssignment(UUID.randomUUID(),
                    workspace.id(), bob.id(), RoleDefinition.READER_ID, T0, "admin"))))
                    .as("the same role twice for the same user and workspace")
                    .isInstanceOf(ConcurrentUpdateException.class);

            write(tx -> tx.deleteRoleAssignment(reader.id()));
            assertThat(read((Transaction tx) -> tx.roleAssignments(workspace.id(), alice.id())))
                    .containsExactly(contributor);
        }
    }

    /** VM sizes, quota limits and reserved cores, and admission through {@link ComputeService} on this database. */
    @Nested
    class Quotas {
        static final User ADMIN = new User(UUID.randomUUID(), "admin", null, true, T0);

        Mutation create(Workspace workspace, String name, String size) {
            // The store opens before each test, after this class is made.
            var computes = new ComputeService(store, VmSizeCatalog.defaults(), new AccessPolicy(), Clock.systemUTC(),
                    "local", id -> { },
                    // No setup scripts: the share is never looked at.
                    new ShareDisk(Path.of(System.getProperty("java.io.tmpdir")), null), IdleRules.DEFAULT);
            return computes.createOrUpdate(ADMIN, workspace, name, new InstanceRequest(size, null, null, null, null,
                    null, null, null, null, null));
        }

        void limit(Workspace workspace, String family, long cores) {
            write(tx -> tx.putQuotaLimit(new QuotaLimit(workspace.subscriptionId(), workspace.location(),
                    workspace.id(), family, VmPriority.Dedicated, cores)));
        }

        long used(Workspace workspace) {
            return read((Transaction tx) -> tx.coreReservations(workspace.subscriptionId(), workspace.location()))
                    .stream().mapToLong(CoreReservation::cores).sum();
        }

        @Test
        void theCatalogIsSeededWithTheDefaultsAndEditable() {
            assertThat(read((Transaction tx) -> tx.vmSizes())).containsExactlyInAnyOrderElementsOf(
                    VmSizeCatalog.DEFAULTS);
            var big = new VmSize("Standard_Big_v1", "bigFamily", 64, 512, 8, 12.5, 2.5, false, List.of("AmlCompute"));
            write(tx -> tx.putVmSize(big));
            var bigger = new VmSize("STANDARD_BIG_V1", "bigFamily", 96, 768, 8, 20, 4, true, List.of("AmlCompute"));
            write(tx -> tx.putVmSize(bigger));
            assertThat(read((Transaction tx) -> tx.vmSizes())).contains(bigger).doesNotContain(big)
                    .hasSize(VmSizeCatalog.DEFAULTS.size() + 1);
            var workspace = givenWorkspace();
            givenInstance(workspace, "uses-ds3");
            assertThat(read((Transaction tx) -> tx.countComputesOfSize("standard_ds3_V2"))).isEqualTo(1);
            write(tx -> tx.deleteVmSize("standard_big_v1"));
            assertThat(read((Transaction tx) -> tx.vmSizes())).doesNotContain(bigger);
        }

        @Test
        void limitsAreReplacedPerScopeAndNoneRemovesThem() {
            var workspace = givenWorkspace();
            write(tx -> {
                tx.putQuotaLimit(new QuotaLimit("SUB-1", "WestEurope", null, null, VmPriority.Dedicated, 100));
                tx.putQuotaLimit(new QuotaLimit("sub-1", "westeurope", null, "standardDSv2Family",
                        VmPriority.Dedicated, 40));
                tx.putQuotaLimit(new QuotaLimit("sub-1", "westeurope", workspace.id(), "standardDSv2Family",
                        VmPriority.Dedicated, 12));
                tx.putQuotaLimit(new QuotaLimit("sub-1", "westeurope", null, null, VmPriority.LowPriority, 30));
                tx.putQuotaLimit(new QuotaLimit("sub-1", "eastus", null, null, VmPriority.Dedicated, 7));
            });
            write(tx -> tx.putQuotaLimit(new QuotaLimit("sub-1", "westeurope", null, null, VmPriority.Dedicated, 64)));
            write(tx -> tx.putQuotaLimit(new QuotaLimit("sub-1", "westeurope", null, null, VmPriority.LowPriority,
                    QuotaLimit.NONE)));

            var limits = read((Transaction tx) -> tx.quotaLimits("Sub-1", "WESTEUROPE"));
            var ledger = new CoreLedger(limits, List.of());
            assertThat(limits).hasSize(3);
            assertThat(ledger.limit(null, null, VmPriority.Dedicated)).isEqualTo(64);
            assertThat(ledger.limit(null, "STANDARDDSV2FAMILY", VmPriority.Dedicated)).isEqualTo(40);
            assertThat(ledger.limit(workspace.id(), "standardDSv2Family", VmPriority.Dedicated)).isEqualTo(12);
            assertThat(ledger.limit(null, null, VmPriority.LowPriority)).isEqualTo(QuotaLimit.NONE);
        }

        @Test
        void aComputeHoldsItsCoresUntilItIsRemovedWhateverItsState() {
            var workspace = givenWorkspace();
            var created = create(workspace, "holder", "Standard_DS3_v2").compute();
            assertThat(read((Transaction tx) -> tx.coreReservations("SUB-1", "westEurope"))).containsExactly(
                    new CoreReservation(created.id(), workspace.id(), "holder", "standardDSv2Family",
                            VmPriority.Dedicated, 4));

            for (var state : List.of(InstanceState.Running, InstanceState.Stopping, InstanceState.Stopped)) {
                write(tx -> tx.updateCompute(tx.compute(created.id()).orElseThrow().withState(state, T0)));
            }
            assertThat(used(workspace)).as("a stopped instance keeps its cores").isEqualTo(4);

            write(tx -> tx.deleteCompute(created.id()));
            assertThat(used(workspace)).isZero();
        }

        @Test
        void theMostSpecificLimitRefusesWithItsNumbersAndRecordsNothing() {
            var workspace = givenWorkspace();
            limit(workspace, "standardDSv2Family", 6);
            create(workspace, "first", "Standard_DS3_v2");

            assertThatThrownBy(() -> create(workspace, "second", "Standard_DS3_v2"))
                    .isInstanceOfSatisfying(ApiException.Conflict.class, e -> {
                        assertThat(e.code()).isEqualTo("QuotaExceeded");
                        assertThat(e.getMessage()).contains("needs 4 Standard DSv2 Family Cluster Dedicated vCPUs",
                                "workspace 'ws-1' has a quota of 6 and 4 are in use");
                    });
            assertThat(read((Transaction tx) -> tx.findCompute(workspace.id(), "second"))).isEmpty();
            assertThat(used(workspace)).isEqualTo(4);
            // Another family is not limited; the location's total is.
            create(workspace, "other-family", "Standard_D2s_v3");
            write(tx -> tx.putQuotaLimit(new QuotaLimit("sub-1", "westeurope", null, null, VmPriority.Dedicated, 6)));
            assertThatThrownBy(() -> create(workspace, "third", "Standard_DS1_v2"))
                    .hasMessageContaining("needs 1 Total Cluster Dedicated Regional vCPUs",
                            "location 'westeurope' has a quota of 6 and 6 are in use");
        }

        @Test
        void concurrentCreatesNeverOversubscribe() throws Exception {
            var workspace = givenWorkspace();
            // 37 instances of 4 cores fit in 150; a 38th would need 152.
            write(tx -> tx.putQuotaLimit(new QuotaLimit("sub-1", "westeurope", null, null, VmPriority.Dedicated,
                    150)));
            int writers = 200;
            var barrier = new CyclicBarrier(writers);
            var refused = new java.util.concurrent.atomic.AtomicInteger();
            var created = new java.util.concurrent.atomic.AtomicInteger();
            var other = new java.util.concurrent.ConcurrentLinkedQueue<Throwable>();
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < writers; i++) {
                    var name = "race-" + i;
                    executor.submit(() -> {
                        awaitAll(barrier);
                        try {
                            create(workspace, name, "Standard_DS3_v2");
                            created.incrementAndGet();
                        } catch (ApiException e) {
                            if ("QuotaExceeded".equals(e.code())) {
                                refused.incrementAndGet();
                            } else {
                                other.add(e);
                            }
                        } catch (RuntimeException e) {
                            other.add(e);
                        }
                    });
                }
            }
            assertThat(other).as("outcomes other than created or QuotaExceeded").isEmpty();
            assertThat(created.get()).isEqualTo(37);
            assertThat(refused.get()).isEqualTo(writers - 37);
            assertThat(used(workspace)).isEqualTo(37 * 4);
            assertThat(read((Transaction tx) -> tx.computes(workspace.id(), 0, 1000))).hasSize(37);
        }
    }

    @Nested
    class Jobs {
        Job job(Workspace workspace, String name) {
            return new Job(UUID.randomUUID(), workspace.id(), name, "display", UUID.randomUUID(), "ci",
                    TargetKind.Cluster, "echo hi", Map.of("A", "1"), 2, 3, null, null, Job.HIGH, JobStatus.Queued, null,
                    null, ALICE, micros(T0), null, null, 0);
        }

        @Test
        void jobsAreFilteredByTheirSubmitterAndCountedAsTheyAreListed() {
            var workspace = givenWorkspace();
            var other = workspace("sub-1", "rg-1", "ws-other-jobs");
            write(tx -> tx.insertWorkspace(other));
            var base = job(workspace, "x");
            for (var name : List.of("a1", "a2", "a3")) {
                write(tx -> tx.insertJob(job(workspace, name)));
            }
            var bobs = new Job(UUID.randomUUID(), workspace.id(), "b1", null, base.computeId(), "gpu",
                    TargetKind.Attached, "echo", Map.of(), 1, 1, null, null, Job.MEDIUM, JobStatus.Running, null, null, BOB, micros(T0), null,
                    null, 0);
            write(tx -> tx.insertJob(bobs));
            write(tx -> tx.insertJob(job(other, "elsewhere")));

            var alices = new JobFilter(null, Set.of(), ALICE.objectId());
            assertThat(read((Transaction tx) -> tx.jobs(workspace.id(), alices, 0, 10))).extracting(Job::name)
                    .containsExactly("a3", "a2", "a1");
            assertThat(read((Transaction tx) -> tx.jobs(workspace.id(), alices, 1, 1))).extracting(Job::name)
                    .containsExactly("a2");
            assertThat(read((Transaction tx) -> tx.countJobs(workspace.id(), alices))).isEqualTo(3);
            assertThat(read((Transaction tx) -> tx.countJobs(workspace.id(), JobFilter.ALL))).isEqualTo(4);
            assertThat(read((Transaction tx) -> tx.countJobs(workspace.id(), new JobFilter("GPU",
                    EnumSet.of(JobStatus.Running), BOB.objectId())))).isEqualTo(1);
            assertThat(read((Transaction tx) -> tx.countJobs(workspace.id(), new JobFilter("gpu",
                    EnumSet.of(JobStatus.Running), ALICE.objectId())))).isZero();
            assertThat(read((Transaction tx) -> tx.countJobs(other.id(), JobFilter.ALL))).isEqualTo(1);
            var statusOfNew = job(workspace, "y").status();
            assertThat(read((Transaction tx) -> tx.jobsByStatus())).as("every workspace's, by status")
                    .isEqualTo(statusOfNew == JobStatus.Running ? Map.of(JobStatus.Running, 5)
                            : Map.of(statusOfNew, 4, JobStatus.Running, 1));
        }

        @Test
        void aJobMovedToRunningIsToldOnceItsTransactionCommits() {
            var workspace = givenWorkspace();
            var queued = store.inTransaction(tx -> tx.insertJob(job(workspace, "told")));
            var told = new java.util.concurrent.CopyOnWriteArrayList<String>();
            ((JdbcStore) store).onJobRunning((job, at) -> told.add(job.name() + " " + job.status() + " " + at));
            var at = micros(T0.plusSeconds(5));
            var running = new Job(queued.id(), queued.workspaceId(), queued.name(), queued.displayName(),
                    queued.computeId(), queued.computeName(), queued.target(), queued.command(),
                    queued.environment(), queued.cores(), queued.instanceCount(), queued.codeDigest(), queued.image(),
                    queued.priority(), JobStatus.Running, queued.exitCode(), queued.error(), queued.createdBy(),
                    queued.createdOn(), at, queued.endedOn(), queued.version());
            assertThatThrownBy(() -> write(tx -> {
                tx.updateJob(running);
                tx.appendJobTransition(new JobTransition(queued.id(), at, queued.status(), JobStatus.Running, "x"));
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
            assertThat(told).as("rolled back").isEmpty();
            write(tx -> {
                tx.updateJob(running);
                tx.appendJobTransition(new JobTransition(queued.id(), at, queued.status(), JobStatus.Running, "x"));
            });
            assertThat(told).containsExactly("told Running " + at);
        }

        /** A local run has no compute: the nil id, the kind Local, and it is found among the open jobs like any. */
        @Test
        void aLocalRunIsKeptWithItsKindAndNoCompute() {
            var workspace = givenWorkspace();
            var local = new Job(UUID.randomUUID(), workspace.id(), "here", null, new UUID(0, 0), "local",
                    TargetKind.Local, "make test", Map.of(), 1, 1, null, null, Job.MEDIUM, JobStatus.Queued, null,
                    null, ALICE, micros(T0), null, null, 0);
            write(tx -> tx.insertJob(local));

            var read = read((Transaction tx) -> tx.job(local.id())).orElseThrow();
            assertThat(read.target()).isEqualTo(TargetKind.Local);
            assertThat(read.computeId()).isEqualTo(new UUID(0, 0));
            assertThat(read.computeName()).isEqualTo("local");
            assertThat(read((Transaction tx) -> tx.jobsInStatus(EnumSet.of(JobStatus.Queued)))).extracting(Job::id)
                    .contains(local.id());
        }

        @Test
        void aDeletedJobGoesWithItsHistoryAndItsEngineRecord() {
            var workspace = givenWorkspace();
            var gone = store.inTransaction(tx -> tx.insertJob(job(workspace, "gone")));
            var kept = store.inTransaction(tx -> tx.insertJob(job(workspace, "kept")));
            write(tx -> tx.appendJobTransition(new JobTransition(gone.id(), micros(T0), null, JobStatus.Queued,
                    "submitted")));
            write(tx -> tx.insertEngineJob(gone.id(), new EngineJobRef("7", "/shared/7", "alice1"), T0));
            assertThat((boolean) store.inTransaction(tx -> tx.deleteJob(gone.id()))).isTrue();
            assertThat(read((Transaction tx) -> tx.job(gone.id()))).isEmpty();
            assertThat(read((Transaction tx) -> tx.jobHistory(gone.id()))).isEmpty();
            assertThat(read((Transaction tx) -> tx.engineJobs(List.of(gone.id())))).isEmpty();
            assertThat(read((Transaction tx) -> tx.job(kept.id()))).contains(kept);
            assertThat((boolean) store.inTransaction(tx -> tx.deleteJob(gone.id()))).as("gone already").isFalse();
        }

        @Test
        void aSparkJobKeepsItsApplication() {
            var workspace = givenWorkspace();
            var base = job(workspace, "spark");
            var app = new dev.hangar.core.spi.engine.SparkApplication("demo.Sum", null, List.of("100", "a b"),
                    List.of("lib/app.jar"), List.of("deps.zip"), List.of("data.csv"), List.of("env.tgz#env"),
                    Map.of("spark.executor.memory", "2g"));
            var spark = new Job(base.id(), base.workspaceId(), base.name(), base.displayName(), base.computeId(),
                    base.computeName(), TargetKind.Attached, "spark-submit --class demo.Sum lib/app.jar 100 'a b'",
                    base.environment(), 1, 1, null, null, base.priority(), base.status(), null, null,
                    base.createdBy(), base.createdOn(), null, null, 0, app);
            var stored = store.inTransaction(tx -> tx.insertJob(spark));
            assertThat(read((Transaction tx) -> tx.job(spark.id()))).contains(stored);
            assertThat(stored.spark()).isEqualTo(app);
            assertThat(stored.jobType()).isEqualTo("Spark");
            var moved = store.inTransaction(tx -> tx.updateJob(stored.moveTo(JobStatus.Starting, T0)));
            assertThat(read((Transaction tx) -> tx.job(spark.id())).orElseThrow().spark()).isEqualTo(app);
            assertThat(moved.spark()).isEqualTo(app);
        }

        @Test
        void aJobInTheComputesOwnEnvironmentKeepsTheVersionItNamed() {
            var workspace = givenWorkspace();
            var base = job(workspace, "own");
            var own = new Job(base.id(), base.workspaceId(), base.name(), base.displayName(), base.computeId(),
                    base.computeName(), base.target(), base.command(), base.environment(), base.cores(),
                    base.instanceCount(), null,
                    Job.Image.own("hangar-instance", "1"), base.priority(), base.status(), null, null,
                    base.createdBy(), base.createdOn(), null, null, 0);
            var stored = store.inTransaction(tx -> tx.insertJob(own));
            assertThat(read((Transaction tx) -> tx.job(own.id()))).contains(stored);
            assertThat(stored.image().inContainer()).isFalse();
        }

        @Test
        void jobsRoundTripAreFoundByNameAndQueueInTheOrderTheyCame() {
            var workspace = givenWorkspace();
            var first = store.inTransaction(tx -> tx.insertJob(job(workspace, "first")));
            var second = store.inTransaction(tx -> tx.insertJob(job(workspace, "second")));
            assertThat(first.version()).isEqualTo(1);
            assertThat(read((Transaction tx) -> tx.findJob(workspace.id(), "FIRST"))).contains(first);
            assertThatThrownBy(() -> write(tx -> tx.insertJob(job(workspace, "First"))))
                    .isInstanceOf(ConcurrentUpdateException.class);

            var started = store.inTransaction(tx -> tx.updateJob(first.moveTo(JobStatus.Starting, micros(T0))));
            assertThat(started.version()).isEqualTo(2);
            assertThatThrownBy(() -> write(tx -> tx.updateJob(first.moveTo(JobStatus.Canceled, micros(T0)))))
                    .as("a stale version loses").isInstanceOf(ConcurrentUpdateException.class);
            var ended = store.inTransaction(tx -> tx.updateJob(started.moveTo(JobStatus.Running, micros(T0))
                    .end(JobStatus.Failed, micros(T0.plusSeconds(5)), 3,
                            ComputeError.of("JobFailed", "exited with 3"))));
            assertThat(read((Transaction tx) -> tx.job(first.id()))).contains(ended);
            assertThat(ended.startedOn()).isEqualTo(micros(T0));
            assertThat(ended.exitCode()).isEqualTo(3);
            assertThat(ended.instanceCount()).isEqualTo(3);
            assertThat(ended.target()).as("the kind of compute it was submitted to").isEqualTo(TargetKind.Cluster);

            assertThat(read((Transaction tx) -> tx.jobsInStatus(EnumSet.of(JobStatus.Queued))))
                    .containsExactly(second);
            assertThat(read((Transaction tx) -> tx.jobs(workspace.id(), JobFilter.ALL, 0, 10))).extracting(Job::name)
                    .containsExactly("second", "first");
            assertThat(read((Transaction tx) -> tx.jobs(workspace.id(), new JobFilter("CI",
                    EnumSet.of(JobStatus.Failed)), 0, 10))).extracting(Job::name).containsExactly("first");
            assertThat(read((Transaction tx) -> tx.jobs(workspace.id(), new JobFilter("other", Set.of()), 0, 10)))
                    .isEmpty();
            write(tx -> tx.appendJobTransition(new JobTransition(first.id(), micros(T0), null, JobStatus.Queued,
                    "submitted")));
            write(tx -> tx.appendJobTransition(new JobTransition(first.id(), micros(T0), JobStatus.Queued,
                    JobStatus.Starting, "starting")));
            assertThat(read((Transaction tx) -> tx.jobHistory(first.id()))).extracting(JobTransition::to)
                    .containsExactly(JobStatus.Queued, JobStatus.Starting);
        }

        @Test
        void codeSnapshotsAreAWorkspacesOwnAndJobsKeepTheirsAndTheirPriority() {
            var workspace = givenWorkspace();
            var other = workspace("sub-1", "rg-1", "ws-2");
            write(tx -> tx.insertWorkspace(other));
            var digest = "ab".repeat(32);
            var code = new CodeSnapshot(workspace.id(), digest, 3, 1234, ALICE, micros(T0));
            write(tx -> tx.insertCode(code));
            assertThat(read((Transaction tx) -> tx.findCode(workspace.id(), digest))).contains(code);
            assertThat(read((Transaction tx) -> tx.findCode(other.id(), digest))).isEmpty();
            assertThatThrownBy(() -> write(tx -> tx.insertCode(code))).isInstanceOf(ConcurrentUpdateException.class);

            var base = job(workspace, "with-code");
            var withCode = new Job(base.id(), base.workspaceId(), base.name(), base.displayName(), base.computeId(),
                    base.computeName(), base.target(), base.command(), base.environment(), base.cores(),
                    base.instanceCount(), digest,
                    new Job.Image("py", "3", "localhost/python:3.12"), Job.LOW,
                    base.status(), null, null, ALICE, base.createdOn(), null, null, 0);
            var stored = store.inTransaction(tx -> tx.insertJob(withCode));
            assertThat(read((Transaction tx) -> tx.job(stored.id()))).contains(stored);
            assertThat(stored.codeDigest()).isEqualTo(digest);
            assertThat(stored.priority()).isEqualTo(Job.LOW);
            assertThat(stored.image()).isEqualTo(new Job.Image("py", "3", "localhost/python:3.12"));
        }
    }

    @Nested
    class Clusters {
        ComputeCluster cluster(Workspace workspace, String name) {
            return new ComputeCluster(UUID.randomUUID(), workspace.id(), name, "Standard_D2s_v3",
                    VmPriority.LowPriority, new ScaleSettings(0, 4, Duration.ofSeconds(90)), ClusterState.Creating,
                    "nodes", Map.of("team", "ml"), ALICE, List.of(), "local", micros(T0), micros(T0), 0);
        }

        @Test
        void aClusterSharesItsNameWithNoInstanceAndKeepsItsSettings() {
            var workspace = givenWorkspace();
            var stored = store.inTransaction(tx -> tx.insertCluster(cluster(workspace, "train")));
            assertThat(stored.version()).isEqualTo(1);
            assertThat(read((Transaction tx) -> tx.findCluster(workspace.id(), "TRAIN"))).contains(stored);
            assertThat(read((Transaction tx) -> tx.cluster(stored.id()))).contains(stored);
            assertThat(read((Transaction tx) -> tx.computeNamed(workspace.id(), "TRAIN")))
                    .as("a cluster read by name, whatever its kind").contains(stored);
            assertThat(read((Transaction tx) -> tx.anyCompute(stored.id()))).contains(stored);
            assertThat(read((Transaction tx) -> tx.findCompute(workspace.id(), "train")))
                    .as("instance reads do not see clusters").isEmpty();
            assertThat(read((Transaction tx) -> tx.compute(stored.id()))).isEmpty();
            assertThat(read((Transaction tx) -> tx.allComputes())).isEmpty();
            assertThatThrownBy(() -> write(tx -> tx.insertCompute(instance(workspace.id(), "Train"))))
                    .as("one name, one compute").isInstanceOf(ConcurrentUpdateException.class);
            var box = givenInstance(workspace, "box");
            assertThat(read((Transaction tx) -> tx.computeNamed(workspace.id(), "box"))).contains(box);
            assertThat(read((Transaction tx) -> tx.anyCompute(box.id()))).contains(box);
            assertThat(read((Transaction tx) -> tx.computeNamed(workspace.id(), "none"))).isEmpty();
            assertThat(read((Transaction tx) -> tx.clusters(workspace.id(), ComputeFilter.NONE, 0, 10)))
                    .containsExactly(stored);
            assertThat(read((Transaction tx) -> tx.clusters(workspace.id(), new ComputeFilter(BOB.objectId(), null,
                    null), 0, 10))).isEmpty();

            var rescaled = store.inTransaction(tx -> tx.updateCluster(stored.withState(ClusterState.Succeeded,
                    micros(T0.plusSeconds(1))).withUpdate(new ScaleSettings(1, 2, Duration.ZERO), null, null,
                    micros(T0.plusSeconds(2)))));
            assertThat(read((Transaction tx) -> tx.cluster(stored.id()))).contains(rescaled);
            assertThat(rescaled.scale().idleTimeBeforeScaleDown()).isEqualTo(Duration.ZERO);
            assertThatThrownBy(() -> write(tx -> tx.updateCluster(stored))).as("a stale version loses")
                    .isInstanceOf(ConcurrentUpdateException.class);
        }

        @Test
        void nodesChangeOnlyFromTheVersionReadAndGoWithTheirCluster() {
            var workspace = givenWorkspace();
            var cluster = store.inTransaction(tx -> tx.insertCluster(cluster(workspace, "train")));
            var node = store.inTransaction(tx -> tx.insertNode(ClusterNode.preparing(cluster.id(), micros(T0))));
            var other = store.inTransaction(tx -> tx.insertNode(ClusterNode.preparing(cluster.id(),
                    micros(T0.plusSeconds(1)))));
            assertThat(read((Transaction tx) -> tx.nodes(cluster.id()))).containsExactly(node, other);
            var job = UUID.randomUUID();
            var running = store.inTransaction(tx -> tx.updateNode(node.moveTo(NodeState.Running, job,
                    micros(T0.plusSeconds(2)))));
            assertThat(read((Transaction tx) -> tx.node(node.id()))).contains(running);
            assertThat(running.jobId()).isEqualTo(job);
            assertThatThrownBy(() -> write(tx -> tx.updateNode(node.moveTo(NodeState.Leaving, null, micros(T0)))))
                    .as("the scaler never takes a node a job took").isInstanceOf(ConcurrentUpdateException.class);
            assertThat(read((Transaction tx) -> tx.allNodes())).hasSize(2);
            write(tx -> tx.deleteNode(other.id()));
            assertThat(read((Transaction tx) -> tx.node(other.id()))).isEmpty();
            write(tx -> tx.deleteCompute(cluster.id()));
            assertThat(read((Transaction tx) -> tx.allNodes())).isEmpty();
        }

        @Test
        void aReservationIsReplacedWhenAClustersMaximumChanges() {
            var workspace = givenWorkspace();
            var cluster = store.inTransaction(tx -> tx.insertCluster(cluster(workspace, "train")));
            var size = VmSizeCatalog.defaults().find("Standard_D2s_v3").orElseThrow();
            write(tx -> QuotaAdmission.reserve(tx, workspace, cluster.id(), "train", size, VmPriority.LowPriority, 4));
            write(tx -> QuotaAdmission.reserve(tx, workspace, cluster.id(), "train", size, VmPriority.LowPriority, 2));
            assertThat(read((Transaction tx) -> tx.coreReservations("sub-1", "westeurope")))
                    .extracting(CoreReservation::cores).containsExactly(4);
        }
    }

    @Nested
    class Attached {
        AttachedCompute slurm(Workspace workspace, String name) {
            return new AttachedCompute(UUID.randomUUID(), workspace.id(), name, "Slurm", "the team's Slurm",
                    Map.of("team", "hpc"), null, Map.of("connection", "Ssh", "address", "login.example",
                    "username", "svc"), Map.of("privateKeyData", "-----BEGIN s3cret KEY-----"),
                    AttachedCompute.JobUser.Requester, Map.of("alice", "alice1"),
                    new AttachedCompute.EngineSummary("slurm 22.05.8", "hpc", "debug", 4, 8, "svc", true), ALICE,
                    List.of(), micros(T0), micros(T0), 0);
        }

        @Test
        void anAttachmentSharesItsNameKeepsItsSettingsAndSealsItsCredentials() throws Exception {
            var workspace = givenWorkspace();
            var stored = store.inTransaction(tx -> tx.insertAttached(slurm(workspace, "hpc")));
            assertThat(stored.version()).isEqualTo(1);
            assertThat(read((Transaction tx) -> tx.findAttached(workspace.id(), "HPC"))).contains(stored);
            assertThat(read((Transaction tx) -> tx.attached(stored.id()))).contains(stored);
            assertThat(read((Transaction tx) -> tx.computeNamed(workspace.id(), "hpc"))).contains(stored);
            assertThat(read((Transaction tx) -> tx.anyCompute(stored.id()))).contains(stored)
                    .hasValueSatisfying(compute -> assertThat(compute.computeType()).isEqualTo("Slurm"));
            assertThat(read((Transaction tx) -> tx.findCompute(workspace.id(), "hpc"))).isEmpty();
            assertThat(read((Transaction tx) -> tx.findCluster(workspace.id(), "hpc"))).isEmpty();
            assertThat(read((Transaction tx) -> tx.allComputes())).isEmpty();
            assertThatThrownBy(() -> write(tx -> tx.insertCompute(instance(workspace.id(), "Hpc"))))
                    .as("one name, one compute").isInstanceOf(ConcurrentUpdateException.class);
            givenInstance(workspace, "box");
            assertThat(read((Transaction tx) -> tx.attachedComputes(workspace.id(), ComputeFilter.NONE, 0, 10)))
                    .containsExactly(stored);
            assertThat(read((Transaction tx) -> tx.allAttached())).containsExactly(stored);

            String raw;
            try (var connection = java.sql.DriverManager.getConnection(config.jdbcUrl(), config.username(),
                    config.password());
                 var statement = connection.prepareStatement("SELECT attachment_secrets FROM computes WHERE id = ?")) {
                statement.setObject(1, stored.id());
                try (var rows = statement.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    raw = rows.getString(1);
                }
            }
            assertThat(raw).doesNotContain("s3cret").startsWith(SecretBox.PREFIX);

            var changed = store.inTransaction(tx -> tx.updateAttached(stored.withErrors(List.of(
                    dev.hangar.core.compute.ComputeError.of("SlurmControllerUnreachable", "no answer")))));
            assertThat(changed.version()).isEqualTo(2);
            assertThatThrownBy(() -> write(tx -> tx.updateAttached(stored)))
                    .as("a stale version").isInstanceOf(ConcurrentUpdateException.class);
            write(tx -> tx.deleteCompute(stored.id()));
            assertThat(read((Transaction tx) -> tx.attached(stored.id()))).isEmpty();
        }

        /**
         * Attaches that each take the attach lock, look whether the login node is attached anywhere and record it if
         * not: however many race, in whichever workspaces, one records it. Without the lock all would.
         */
        @Test
        void theAttachLockLetsOneOfConcurrentAttachesFindTheResourceFree() throws Exception {
            var first = givenWorkspace();
            var second = workspace("sub-1", "rg-1", "ws-2");
            write(tx -> tx.insertWorkspace(second));

            var outcomes = race(6, (writer, tx, allReady) -> {
                allReady.run();
                tx.lockAttachments();
                if (tx.allAttached().stream().anyMatch(c -> "login.example".equals(c.settings().get("address")))) {
                    return false;
                }
                tx.insertAttached(slurm(writer % 2 == 0 ? first : second, "hpc-" + writer));
                return true;
            });

            assertThat(outcomes.losers()).allMatch(ConcurrentUpdateException.class::isInstance);
            assertThat(outcomes.winners()).containsOnlyOnce(true);
            assertThat(read((Transaction tx) -> tx.allAttached())).hasSize(1);
        }

        @Test
        void whereAnEngineRunsAJobIsRecordedOnce() {
            var job = UUID.randomUUID();
            var ref = new EngineJobRef("4242", "/shared/hangar/" + job, "alice1");
            write(tx -> tx.insertEngineJob(job, ref, T0));
            assertThat(read((Transaction tx) -> tx.engineJobs(List.of(job, UUID.randomUUID()))))
                    .containsExactly(Map.entry(job, ref));
            assertThatThrownBy(() -> write(tx -> tx.insertEngineJob(job, ref, T0)))
                    .isInstanceOf(RuntimeException.class);
        }
    }

    @Nested
    class Environments {
        @Test
        void versionsAreAWorkspacesOwnFoundInAnyCaseAndListedNewestFirst() {
            var workspace = givenWorkspace();
            var first = new EnvironmentVersion(workspace.id(), "Py", "1", "localhost/python:3.11", "plain",
                    Map.of("team", "ml"), false, ALICE, micros(T0));
            write(tx -> tx.insertEnvironment(first));
            write(tx -> tx.insertEnvironment(new EnvironmentVersion(workspace.id(), "py", "2", "localhost/python:3.12",
                    null, null, true, ALICE, micros(T0))));
            assertThat(read((Transaction tx) -> tx.findEnvironment(workspace.id(), "PY", "1"))).contains(first);
            assertThat(read((Transaction tx) -> tx.environmentVersions(workspace.id(), "py")))
                    .extracting(EnvironmentVersion::version).containsExactly("2", "1");
            assertThatThrownBy(() -> write(tx -> tx.insertEnvironment(first)))
                    .isInstanceOf(ConcurrentUpdateException.class);
            var other = workspace("sub-1", "rg-1", "ws-2");
            write(tx -> tx.insertWorkspace(other));
            assertThat(read((Transaction tx) -> tx.environmentVersions(other.id(), "py"))).isEmpty();
        }

        @Test
        void theLatestVersionOfEachNameIsListedByName() {
            var workspace = givenWorkspace();
            for (var version : List.of(new String[] {"zeta", "1"}, new String[] {"Alpha", "1"},
                    new String[] {"zeta", "2"}, new String[] {"alpha", "0"})) {
                write(tx -> tx.insertEnvironment(new EnvironmentVersion(workspace.id(), version[0], version[1],
                        "localhost/x:" + version[1], null, null, false, ALICE, micros(T0))));
            }
            assertThat(read((Transaction tx) -> tx.latestEnvironmentVersions(workspace.id())))
                    .extracting(latest -> latest.name() + ":" + latest.version())
                    .containsExactly("alpha:0", "zeta:2");
            var other = workspace("sub-1", "rg-1", "ws-3");
            write(tx -> tx.insertWorkspace(other));
            assertThat(read((Transaction tx) -> tx.latestEnvironmentVersions(other.id()))).isEmpty();
        }
    }

    /** {@link OperationWaits} over this store, counted by {@link Commits}: what the operation long poll stands on. */
    @Nested
    class LongPolls {
        /** An administrator may read every operation; who else may is the authorization tests'. */
        static final User ADMIN = new User(UUID.randomUUID(), "admin", null, true, T0);
        final Commits commits = new Commits();

        /** An instance being created, with its operation in progress, written through the counting store. */
        Operation givenCreating(Store counted) {
            var workspace = givenWorkspace();
            var compute = instance(workspace.id(), "polled");
            var create = begin(compute, OperationKind.Create, T0);
            counted.inTransaction(tx -> {
                tx.insertCompute(compute);
                tx.insertOperation(create);
                return null;
            });
            return create;
        }

        @Test
        void anEndedOperationIsAnsweredAtOnce() {
            var counted = commits.observing(store);
            var create = givenCreating(counted);
            counted.inTransaction(tx -> {
                tx.endOperation(tx.operation(create.id()).orElseThrow().succeeded(T0.plusSeconds(1)));
                return null;
            });

            var waits = new OperationWaits(counted, commits, new AccessPolicy());
            assertThat(waits.await(ADMIN, create.id(), Duration.ofSeconds(30)).status())
                    .isEqualTo(OperationStatus.Succeeded);
        }

        @Test
        void theAnswerComesWhenTheOutcomeIsCommitted() throws Exception {
            var counted = commits.observing(store);
            var create = givenCreating(counted);
            var waits = new OperationWaits(counted, commits, new AccessPolicy());
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                var waiting = executor.submit(() -> waits.await(ADMIN, create.id(), Duration.ofSeconds(30)));
                Thread.sleep(300);
                assertThat(waiting).as("nothing changed yet").isNotDone();

                counted.inTransaction(tx -> {
                    var compute = tx.compute(create.computeId()).orElseThrow();
                    tx.updateCompute(compute.withState(InstanceState.Running, T0.plusSeconds(2)));
                    tx.endOperation(tx.operation(create.id()).orElseThrow().succeeded(T0.plusSeconds(2)));
                    return null;
                });

                // Well within the 30 s asked for: woken by the commit, not by the deadline.
                assertThat(waiting.get(10, TimeUnit.SECONDS).status()).isEqualTo(OperationStatus.Succeeded);
            }
        }

        @Test
        void aChangeOfTheComputesStateEndsTheWaitBeforeTheOperationEnds() throws Exception {
            var counted = commits.observing(store);
            var restart = givenCreating(counted);
            var waits = new OperationWaits(counted, commits, new AccessPolicy());
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                var waiting = executor.submit(() -> waits.await(ADMIN, restart.id(), Duration.ofSeconds(30)));
                Thread.sleep(300);
                counted.inTransaction(tx -> tx.updateCompute(tx.compute(restart.computeId()).orElseThrow()
                        .withErrors(List.of(ComputeError.of("Retrying", "the engine restarts")))));
                Thread.sleep(300);
                assertThat(waiting).as("a commit that leaves the state as it was does not end the wait").isNotDone();

                counted.inTransaction(tx -> tx.updateCompute(tx.compute(restart.computeId()).orElseThrow()
                        .withState(InstanceState.Running, T0.plusSeconds(2))));

                assertThat(waiting.get(10, TimeUnit.SECONDS).status()).isEqualTo(OperationStatus.InProgress);
            }
        }

        @Test
        void aWaitThatRunsOutAnswersTheOperationAsItIs() {
            var counted = commits.observing(store);
            var create = givenCreating(counted);
            var waits = new OperationWaits(counted, commits, new AccessPolicy());

            var began = System.nanoTime();
            var answer = waits.await(ADMIN, create.id(), Duration.ofSeconds(1));

            assertThat(answer.status()).isEqualTo(OperationStatus.InProgress);
            assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }

        @Test
        void anUnknownOperationIsNotFound() {
            var waits = new OperationWaits(commits.observing(store), commits, new AccessPolicy());
            assertThat(catchThrowable(() -> waits.await(ADMIN, UUID.randomUUID(), Duration.ofSeconds(5))))
                    .isInstanceOf(ApiException.class).hasMessageContaining("was not found");
        }
    }

    @Nested
    class UsersAndTokens {
        @Test
        void roundTripAndFindByNameIgnoringCase() {
            var alice = new User(UUID.randomUUID(), "Alice", "tenant-1", true, T0);
            var bob = new User(UUID.randomUUID(), "bob", null, false, null);
            write(tx -> {
                tx.insertUser(bob);
                tx.insertUser(alice);
            });

            var storedAlice = new User(alice.id(), "Alice", "tenant-1", true, micros(T0));
            assertThat(read((Transaction tx) -> tx.user(alice.id()))).contains(storedAlice);
            assertThat(read((Transaction tx) -> tx.findUser("ALICE"))).contains(storedAlice);
            assertThat(read((Transaction tx) -> tx.findUser("carol"))).isEmpty();
            assertThat(read((Transaction tx) -> tx.user(UUID.randomUUID()))).isEmpty();
            assertThat(read((Transaction tx) -> tx.users())).containsExactly(storedAlice, bob);
        }

        @Test
        void refusesATakenNameInAnyCase() {
            write(tx -> tx.insertUser(new User(UUID.randomUUID(), "alice", null, false, T0)));

            assertThatThrownBy(() -> write(tx -> tx.insertUser(new User(UUID.randomUUID(), "ALICE", null, false, T0))))
                    .isInstanceOf(ConcurrentUpdateException.class);
        }

        @Test
        void findsTokensByTheirSecretHashOnly() {
            var alice = new User(UUID.randomUUID(), "alice", null, false, T0);
            var token = new ApiToken(UUID.randomUUID(), alice.id(), "cli", "9f86d081884c7d65", T0,
                    T0.plusSeconds(3600), null);
            write(tx -> {
                tx.insertUser(alice);
                tx.insertToken(token);
            });

            assertThat(read((Transaction tx) -> tx.findToken("9f86d081884c7d65")))
                    .contains(new ApiToken(token.id(), alice.id(), "cli", "9f86d081884c7d65", micros(T0),
                            micros(T0.plusSeconds(3600)), null));
            assertThat(read((Transaction tx) -> tx.findToken("9F86D081884C7D65"))).isEmpty();
            assertThatThrownBy(() -> write(tx -> tx.insertToken(
                    new ApiToken(UUID.randomUUID(), alice.id(), "other", "9f86d081884c7d65", T0, null, null))))
                    .isInstanceOf(ConcurrentUpdateException.class);
        }

        @Test
        void listsAUsersTokensAndRevokesOnce() {
            var alice = new User(UUID.randomUUID(), "alice", null, false, T0);
            var first = new ApiToken(UUID.randomUUID(), alice.id(), "initial", "hash-a", T0, null, null);
            var second = new ApiToken(UUID.randomUUID(), alice.id(), "laptop", "hash-b", T0.plusSeconds(1),
                    T0.plusSeconds(86_400), null);
            write(tx -> {
                tx.insertUser(alice);
                tx.insertToken(first);
                tx.insertToken(second);
            });

            write(tx -> tx.revokeToken(second.id(), T0.plusSeconds(5)));
            write(tx -> tx.revokeToken(second.id(), T0.plusSeconds(9)));

            assertThat(read((Transaction tx) -> tx.tokens(alice.id()))).extracting(ApiToken::name)
                    .containsExactly("initial", "laptop");
            var revoked = read((Transaction tx) -> tx.token(second.id())).orElseThrow();
            assertThat(revoked.revokedOn()).as("the first revocation stands").isEqualTo(micros(T0.plusSeconds(5)));
            assertThat(revoked.state(T0.plusSeconds(6))).isEqualTo(ApiToken.State.Revoked);
            assertThat(first.state(T0.plusSeconds(1_000_000_000))).isEqualTo(ApiToken.State.Active);
            assertThat(new ApiToken(UUID.randomUUID(), alice.id(), "x", "h", T0, T0.plusSeconds(10), null)
                    .state(T0.plusSeconds(10))).isEqualTo(ApiToken.State.Expired);
        }
    }

    // Races

    record Outcomes<T>(List<T> winners, List<Throwable> losers) {
    }

    /** One of several racing transactions; it calls {@code allReady} where all writers must have arrived. */
    interface Writer<T> {
        T write(int writer, Transaction tx, Runnable allReady);
    }

    /** Runs {@code writers} transactions at once, so that they contend for the same rows. */
    <T> Outcomes<T> race(int writers, Writer<T> writer) throws InterruptedException {
        var barrier = new CyclicBarrier(writers);
        var futures = new ArrayList<Future<T>>();
        try (var threads = Executors.newFixedThreadPool(writers)) {
            for (int i = 0; i < writers; i++) {
                int id = i;
                futures.add(threads.submit(() -> store.inTransaction(tx -> writer.write(id, tx,
                        () -> awaitAll(barrier)))));
            }
        }
        var winners = new ArrayList<T>();
        var losers = new ArrayList<Throwable>();
        for (var future : futures) {
            try {
                winners.add(future.get(1, TimeUnit.MINUTES));
            } catch (ExecutionException e) {
                losers.add(e.getCause());
            } catch (TimeoutException e) {
                throw new AssertionError("A writer did not finish", e);
            }
        }
        return new Outcomes<>(winners, losers);
    }

    private static void awaitAll(CyclicBarrier barrier) {
        try {
            barrier.await(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (BrokenBarrierException | TimeoutException e) {
            throw new IllegalStateException("The writers did not all start", e);
        }
    }

}
