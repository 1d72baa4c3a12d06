package dev.hangar.server.studio;

import java.util.List;

/**
 * An instance's start/stop schedules on its page ({@code computeSchedules.jte}): what they are, and the form that
 * changes them for who may.
 *
 * @param action  where the form posts
 * @param canEdit whether the reader may change them
 * @param fields  the form's rows (the instance's cron schedules, or what was typed), with a refusal
 * @param current the instance's schedules, one sentence each
 * @param kept    those of its schedules the form cannot show (recurrences), which a save keeps as they are
 * @param notice  what the last save did, or null
 */
public record SchedulesView(String action, boolean canEdit, ScheduleFields fields, List<String> current,
                            List<String> kept, String notice) {
}
