package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.core.audit.AuditFilter;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.compute.InstanceRequest;
import dev.hangar.core.compute.InstanceState;
import dev.hangar.core.operation.Operation;
import dev.hangar.core.operation.OperationKind;
import dev.hangar.core.operation.Trigger;
import dev.hangar.core.schedule.ComputeSchedule;
import dev.hangar.core.schedule.ScheduleRunner;
import dev.hangar.core.store.Store;
import dev.hangar.core.workspace.Workspace;
import dev.hangar.testkit.time.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start/stop schedules on the real store, driven by a test clock across the end of daylight-saving time in Los
 * Angeles (1 November 2026): "stop at 18:00 every day" and "start at 08:00 on weekdays", in the Windows zone names
 * Azure's clients send, fire at those wall-clock times on both sides of the change, as operations with trigger
 * Schedule; one that finds an operation under way is skipped, with an audit event saying why.
 */
class SchedulesTest {
    private static final Instant FRIDAY_BEFORE_SIX = Instant.parse("2026-10-31T00:59:00Z"); // 17:59 PDT, 30 October

    @TempDir
    Path directory;
    Store store;
    TestClock clock;
    ComputeService computes;
    ScheduleRunner runner;
    Workspace workspace;

    @BeforeEach
    void open() {
        clock = new TestClock(FRIDAY_BEFORE_SIX.minus(Duration.ofHours(1)));
        var fixture = StoreWithAWorkspace.open(directory, clock);
        store = fixture.store();
        workspace = fixture.workspace();
        computes = fixture.computes();
        var admin = fixture.admin();
        var schedules = List.of(
                new ComputeSchedule(null, true, ComputeSchedule.Action.Stop,
                        new ComputeSchedule.Cron("0 18 * * *", "Pacific Standard Time", null), null),
                new ComputeSchedule(null, true, ComputeSchedule.Action.Start,
                        new ComputeSchedule.Cron("0 8 * * 1-5", "Pacific Standard Time", null), null),
                new ComputeSchedule(null, false, ComputeSchedule.Action.Start,
                        new ComputeSchedule.Cron("* * * * *", "UTC", null), null));
        var created = computes.createOrUpdate(admin, workspace, "box", new InstanceRequest("Standard_DS1_v2", null,
                null, null, null, null, null, null, null, schedules));
        assertThat(created.compute().schedules()).allSatisfy(schedule -> assertThat(schedule.id()).isNotBlank());
        reached(InstanceState.Running);
        clock.set(FRIDAY_BEFORE_SIX);
        runner = new ScheduleRunner(store, computes, clock, Duration.ofSeconds(1));
    }

    @AfterEach
    void close() {
        if (runner != null) {
            runner.close();
        }
        store.close();
    }

    @Test
    void schedulesFireAtTheirWallClockTimesOnBothSidesOfTheChange() {
        runner.look();
        assertThat(active()).as("not yet 18:00 in Los Angeles").isEmpty();

        clock.advance(Duration.ofMinutes(2));
        runner.look();
        var stop = active().orElseThrow();
        assertThat(stop.kind()).isEqualTo(OperationKind.Stop);
        assertThat(stop.trigger()).isEqualTo(Trigger.Schedule);
        assertThat(compute().state()).isEqualTo(InstanceState.Stopping);
        reached(InstanceState.Stopped);

        // Sunday 1 November, 18:00 PST (02:00 UTC on the 2nd): a stop of a stopped instance does nothing.
        clock.set(Instant.parse("2026-11-02T02:01:00Z"));
        runner.look();
        assertThat(active()).isEmpty();

        // Monday 2 November, 08:00 PST is 16:00 UTC; at 15:30 UTC (08:30 in summer time) nothing starts yet.
        clock.set(Instant.parse("2026-11-02T15:30:00Z"));
        runner.look();
        assertThat(active()).isEmpty();
        clock.set(Instant.parse("2026-11-02T16:00:30Z"));
        runner.look();
        var start = active().orElseThrow();
        assertThat(start.kind()).isEqualTo(OperationKind.Start);
        assertThat(start.trigger()).isEqualTo(Trigger.Schedule);
        assertThat(compute().state()).isEqualTo(InstanceState.Starting);

        // 18:00 PST comes while the start is still under way: skipped, and said so; nothing else changes.
        clock.set(Instant.parse("2026-11-03T02:00:10Z"));
        runner.look();
        assertThat(active()).contains(start);
        assertThat(compute().state()).isEqualTo(InstanceState.Starting);
        var skipped = store.read(tx -> tx.auditEvents(new AuditFilter(workspace.id(), false, null, null, null,
                ScheduleRunner.SKIPPED, "box", null, 10)));
        assertThat(skipped).singleElement().satisfies(event -> {
            assertThat(event.trigger()).isEqualTo("Schedule");
            assertThat(event.detail()).contains("could not stop box", "its Start is under way");
        });
    }

    private Optional<Operation> active() {
        var id = compute().id();
        return store.read(tx -> tx.activeOperation(id));
    }

    private ComputeInstance compute() {
        return store.read(tx -> tx.findCompute(workspace.id(), "box")).orElseThrow();
    }

    /** What the reconciler records when the operation under way reaches its state. */
    private void reached(InstanceState state) {
        var compute = compute();
        store.inTransaction(tx -> {
            tx.updateCompute(compute.withState(state, clock.instant()));
            tx.activeOperation(compute.id()).ifPresent(operation -> tx.endOperation(operation.succeeded(
                    clock.instant())));
            return null;
        });
    }
}
