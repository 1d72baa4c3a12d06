package dev.hangar.core.compute;

import dev.hangar.core.schedule.ComputeSchedule;
import dev.hangar.core.setup.SetupScripts;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a caller asks for when creating or updating an instance, already read from the wire. Validation of these
 * values against Hangar's rules happens in {@link ComputeService}.
 *
 * @param assignedUser the user the instance is created for, or null for the caller
 * @param ssh          SSH access, or null when the request does not say (off on creation, unchanged on update)
 * @param setupScripts the setup scripts, or null when the request has none; fixed at creation
 * @param customServices the custom services, or null when the request has none (none on creation, no change on
 *                       update); changed afterwards by {@code updateCustomServices}
 * @param idleTimeBeforeShutdown after how long without activity the instance stops; null for never (on creation) or
 *                               no change (on update)
 * @param schedules the start/stop schedules, or null when the request says nothing (none on creation, no change on
 *                  update)
 */
public record InstanceRequest(String vmSize, String description, Map<String, String> tags,
                              UserRef assignedUser, String applicationSharingPolicy,
                              ComputeInstance.SshSettings ssh, SetupScripts setupScripts,
                              List<dev.hangar.core.custom.CustomService> customServices,
                              Duration idleTimeBeforeShutdown,
                              List<ComputeSchedule> schedules) {
}
