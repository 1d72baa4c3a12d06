package dev.hangar.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hangar.core.access.User;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.InstanceRequest;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.operation.OperationKind;
import dev.hangar.core.operation.Trigger;
import dev.hangar.core.schedule.ComputeSchedule;
import dev.hangar.testkit.time.TestClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ComputeService.updateSchedules} on the real store: an instance's schedules are replaced whole, checked as a
 * PUT's are (nothing changes when one is refused, and the refusal names the schedule), recorded as an Update
 * operation, and nothing else of the instance changes; a user without {@code computes/write} is refused.
 */
class ScheduleUpdateTest {
    @TempDir
    Path directory;
    StoreWithAWorkspace fixture;
    User admin;

    @BeforeEach
    void open() {
        fixture = StoreWithAWorkspace.open(directory, new TestClock(Instant.parse("2026-12-07T10:00:00Z")));
        admin = fixture.admin();
        fixture.computes().createOrUpdate(admin, fixture.workspace(), "box", new InstanceRequest("Standard_DS1_v2",
                "mine", Map.of("team", "a"), null, null, null, null, null, null, List.of(cron(ComputeSchedule.Action.Stop,
                        "0 18 * * *", "UTC"))));
    }

    @AfterEach
    void close() {
        fixture.store().close();
    }

    @Test
    void theSchedulesAreReplacedWholeAndNothingElseChanges() {
        var updated = fixture.computes().updateSchedules(admin, fixture.workspace(), "box", List.of(
                cron(ComputeSchedule.Action.Start, "0 8 * * 1-5", "W. Europe Standard Time"),
                cron(ComputeSchedule.Action.Stop, "30 19 * * 1-5", "Europe/Paris")));

        assertThat(compute().schedules()).extracting(schedule -> schedule.action() + " " + schedule.cron()
                .expression() + " " + schedule.cron().timeZone()).containsExactly(
                "Start 0 8 * * 1-5 W. Europe Standard Time", "Stop 30 19 * * 1-5 Europe/Paris");
        assertThat(compute().schedules()).allSatisfy(schedule -> assertThat(schedule.id()).isNotBlank());
        assertThat(compute().description()).isEqualTo("mine");
        assertThat(compute().tags()).containsExactly(Map.entry("team", "a"));
        assertThat(updated.operation().kind()).isEqualTo(OperationKind.Update);
        assertThat(updated.operation().trigger()).isEqualTo(Trigger.User);
        var recorded = fixture.store().read(tx -> tx.operation(updated.operation().id())).orElseThrow();
        assertThat(recorded.kind()).isEqualTo(OperationKind.Update);
        assertThat(recorded.status().name()).isEqualTo("Succeeded");
        assertThat(recorded.computeId()).isEqualTo(compute().id());

        fixture.computes().updateSchedules(admin, fixture.workspace(), "box", List.of());
        assertThat(compute().schedules()).isEmpty();
    }

    @Test
    void aScheduleThatCannotFireIsRefusedByItsIndexAndNothingChanges() {
        var before = compute().schedules();
        assertThatThrownBy(() -> fixture.computes().updateSchedules(admin, fixture.workspace(), "box", List.of(
                cron(ComputeSchedule.Action.Start, "0 8 * * 1-5", "UTC"),
                cron(ComputeSchedule.Action.Stop, "61 25 * *", "UTC"))))
                .isInstanceOfSatisfying(ApiException.BadRequest.class, refused -> {
                    assertThat(refused.code()).isEqualTo("InvalidCronExpression");
                    assertThat(refused.target()).endsWith("computeStartStop[1].cron.expression");
                });
        assertThatThrownBy(() -> fixture.computes().updateSchedules(admin, fixture.workspace(), "box", List.of(
                cron(ComputeSchedule.Action.Start, "0 8 * * 1-5", "Mars/Olympus"))))
                .isInstanceOfSatisfying(ApiException.BadRequest.class, refused ->
                        assertThat(refused.target()).endsWith("computeStartStop[0].cron.timeZone"));
        assertThat(compute().schedules()).isEqualTo(before);
    }

    @Test
    void aUserWithoutWriteIsRefusedAndNothingChanges() {
        var before = compute().schedules();
        var nobody = new User(UUID.randomUUID(), "nobody", null, false, Instant.now());
        fixture.store().inTransaction(tx -> {
            tx.insertUser(nobody);
            return null;
        });
        assertThatThrownBy(() -> fixture.computes().updateSchedules(nobody, fixture.workspace(), "box", List.of()))
                .isInstanceOf(ApiException.Forbidden.class);
        assertThat(compute().schedules()).isEqualTo(before);
    }

    private static ComputeSchedule cron(ComputeSchedule.Action action, String expression, String zone) {
        return new ComputeSchedule(null, true, action, new ComputeSchedule.Cron(expression, zone, null), null);
    }

    private ComputeInstance compute() {
        return fixture.store().read(tx -> tx.findCompute(fixture.workspace().id(), "box")).orElseThrow();
    }
}
