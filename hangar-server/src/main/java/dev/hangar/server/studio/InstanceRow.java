package dev.hangar.server.studio;

import java.util.List;

/**
 * One compute instance as the compute list shows it, with just the actions its reader may take now.
 *
 * @param key        the row's id in the page (the compute's id), also the name of its live updates
 * @param tone       how the state looks: {@code ok}, {@code busy}, {@code stopped} or {@code failed}
 * @param assignedTo the assigned user's name, or null for an instance of its creator's
 * @param created    when it was created, in UTC to the minute
 * @param apps       the links to its apps, for a reader who may open them
 * @param ssh        the SSH command, when SSH is on
 * @param actions    the path its actions are posted under
 */
public record InstanceRow(String key, String name, String state, String tone, String size, String createdBy,
                          String assignedTo, String created, List<Link> apps, String ssh, String actions,
                          boolean canStart, boolean canStop, boolean canRestart, boolean canDelete) {

    /** Whether the reader may take any action on it (its checkbox for bulk actions shows then). */
    public boolean actionable() {
        return canStart || canStop || canRestart || canDelete;
    }

    /** The event name its live updates come under. */
    public String event() {
        return "compute-" + key;
    }
}
