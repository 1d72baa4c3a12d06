package dev.hangar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.api.ComputeInstanceProperties.ComputeStartStopSchedule;
import dev.hangar.api.ComputeInstanceProperties.Cron;
import dev.hangar.api.ComputeInstanceProperties.Recurrence;
import dev.hangar.api.ComputeInstanceProperties.RecurrenceSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An instance's start/stop schedules as az's compute YAML writes them ({@code schedules.compute_start_stop}) and as
 * {@code compute show} prints them. Only the file's shape is checked here: the server checks the values (400
 * {@code InvalidCronExpression}, {@code InvalidTimeZone}, {@code InvalidSchedule}).
 */
final class StartStopSchedules {
    static final String KEY = "schedules";
    private static final String LIST = KEY + ".compute_start_stop";
    private static final Set<String> SCHEDULE_KEYS = Set.of("action", "state", "trigger");
    private static final Set<String> CRON_KEYS = Set.of("type", "expression", "start_time", "time_zone");
    private static final Set<String> RECURRENCE_KEYS = Set.of("type", "frequency", "interval", "schedule",
            "start_time", "time_zone");
    private static final Set<String> TIMES_KEYS = Set.of("hours", "minutes", "week_days", "month_days");

    private StartStopSchedules() {
    }

    /**
     * {@code schedules} of {@code file} on the wire: values capitalised as Azure ML has them ({@code stop} →
     * {@code Stop}), a schedule without a state enabled; {@code null} when the file has no {@code schedules}, empty
     * when it lists none.
     */
    static List<ComputeStartStopSchedule> read(AzYaml file) {
        var schedules = file.tree().path(KEY);
        if (schedules.isMissingNode() || schedules.isNull()) {
            return null;
        }
        if (!schedules.isObject()) {
            throw file.invalid(KEY + " is a mapping of compute_start_stop, a list of schedules");
        }
        only(file, schedules, KEY, Set.of("compute_start_stop"), "compute_start_stop");
        var list = schedules.path("compute_start_stop");
        if (list.isMissingNode() || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw file.invalid(LIST + " is a list of schedules, each with action, state and trigger");
        }
        var result = new ArrayList<ComputeStartStopSchedule>();
        for (int i = 0; i < list.size(); i++) {
            result.add(schedule(file, list.get(i), LIST + "[" + i + "]"));
        }
        return result;
    }

    private static ComputeStartStopSchedule schedule(AzYaml file, JsonNode node, String where) {
        if (!node.isObject()) {
            throw file.invalid(where + " is a mapping of action, state and trigger");
        }
        only(file, node, where, SCHEDULE_KEYS, "action, state and trigger");
        var action = text(node, "action");
        if (action == null) {
            throw file.invalid(where + " needs an action: start or stop");
        }
        var state = text(node, "state");
        var status = state == null ? "Enabled" : capitalised(state);
        var trigger = node.path("trigger");
        if (!trigger.isObject()) {
            throw file.invalid(where + " needs a trigger: a mapping of type (cron or recurrence) and its times");
        }
        var type = text(trigger, "type");
        var at = where + ".trigger";
        return switch (type == null ? "" : type.strip().toLowerCase(Locale.ROOT)) {
            case "cron" -> {
                only(file, trigger, at, CRON_KEYS, "type, expression, start_time and time_zone");
                yield new ComputeStartStopSchedule(null, null, status, capitalised(action), "Cron", null,
                        new Cron(text(trigger, "start_time"), text(trigger, "time_zone"), text(trigger, "expression")));
            }
            case "recurrence" -> {
                only(file, trigger, at, RECURRENCE_KEYS,
                        "type, frequency, interval, schedule, start_time and time_zone");
                var frequency = text(trigger, "frequency");
                yield new ComputeStartStopSchedule(null, null, status, capitalised(action), "Recurrence",
                        new Recurrence(frequency == null ? null : capitalised(frequency), interval(file, trigger, at),
                                text(trigger, "start_time"), text(trigger, "time_zone"),
                                times(file, trigger.path("schedule"), at + ".schedule")), null);
            }
            default -> throw file.invalid(at + ".type is cron or recurrence, not '" + type + "'");
        };
    }

    private static Integer interval(AzYaml file, JsonNode trigger, String where) {
        var interval = trigger.path("interval");
        if (interval.isMissingNode() || interval.isNull()) {
            return null;
        }
        if (!interval.isIntegralNumber() || !interval.canConvertToInt()) {
            throw file.invalid(where + ".interval is a whole number, not '" + interval.asText() + "'");
        }
        return interval.intValue();
    }

    private static RecurrenceSchedule times(AzYaml file, JsonNode times, String where) {
        if (times.isMissingNode() || times.isNull()) {
            return null;
        }
        if (!times.isObject()) {
            throw file.invalid(where + " is a mapping of hours, minutes, week_days and month_days");
        }
        only(file, times, where, TIMES_KEYS, "hours, minutes, week_days and month_days");
        return new RecurrenceSchedule(numbers(file, times, "hours", where), numbers(file, times, "minutes", where),
                numbers(file, times, "month_days", where), list(file, times, "week_days", where,
                        day -> capitalised(day.asText())));
    }

    private static List<Integer> numbers(AzYaml file, JsonNode times, String key, String where) {
        return list(file, times, key, where, number -> {
            if (!number.isIntegralNumber() || !number.canConvertToInt()) {
                throw file.invalid(where + "." + key + " is a list of whole numbers, not " + times.get(key));
            }
            return number.intValue();
        });
    }

    private static <T> List<T> list(AzYaml file, JsonNode node, String key, String where, Function<JsonNode, T> item) {
        var list = node.path(key);
        if (list.isMissingNode() || list.isNull()) {
            return null;
        }
        if (!list.isArray()) {
            throw file.invalid(where + "." + key + " is a list, not '" + list.asText() + "'");
        }
        var result = new ArrayList<T>();
        list.forEach(value -> result.add(item.apply(value)));
        return result;
    }

    private static void only(AzYaml file, JsonNode node, String where, Set<String> keys, String names) {
        node.fieldNames().forEachRemaining(field -> {
            if (!keys.contains(field)) {
                throw file.invalid(where + " has " + names + ", not '" + field + "'");
            }
        });
    }

    /** {@code stop}, {@code STOP} → {@code Stop}: how Azure ML's wire writes az's lower-case values. */
    private static String capitalised(String value) {
        var text = value.strip();
        return text.isEmpty() ? text : text.substring(0, 1).toUpperCase(Locale.ROOT)
                + text.substring(1).toLowerCase(Locale.ROOT);
    }

    private static String text(JsonNode node, String key) {
        return node.hasNonNull(key) ? node.get(key).asText() : null;
    }

    /**
     * One schedule as {@code show} prints it: {@code Stop at '0 18 * * *' (Pacific Standard Time), enabled},
     * {@code Start every 1 Week on Monday, Friday at 08:00 (UTC), from 2026-03-01T00:00:00, disabled}.
     */
    static String describe(ComputeStartStopSchedule schedule) {
        var line = new StringBuilder(String.valueOf(schedule.action()));
        String timeZone;
        String startTime;
        if (schedule.cron() != null) {
            line.append(" at '").append(schedule.cron().expression()).append("'");
            timeZone = schedule.cron().timeZone();
            startTime = schedule.cron().startTime();
        } else if (schedule.recurrence() != null) {
            var recurrence = schedule.recurrence();
            line.append(" every ").append(recurrence.interval() == null ? "" : recurrence.interval() + " ")
                    .append(recurrence.frequency()).append(daysAndTimes(recurrence.schedule()));
            timeZone = recurrence.timeZone();
            startTime = recurrence.startTime();
        } else {
            line.append(" by ").append(schedule.triggerType());
            timeZone = null;
            startTime = null;
        }
        if (timeZone != null) {
            line.append(" (").append(timeZone).append(")");
        }
        if (startTime != null) {
            line.append(", from ").append(startTime);
        }
        if (schedule.status() != null) {
            line.append(", ").append(schedule.status().toLowerCase(Locale.ROOT));
        }
        return line.toString();
    }

    /**
     * {@code " on Monday, Friday at 08:00, 08:30"}, {@code " on day 1, 15 at 08:00"}, {@code " at minute 15, 45"}:
     * every hour with every minute, minute 0 when none is given, as the server fires them.
     */
    private static String daysAndTimes(RecurrenceSchedule times) {
        if (times == null) {
            return "";
        }
        var text = new StringBuilder();
        if (times.weekDays() != null && !times.weekDays().isEmpty()) {
            text.append(" on ").append(String.join(", ", times.weekDays()));
        }
        if (times.monthDays() != null && !times.monthDays().isEmpty()) {
            text.append(" on day ").append(joined(times.monthDays()));
        }
        var hours = times.hours() == null ? List.<Integer>of() : times.hours();
        var minutes = times.minutes() == null || times.minutes().isEmpty() ? List.of(0) : times.minutes();
        if (!hours.isEmpty()) {
            var clock = new ArrayList<String>();
            for (var hour : new TreeSet<>(hours)) {
                for (var minute : new TreeSet<>(minutes)) {
                    clock.add("%02d:%02d".formatted(hour, minute));
                }
            }
            text.append(" at ").append(String.join(", ", clock));
        } else if (times.minutes() != null && !times.minutes().isEmpty()) {
            text.append(" at minute ").append(joined(times.minutes()));
        }
        return text.toString();
    }

    private static String joined(List<Integer> numbers) {
        return numbers.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
