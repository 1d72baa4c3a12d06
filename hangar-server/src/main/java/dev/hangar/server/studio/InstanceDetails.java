package dev.hangar.server.studio;

import java.util.List;

/**
 * One instance's own page: its row (state, apps, SSH, actions), its settings, and what changes while it is looked
 * at: errors, setup logs and history.
 *
 * @param fields     its settings as label and value
 * @param idleMinutes its idle time in minutes, or "" when idle shutdown is off
 * @param keepAlive  until when a keep-alive lease holds it up, or null
 * @param canEdit    whether the reader may change its idle shutdown and schedules
 * @param canKeepAlive whether the reader may take a keep-alive lease (who may open its apps)
 * @param live       the URL of its live updates
 * @param schedules  its start/stop schedules, and their form
 */
public record InstanceDetails(InstanceRow row, List<Field> fields, String idleMinutes, String keepAlive,
                              boolean canEdit, boolean canKeepAlive, Live now, String live, String list,
                              SchedulesView schedules) {

    /** The page with another schedules section: a refused save's, with the rows as typed. */
    public InstanceDetails withSchedules(SchedulesView section) {
        return new InstanceDetails(row, fields, idleMinutes, keepAlive, canEdit, canKeepAlive, now, live, list,
                section);
    }

    /** A setting as label and value. */
    public record Field(String label, String value) {
    }

    /** A line of the instance's history. */
    public record Moment(String at, String from, String to, String reason, String actor) {
    }

    /** A setup script's log: the last of its lines, and where the whole is in the file share. */
    public record Log(String title, String path, String tail) {
    }

    /** What the page keeps live: state, errors, logs and history, newest first. */
    public record Live(InstanceRow row, List<String> errors, List<Log> logs, List<Moment> history) {
    }
}
