package dev.hangar.server.studio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hangar.core.error.ApiException;
import dev.hangar.core.schedule.ComputeSchedule;
import dev.hangar.server.studio.InstanceForm.Schedule;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The schedule rows of the studio's forms: a refusal names its row's field, a row left as it was keeps its schedule
 * (id, start time, enabled or not), and a recurrence the rows cannot show is kept and takes a row's place.
 */
class ScheduleRowsTest {
    private static final ComputeSchedule DISABLED_STOP = new ComputeSchedule("stop-1", false,
            ComputeSchedule.Action.Stop, new ComputeSchedule.Cron("0 18 * * *", "UTC",
            LocalDateTime.of(2026, 1, 1, 0, 0)), null);
    private static final ComputeSchedule RECURRENCE = new ComputeSchedule("weekly", true,
            ComputeSchedule.Action.Start, null, new ComputeSchedule.Recurrence(ComputeSchedule.Frequency.Week, 1,
            null, "UTC", List.of(8), List.of(0), List.of(), List.of(java.time.DayOfWeek.MONDAY)));

    @Test
    void aRefusalNamesTheFieldOfItsRow() {
        var rows = List.of(new Schedule("Stop", "", "UTC"), new Schedule("Start", "0 8 * * 1-5", "UTC"),
                new Schedule("Stop", "61 25 * *", "UTC"));
        assertThatThrownBy(() -> ScheduleRows.asked(rows)).isInstanceOfSatisfying(ApiException.BadRequest.class,
                refused -> {
                    assertThat(refused.target()).isEqualTo("schedule2.cron.expression");
                    assertThat(ScheduleRows.about(refused.target(), 2, "cron")).isTrue();
                    assertThat(ScheduleRows.about(refused.target(), 2, "zone")).isFalse();
                    assertThat(ScheduleRows.about(refused.target(), 1, "cron")).isFalse();
                });
        var badZone = List.of(new Schedule("Stop", "0 18 * * *", "Nowhere/Else"));
        assertThatThrownBy(() -> ScheduleRows.asked(badZone)).isInstanceOfSatisfying(ApiException.BadRequest.class,
                refused -> assertThat(ScheduleRows.about(refused.target(), 0, "zone")).isTrue());
    }

    @Test
    void rowsWithoutACronExpressionAreNoSchedule() {
        assertThat(ScheduleRows.asked(ScheduleRows.blank(4))).isEmpty();
        assertThat(ScheduleRows.asked(List.of(new Schedule("Start", "0 8 * * *", "")))).singleElement()
                .satisfies(schedule -> assertThat(schedule.cron().timeZone()).isEqualTo("UTC"));
    }

    @Test
    void anUnchangedRowKeepsItsScheduleAndARecurrenceIsKept() {
        var current = List.of(DISABLED_STOP, RECURRENCE);
        assertThat(ScheduleRows.rowsFor(current)).isEqualTo(3);
        var rows = ScheduleRows.of(current, ScheduleRows.rowsFor(current));
        assertThat(rows).containsExactly(new Schedule("Stop", "0 18 * * *", "UTC"), new Schedule("Stop", "", "UTC"),
                new Schedule("Stop", "", "UTC"));

        var edited = List.of(rows.get(0), new Schedule("Start", "0 8 * * 1-5", "Europe/Paris"),
                new Schedule("Start", "0 8 * * 1-5", "Europe/Paris"));
        var merged = ScheduleRows.merged(current, ScheduleRows.asked(edited));
        assertThat(merged).hasSize(4);
        assertThat(merged.get(0)).as("as it was").isSameAs(DISABLED_STOP);
        assertThat(merged.get(1).id()).as("new: the service gives it an id").isNull();
        assertThat(merged.get(1).enabled()).isTrue();
        assertThat(merged.get(2).id()).isNull();
        assertThat(merged.get(3)).isSameAs(RECURRENCE);

        var cleared = ScheduleRows.merged(current, ScheduleRows.asked(ScheduleRows.blank(3)));
        assertThat(cleared).containsExactly(RECURRENCE);
    }
}
