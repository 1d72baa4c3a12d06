package dev.hangar.server.studio;

import dev.hangar.core.schedule.ComputeSchedule;
import dev.hangar.core.schedule.ScheduleTimes;
import dev.hangar.server.studio.InstanceForm.Schedule;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The start/stop schedule rows of a form ({@code scheduleFields.jte}): the create form's and an instance page's. A
 * row is an action, a cron expression and a time zone, named {@code schedule<i>Action}, {@code ...Cron} and
 * {@code ...Zone}; a row without a cron expression is no schedule. Each schedule asked for is checked by the core's
 * {@link ScheduleTimes#check} under its row's name ({@code schedule2.cron.expression}), so that a refusal marks the
 * row's field; the compute service checks it again when it records it.
 */
final class ScheduleRows {
    /** How many rows a form offers, as Azure's studio does; the API takes as many. */
    static final int MAX = 4;

    private ScheduleRows() {
    }

    /** {@code count} empty rows. */
    static List<Schedule> blank(int count) {
        var rows = new ArrayList<Schedule>();
        for (int i = 0; i < count; i++) {
            rows.add(new Schedule("Stop", "", "UTC"));
        }
        return List.copyOf(rows);
    }

    /** {@code count} rows as the form sent them. */
    static List<Schedule> of(MultiMap form, int count) {
        var rows = new ArrayList<Schedule>();
        for (int i = 0; i < count; i++) {
            rows.add(new Schedule(text(form, "schedule" + i + "Action", "Stop"), text(form, "schedule" + i + "Cron", ""),
                    text(form, "schedule" + i + "Zone", "UTC")));
        }
        return List.copyOf(rows);
    }

    /** The instance's cron schedules as {@code count} rows, the rest empty. */
    static List<Schedule> of(List<ComputeSchedule> schedules, int count) {
        var rows = new ArrayList<Schedule>();
        for (var schedule : schedules) {
            if (schedule.cron() != null && rows.size() < count) {
                rows.add(new Schedule(schedule.action().name(), schedule.cron().expression(),
                        schedule.cron().timeZone() == null ? "UTC" : schedule.cron().timeZone()));
            }
        }
        rows.addAll(blank(count - rows.size()));
        return List.copyOf(rows);
    }

    /** The schedules the rows ask for, each checked; empty when no row has a cron expression. */
    static List<ComputeSchedule> asked(List<Schedule> rows) {
        var result = new ArrayList<ComputeSchedule>();
        for (int i = 0; i < rows.size(); i++) {
            var row = rows.get(i);
            if (!row.present()) {
                continue;
            }
            var action = row.action().equalsIgnoreCase("Start") ? ComputeSchedule.Action.Start
                    : ComputeSchedule.Action.Stop;
            var schedule = new ComputeSchedule(null, true, action, new ComputeSchedule.Cron(row.cron(),
                    row.timeZone().isBlank() ? "UTC" : row.timeZone(), null), null);
            ScheduleTimes.check(schedule, "schedule" + i);
            result.add(schedule);
        }
        return List.copyOf(result);
    }

    /**
     * What an instance's schedules become from the rows: its schedules the rows cannot show (recurrences) stay, and a
     * row that is one of its cron schedules unchanged keeps that schedule (its id, start time, and whether it is
     * enabled); the other rows are new, enabled schedules.
     */
    static List<ComputeSchedule> merged(List<ComputeSchedule> current, List<ComputeSchedule> asked) {
        var result = new ArrayList<ComputeSchedule>();
        var unmatched = new ArrayList<>(current);
        for (var schedule : asked) {
            var match = unmatched.stream().filter(existing -> same(existing, schedule)).findFirst();
            match.ifPresent(unmatched::remove);
            result.add(match.orElse(schedule));
        }
        current.stream().filter(existing -> existing.cron() == null).forEach(result::add);
        return List.copyOf(result);
    }

    /** How many rows an instance's page offers: the recurrences it keeps take the others' places. */
    static int rowsFor(List<ComputeSchedule> current) {
        return Math.max(0, MAX - (int) current.stream().filter(schedule -> schedule.cron() == null).count());
    }

    /** Whether a refusal's target is the field {@code part} ("cron" or "zone") of row {@code row}. */
    static boolean about(String target, int row, String part) {
        if (target == null) {
            return false;
        }
        var lower = target.toLowerCase(Locale.ROOT);
        var prefix = "schedule" + row + ".";
        return lower.startsWith(prefix) && (part.equals("zone") ? lower.endsWith("timezone")
                : !lower.endsWith("timezone"));
    }

    private static boolean same(ComputeSchedule existing, ComputeSchedule asked) {
        return existing.cron() != null && existing.action() == asked.action()
                && existing.cron().expression().strip().equals(asked.cron().expression().strip())
                && String.valueOf(existing.cron().timeZone()).equalsIgnoreCase(asked.cron().timeZone());
    }

    private static String text(MultiMap form, String field, String otherwise) {
        var value = form.get(field);
        return value == null ? otherwise : value.strip();
    }
}
