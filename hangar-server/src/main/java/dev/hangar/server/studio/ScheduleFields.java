package dev.hangar.server.studio;

import dev.hangar.server.studio.InstanceForm.Schedule;
import java.util.List;

/**
 * What {@code scheduleFields.jte} shows: the rows, and the refusal of the last try when it is about one of them.
 *
 * @param error      why the last try was refused, or null
 * @param errorField the field the refusal is about ({@code schedule2.cron.expression}), or null
 */
public record ScheduleFields(List<Schedule> rows, String error, String errorField) {

    /** Whether the refusal is about row {@code row}'s cron expression ({@code "cron"}) or time zone ({@code "zone"}). */
    public boolean wrong(int row, String part) {
        return error != null && ScheduleRows.about(errorField, row, part);
    }

    /** The refusal when it is about no one row (it is shown beside the row otherwise), else null. */
    public String general() {
        for (int i = 0; i < rows.size(); i++) {
            if (describedBy(i) != null) {
                return null;
            }
        }
        return error;
    }

    /** The {@code id} of the refusal shown beside row {@code row}, for its fields' {@code aria-describedby}. */
    public String describedBy(int row) {
        return wrong(row, "cron") || wrong(row, "zone") ? "schedule" + row + "-error" : null;
    }
}
