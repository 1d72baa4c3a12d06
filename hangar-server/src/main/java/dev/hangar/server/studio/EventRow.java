package dev.hangar.server.studio;

/**
 * One audit event as the events page shows it.
 *
 * @param time      when, in UTC to the second
 * @param at        the same as an ISO 8601 instant, for {@code <time datetime>}
 * @param workspace the workspace's name, shown when the page lists every workspace's; null for none
 * @param tone      how its outcome looks: {@code ok}, {@code busy} or {@code failed}
 * @param outcome   its result, with the HTTP status and the error's code when it has them
 */
public record EventRow(String time, String at, String workspace, String actor, String action, String target,
                       String result, String tone, String outcome, String trigger, String detail) {
}
