package dev.hangar.core.schedule;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.hangar.core.error.ApiException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * When schedules fire. Both kinds are worked out on the wall clock of the schedule's zone, then placed in it: a time
 * the clocks skip (02:30 when they jump from 02:00 to 03:00) fires as much later as the skip (03:30), and a time they
 * pass twice (01:30 when they go back) fires once, the first time. So a daylight-saving change neither drops a
 * firing nor doubles one.
 */
public final class ScheduleTimes {
    public static final String INVALID = "InvalidSchedule";
    public static final String INVALID_CRON = "InvalidCronExpression";
    /** Where a recurrence's intervals are counted from when it has no start time: a Monday. */
    static final LocalDateTime NO_START = LocalDateTime.of(2000, 1, 3, 0, 0);
    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    /** How far ahead a firing is looked for; a schedule with none that near never fires. */
    private static final int HORIZON_DAYS = 5 * 366;

    private ScheduleTimes() {
    }

    /** Refuses a schedule that cannot fire as written: 400 with the field it is about. */
    public static void check(ComputeSchedule schedule, String field) {
        if (schedule.cron() != null) {
            var cron = schedule.cron();
            ScheduleZones.of(cron.timeZone(), field + ".cron.timeZone");
            try {
                CRON.parse(cron.expression() == null ? "" : cron.expression().strip()).validate();
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(INVALID_CRON, "'" + cron.expression() + "' is not a 5-field cron"
                        + " expression (minute hour day-of-month month day-of-week, e.g. '0 18 * * 1-5'): "
                        + e.getMessage(), field + ".cron.expression");
            }
            return;
        }
        var recurrence = schedule.recurrence();
        ScheduleZones.of(recurrence.timeZone(), field + ".recurrence.timeZone");
        if (recurrence.frequency() == null) {
            throw ApiException.badRequest(INVALID, "A recurrence needs a frequency: Minute, Hour, Day, Week or"
                    + " Month.", field + ".recurrence.frequency");
        }
        if (recurrence.interval() < 1 || recurrence.interval() > 1000) {
            throw ApiException.badRequest(INVALID, "A recurrence's interval is from 1 to 1000, not "
                    + recurrence.interval() + ".", field + ".recurrence.interval");
        }
        within(recurrence.hours(), 0, 23, "hours", field);
        within(recurrence.minutes(), 0, 59, "minutes", field);
        within(recurrence.monthDays(), 1, 31, "monthDays", field);
        var daily = recurrence.frequency().compareTo(ComputeSchedule.Frequency.Day) >= 0;
        if (daily && recurrence.hours().isEmpty()) {
            throw ApiException.badRequest(INVALID, "A " + recurrence.frequency() + " recurrence needs the hours it"
                    + " fires at (schedule.hours).", field + ".recurrence.schedule.hours");
        }
        if (recurrence.frequency() == ComputeSchedule.Frequency.Week && recurrence.weekDays().isEmpty()) {
            throw ApiException.badRequest(INVALID, "A Week recurrence needs the days it fires on (schedule.weekDays).",
                    field + ".recurrence.schedule.weekDays");
        }
        if (recurrence.frequency() == ComputeSchedule.Frequency.Month && recurrence.monthDays().isEmpty()) {
            throw ApiException.badRequest(INVALID, "A Month recurrence needs the days of the month it fires on"
                    + " (schedule.monthDays).", field + ".recurrence.schedule.monthDays");
        }
    }

    private static void within(List<Integer> values, int low, int high, String name, String field) {
        for (var value : values) {
            if (value == null || value < low || value > high) {
                throw ApiException.badRequest(INVALID, "schedule." + name + " holds " + value + "; each is from "
                        + low + " to " + high + ".", field + ".recurrence.schedule." + name);
            }
        }
    }

    /** The first instant after {@code after} the schedule fires at; empty when it never does. */
    public static Optional<Instant> next(ComputeSchedule schedule, Instant after) {
        var zone = ScheduleZones.of(schedule.cron() != null ? schedule.cron().timeZone()
                : schedule.recurrence().timeZone(), "timeZone");
        var start = schedule.cron() != null ? schedule.cron().startTime() : schedule.recurrence().startTime();
        var cursor = after.atZone(zone).toLocalDateTime();
        if (start != null && cursor.isBefore(start)) {
            // The first firing may be the start itself.
            cursor = start.minusNanos(1);
        }
        for (int tries = 0; tries < 4; tries++) {
            var wall = schedule.cron() != null ? nextCron(schedule.cron(), cursor) : nextRecurrence(
                    schedule.recurrence(), cursor);
            if (wall.isEmpty()) {
                return Optional.empty();
            }
            var placed = ZonedDateTime.ofLocal(wall.get(), zone, null).toInstant();
            if (placed.isAfter(after)) {
                return Optional.of(placed);
            }
            // The second pass of a time the clocks went back over, or the skipped part of a gap: already fired.
            cursor = wall.get();
        }
        return Optional.empty();
    }

    /** The next wall-clock time after {@code cursor} the expression names, evaluated as if the wall clock were UTC. */
    private static Optional<LocalDateTime> nextCron(ComputeSchedule.Cron cron, LocalDateTime cursor) {
        var execution = ExecutionTime.forCron(CRON.parse(cron.expression().strip()));
        return execution.nextExecution(cursor.atZone(ZoneOffset.UTC)).map(ZonedDateTime::toLocalDateTime);
    }

    private static Optional<LocalDateTime> nextRecurrence(ComputeSchedule.Recurrence recurrence,
                                                          LocalDateTime cursor) {
        var base = recurrence.startTime() != null ? recurrence.startTime() : NO_START;
        int interval = recurrence.interval();
        if (recurrence.frequency() == ComputeSchedule.Frequency.Minute) {
            long since = ChronoUnit.MINUTES.between(base, cursor);
            long steps = since < 0 ? 0 : since / interval + 1;
            return Optional.of(base.plusMinutes(steps * interval));
        }
        var minutes = new TreeSet<>(recurrence.minutes().isEmpty() ? List.of(0) : recurrence.minutes());
        var weekBase = base.toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        for (var day = cursor.toLocalDate(); !day.isAfter(cursor.toLocalDate().plusDays(HORIZON_DAYS));
             day = day.plusDays(1)) {
            if (!firesOn(recurrence, base.toLocalDate(), weekBase, day)) {
                continue;
            }
            for (int hour = 0; hour < 24; hour++) {
                if (!firesAt(recurrence, base, day, hour)) {
                    continue;
                }
                for (var minute : minutes) {
                    var candidate = day.atTime(hour, minute);
                    if (candidate.isAfter(cursor) && !candidate.isBefore(base)) {
                        return Optional.of(candidate);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static boolean firesOn(ComputeSchedule.Recurrence recurrence, LocalDate base, LocalDate weekBase,
                                   LocalDate day) {
        int interval = recurrence.interval();
        return switch (recurrence.frequency()) {
            case Minute, Hour -> true;
            case Day -> Math.floorMod(ChronoUnit.DAYS.between(base, day), interval) == 0;
            case Week -> recurrence.weekDays().contains(day.getDayOfWeek()) && Math.floorMod(ChronoUnit.WEEKS.between(
                    weekBase, day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))), interval) == 0;
            case Month -> recurrence.monthDays().contains(day.getDayOfMonth()) && Math.floorMod(
                    ChronoUnit.MONTHS.between(base.withDayOfMonth(1), day.withDayOfMonth(1)), interval) == 0;
        };
    }

    private static boolean firesAt(ComputeSchedule.Recurrence recurrence, LocalDateTime base, LocalDate day,
                                   int hour) {
        if (recurrence.frequency() == ComputeSchedule.Frequency.Hour) {
            var hoursSince = ChronoUnit.HOURS.between(base.truncatedTo(ChronoUnit.HOURS), day.atTime(hour, 0));
            return Math.floorMod(hoursSince, recurrence.interval()) == 0
                    && (recurrence.hours().isEmpty() || recurrence.hours().contains(hour));
        }
        return recurrence.hours().contains(hour);
    }

    /** The zone a schedule's times are in. */
    public static ZoneId zone(ComputeSchedule schedule) {
        return ScheduleZones.of(schedule.cron() != null ? schedule.cron().timeZone() : schedule.recurrence().timeZone(),
                "timeZone");
    }
}
