package dev.hangar.core.compute;

import java.util.Map;

/**
 * What a caller asks for when creating or updating an instance, already read from the wire. Validation of these
 * values against Hangar's rules happens in {@link ComputeService}.
 *
 * @param assignedUser the user the instance is created for, or null for the caller
 * @param ssh          SSH access, or null when the request does not say (off on creation, unchanged on update)
 */
public record InstanceRequest(String vmSize, String description, Map<String, String> tags,
                              UserRef assignedUser, String applicationSharingPolicy,
                              ComputeInstance.SshSettings ssh) {
}
