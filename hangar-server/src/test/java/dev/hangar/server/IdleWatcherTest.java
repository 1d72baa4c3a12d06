package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.core.audit.AuditFilter;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.compute.InstanceRequest;
import dev.hangar.core.compute.InstanceState;
import dev.hangar.core.idle.Activity;
import dev.hangar.core.idle.IdleWatcher;
import dev.hangar.core.operation.Operation;
import dev.hangar.core.operation.OperationKind;
import dev.hangar.core.operation.Trigger;
import dev.hangar.core.store.Store;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.testkit.time.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The idle watcher's decisions on the real store, driven by a test clock and one activity source the test sets: a
 * source that cannot tell (a Jupyter too loaded to answer) never lets an instance be warned of or stopped, however
 * long it cannot; a source that knows of no use lets it be, after a warning, once its idle time has passed.
 */
class IdleWatcherTest {
    private static final Duration IDLE_TIME = Duration.ofMinutes(15);

    @TempDir
    Path directory;
    Store store;
    TestClock clock;
    ComputeService computes;
    Workspace workspace;
    final AtomicReference<Activity> jupyter = new AtomicReference<>(Activity.none());
    IdleWatcher watcher;

    @BeforeEach
    void open() {
        clock = new TestClock(Instant.parse("2026-12-07T09:00:00Z"));
        var fixture = StoreWithAWorkspace.open(directory, clock);
        store = fixture.store();
        workspace = fixture.workspace();
        computes = fixture.computes();
        computes.createOrUpdate(fixture.admin(), workspace, "box", new InstanceRequest("Standard_DS1_v2", null, null, null,
                null, null, null, null, IDLE_TIME, List.of()));
        reachedRunning();
        watcher = new IdleWatcher(store, computes, List.of((compute, now) -> jupyter.get()), clock,
                Duration.ofHours(1));
    }

    @AfterEach
    void close() {
        watcher.close();
        store.close();
    }

    @Test
    void anInstanceWhoseUseCannotBeToldIsNeitherWarnedOfNorStopped() {
        jupyter.set(Activity.unknown("Jupyter did not answer"));
        for (int minute = 1; minute <= 60; minute++) {
            clock.advance(Duration.ofMinutes(1));
            watcher.look();
        }
        assertThat(active()).as("no stop while Jupyter cannot tell").isEmpty();
        assertThat(warnings()).isZero();

        // Jupyter answers again, and knows of no use: the idle time runs from the last use known, the start.
        jupyter.set(Activity.none());
        watcher.look();
        assertThat(warnings()).isOne();
        assertThat(active()).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        watcher.look();
        var stop = active().orElseThrow();
        assertThat(stop.kind()).isEqualTo(OperationKind.Stop);
        assertThat(stop.trigger()).isEqualTo(Trigger.IdleShutdown);
    }

    @Test
    void aKernelSeenBusyOnceKeepsTheInstanceFromThenEvenWhenJupyterStopsAnswering() {
        clock.advance(Duration.ofMinutes(10));
        jupyter.set(Activity.at(clock.instant()));
        watcher.look();
        jupyter.set(Activity.unknown("Jupyter did not answer"));
        clock.advance(Duration.ofMinutes(5));
        watcher.look();
        jupyter.set(Activity.none());
        clock.advance(Duration.ofMinutes(2));
        watcher.look();
        assertThat(warnings()).as("17 minutes since the start, but 7 since the busy kernel").isZero();
        clock.advance(Duration.ofMinutes(4));
        watcher.look();
        assertThat(warnings()).isOne();
        assertThat(active()).isEmpty();
        clock.advance(Duration.ofMinutes(5));
        watcher.look();
        assertThat(active()).map(Operation::trigger).contains(Trigger.IdleShutdown);
    }

    private long warnings() {
        return store.read(tx -> tx.auditEvents(new AuditFilter(workspace.id(), false, null, null, null,
                IdleWatcher.WARNING, "box", null, 10))).size();
    }

    private Optional<Operation> active() {
        var id = compute().id();
        return store.read(tx -> tx.activeOperation(id));
    }

    private ComputeInstance compute() {
        return store.read(tx -> tx.findCompute(workspace.id(), "box")).orElseThrow();
    }

    /** What the reconciler records when the create reaches Running. */
    private void reachedRunning() {
        var compute = compute();
        store.inTransaction(tx -> {
            tx.updateCompute(compute.withState(InstanceState.Running, clock.instant()));
            tx.activeOperation(compute.id()).ifPresent(operation -> tx.endOperation(operation.succeeded(
                    clock.instant())));
            return null;
        });
    }
}
