package dev.hangar.core.schedule;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;

/**
 * One of an instance's start/stop schedules ({@code schedules.computeStartStop[]}), as Azure ML's wire format has it:
 * an action fired by a cron expression or a recurrence, in a time zone, enabled or not. What fires when is
 * {@link ScheduleTimes}' to say.
 *
 * @param id Hangar's id of the schedule, given when the instance is created
 * @param cron set when {@code triggerType} is {@code Cron}; {@code recurrence} when it is {@code Recurrence}
 */
public record ComputeSchedule(String id, boolean enabled, Action action, Cron cron, Recurrence recurrence) {

    /** What a schedule does. */
    public enum Action {
        Start, Stop
    }

    /** How often a recurrence fires. */
    public enum Frequency {
        Minute, Hour, Day, Week, Month
    }

    /**
     * A 5-field cron expression (minute, hour, day of month, month, day of week), read on the wall clock of
     * {@code timeZone}, from {@code startTime} (in that zone) on.
     */
    public record Cron(String expression, String timeZone, LocalDateTime startTime) {
    }

    /**
     * Every {@code interval} minutes, hours, days, weeks or months, counted from {@code startTime} (in its zone); at
     * the given {@code hours} and {@code minutes} of each day it fires on, on the given {@code weekDays} (a weekly
     * one) or {@code monthDays} (a monthly one).
     */
    public record Recurrence(Frequency frequency, int interval, LocalDateTime startTime, String timeZone,
                             List<Integer> hours, List<Integer> minutes, List<Integer> monthDays,
                             List<DayOfWeek> weekDays) {
        public Recurrence {
            hours = hours == null ? List.of() : List.copyOf(hours);
            minutes = minutes == null ? List.of() : List.copyOf(minutes);
            monthDays = monthDays == null ? List.of() : List.copyOf(monthDays);
            weekDays = weekDays == null ? List.of() : List.copyOf(weekDays);
        }
    }

    public ComputeSchedule {
        Objects.requireNonNull(action, "action");
        if ((cron == null) == (recurrence == null)) {
            throw new IllegalArgumentException("A schedule has a cron expression or a recurrence, one of them");
        }
    }
}
