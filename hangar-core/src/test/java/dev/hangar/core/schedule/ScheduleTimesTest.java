package dev.hangar.core.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hangar.core.error.ApiException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTimesTest {
    private static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");

    @Test
    void aWindowsTimeZoneNameIsItsIanaZoneAndNoneIsUtc() {
        assertThat(ScheduleZones.of("Pacific Standard Time", "f")).isEqualTo(LOS_ANGELES);
        assertThat(ScheduleZones.of("W. Europe Standard Time", "f")).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(ScheduleZones.of("Asia/Tokyo", "f")).isEqualTo(ZoneId.of("Asia/Tokyo"));
        assertThat(ScheduleZones.of(null, "f").getId()).isEqualTo("Z");
        var failure = catchThrowableOfType(ApiException.class, () -> ScheduleZones.of("Mars Standard Time", "tz"));
        assertThat(failure.code()).isEqualTo("InvalidTimeZone");
        assertThat(failure.target()).isEqualTo("tz");
    }

    @Test
    void aCronScheduleKeepsItsWallClockTimeAcrossTheAutumnChange() {
        // Stop at 18:00 in Los Angeles, every day: 01:00 UTC in summer time, 02:00 UTC once the clocks go back.
        var stop = cron("0 18 * * *", "Pacific Standard Time");
        assertThat(firings(stop, Instant.parse("2026-10-30T12:00:00Z"), 4)).containsExactly(
                Instant.parse("2026-10-31T01:00:00Z"), Instant.parse("2026-11-01T01:00:00Z"),
                Instant.parse("2026-11-02T02:00:00Z"), Instant.parse("2026-11-03T02:00:00Z"));
    }

    @Test
    void aTimeTheClocksPassTwiceFiresOnceAndATimeTheySkipFiresAfterTheSkip() {
        // 01:30 happens twice on 1 November 2026 in Los Angeles: once only, the first time (PDT).
        assertThat(firings(cron("30 1 * * *", "America/Los_Angeles"), Instant.parse("2026-10-31T20:00:00Z"), 2))
                .containsExactly(Instant.parse("2026-11-01T08:30:00Z"), Instant.parse("2026-11-02T09:30:00Z"));
        // 02:30 does not happen on 8 March 2026: it fires at 03:30 PDT, as late as the skip, and no day is lost.
        assertThat(firings(cron("30 2 * * *", "America/Los_Angeles"), Instant.parse("2026-03-07T12:00:00Z"), 3))
                .containsExactly(Instant.parse("2026-03-08T10:30:00Z"), Instant.parse("2026-03-09T09:30:00Z"),
                        Instant.parse("2026-03-10T09:30:00Z"));
    }

    @Test
    void aWeeklyRecurrenceFiresOnItsDaysAtItsTimesInItsZone() {
        var recurrence = new ComputeSchedule("r", true, ComputeSchedule.Action.Start, null,
                new ComputeSchedule.Recurrence(ComputeSchedule.Frequency.Week, 1, null, "W. Europe Standard Time",
                        List.of(8), List.of(0, 30), null, List.of(DayOfWeek.MONDAY, DayOfWeek.FRIDAY)));
        // Friday 23 October 2026 (summer time, UTC+2) to Monday 26 October (winter time, UTC+1).
        assertThat(firings(recurrence, Instant.parse("2026-10-23T00:00:00Z"), 4)).containsExactly(
                Instant.parse("2026-10-23T06:00:00Z"), Instant.parse("2026-10-23T06:30:00Z"),
                Instant.parse("2026-10-26T07:00:00Z"), Instant.parse("2026-10-26T07:30:00Z"));
    }

    @Test
    void recurrencesCountTheirIntervalFromTheirStart() {
        var everyOtherDay = new ComputeSchedule("d", true, ComputeSchedule.Action.Stop, null,
                new ComputeSchedule.Recurrence(ComputeSchedule.Frequency.Day, 2,
                        LocalDateTime.parse("2026-06-01T00:00:00"), "UTC", List.of(19), List.of(0), null, null));
        assertThat(firings(everyOtherDay, Instant.parse("2026-05-01T00:00:00Z"), 3)).containsExactly(
                Instant.parse("2026-06-01T19:00:00Z"), Instant.parse("2026-06-03T19:00:00Z"),
                Instant.parse("2026-06-05T19:00:00Z"));
        var monthly = new ComputeSchedule("m", true, ComputeSchedule.Action.Stop, null,
                new ComputeSchedule.Recurrence(ComputeSchedule.Frequency.Month, 1, null, "UTC", List.of(0),
                        List.of(0), List.of(1, 31), null));
        assertThat(firings(monthly, Instant.parse("2026-01-15T00:00:00Z"), 3)).containsExactly(
                Instant.parse("2026-01-31T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z"),
                Instant.parse("2026-03-01T00:00:00Z"));
        var everyTenMinutes = new ComputeSchedule("n", true, ComputeSchedule.Action.Stop, null,
                new ComputeSchedule.Recurrence(ComputeSchedule.Frequency.Minute, 10,
                        LocalDateTime.parse("2026-01-01T00:05:00"), "UTC", null, null, null, null));
        assertThat(firings(everyTenMinutes, Instant.parse("2026-01-01T00:07:00Z"), 2)).containsExactly(
                Instant.parse("2026-01-01T00:15:00Z"), Instant.parse("2026-01-01T00:25:00Z"));
    }

    @Test
    void aScheduleThatCannotFireIsRefusedWithTheFieldItIsAbout() {
        assertThat(refusal(cron("0 25 * * *", "UTC")).code()).isEqualTo("InvalidCronExpression");
        assertThat(refusal(cron("0 18 * *", "UTC")).code()).isEqualTo("InvalidCronExpression");
        assertThat(refusal(cron("0 18 * * *", "Atlantis/Capital")).code()).isEqualTo("InvalidTimeZone");
        var weekly = refusal(new ComputeSchedule("w", true, ComputeSchedule.Action.Stop, null,
                new ComputeSchedule.Recurrence(ComputeSchedule.Frequency.Week, 1, null, null, List.of(18),
                        List.of(0), null, null)));
        assertThat(weekly.code()).isEqualTo("InvalidSchedule");
        assertThat(weekly.target()).isEqualTo("s.recurrence.schedule.weekDays");
        var hour = refusal(new ComputeSchedule("h", true, ComputeSchedule.Action.Stop, null,
                new ComputeSchedule.Recurrence(ComputeSchedule.Frequency.Day, 1, null, null, List.of(24),
                        List.of(0), null, null)));
        assertThat(hour.target()).isEqualTo("s.recurrence.schedule.hours");
    }

    private static ApiException refusal(ComputeSchedule schedule) {
        return catchThrowableOfType(ApiException.class, () -> ScheduleTimes.check(schedule, "s"));
    }

    private static ComputeSchedule cron(String expression, String zone) {
        return new ComputeSchedule("c", true, ComputeSchedule.Action.Stop, new ComputeSchedule.Cron(expression, zone,
                null), null);
    }

    private static List<Instant> firings(ComputeSchedule schedule, Instant from, int count) {
        var result = new ArrayList<Instant>();
        var cursor = from;
        for (int i = 0; i < count; i++) {
            cursor = ScheduleTimes.next(schedule, cursor).orElseThrow();
            result.add(cursor);
        }
        return result;
    }
}
