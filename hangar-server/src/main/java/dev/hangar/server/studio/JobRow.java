package dev.hangar.server.studio;

/**
 * One job as the job list shows it.
 *
 * @param key         the row's id in the page (the job's id), also the name of its live updates
 * @param displayName its display name, or null
 * @param tone        how its status looks: {@code ok}, {@code busy}, {@code stopped} or {@code failed}
 * @param submitted   when it was submitted, in UTC to the second; {@code started} and {@code ended} likewise, or null
 * @param duration    how long it ran (so far, to the minute, while it runs), or null before it started
 * @param href        its page
 */
public record JobRow(String key, String name, String displayName, String status, String tone, String compute,
                     String createdBy, String submitted, String started, String ended, String duration, String href) {

    /** The event name its live updates come under. */
    public String event() {
        return "job-" + key;
    }
}
