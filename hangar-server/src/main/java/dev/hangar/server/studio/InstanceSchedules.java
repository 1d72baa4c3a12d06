package dev.hangar.server.studio;

import dev.hangar.core.access.User;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.schedule.ComputeSchedule;
import dev.hangar.core.workspace.Workspace;
import io.vertx.core.MultiMap;

/**
 * An instance's start/stop schedules as its page shows and changes them: the create form's rows
 * ({@link ScheduleRows}), saved through {@link ComputeService#updateSchedules}, the core's change of them with the
 * API's checks. A refusal comes back with the rows as typed and the field it is about; nothing is saved.
 */
final class InstanceSchedules {
    private final ComputeService computes;

    InstanceSchedules(ComputeService computes) {
        this.computes = computes;
    }

    /** The instance's schedules as they are. */
    static SchedulesView of(ComputeInstance compute, String action, boolean canEdit) {
        var rows = ScheduleRows.of(compute.schedules(), ScheduleRows.rowsFor(compute.schedules()));
        return view(compute, action, canEdit, new ScheduleFields(rows, null, null), null);
    }

    /** Saves the rows of {@code form} as the instance's schedules: the section saved, or refused with why. */
    SchedulesView save(User caller, Workspace workspace, String name, MultiMap form, String action) {
        var current = computes.view(caller, workspace, name).compute();
        var rows = ScheduleRows.of(form, ScheduleRows.rowsFor(current.schedules()));
        try {
            var asked = ScheduleRows.asked(rows);
            var saved = computes.updateSchedules(caller, workspace, name, ScheduleRows.merged(current.schedules(),
                    asked)).compute();
            var count = saved.schedules().size();
            return view(saved, action, true, new ScheduleFields(ScheduleRows.of(saved.schedules(),
                    ScheduleRows.rowsFor(saved.schedules())), null, null), count == 0
                    ? name + " has no schedule now." : "Saved: " + name + " has " + count + " schedule"
                    + (count == 1 ? "" : "s") + ".");
        } catch (ApiException.BadRequest refused) {
            return view(current, action, true, new ScheduleFields(rows, refused.getMessage(), refused.target()),
                    null);
        }
    }

    private static SchedulesView view(ComputeInstance compute, String action, boolean canEdit, ScheduleFields fields,
                                      String notice) {
        var current = compute.schedules().stream().map(InstanceSchedules::sentence).toList();
        var kept = compute.schedules().stream().filter(schedule -> schedule.cron() == null)
                .map(InstanceSchedules::sentence).toList();
        return new SchedulesView(action, canEdit, fields, current, kept, notice);
    }

    private static String sentence(ComputeSchedule schedule) {
        var when = schedule.cron() != null ? "at cron '" + schedule.cron().expression() + "' ("
                + (schedule.cron().timeZone() == null ? "UTC" : schedule.cron().timeZone()) + ")"
                : "every " + schedule.recurrence().interval() + " " + schedule.recurrence().frequency()
                        .name().toLowerCase(java.util.Locale.ROOT) + " (a recurrence, " + zone(schedule) + ")";
        return schedule.action() + " " + when + (schedule.enabled() ? "" : ", disabled");
    }

    private static String zone(ComputeSchedule schedule) {
        return schedule.recurrence().timeZone() == null ? "UTC" : schedule.recurrence().timeZone();
    }
}
