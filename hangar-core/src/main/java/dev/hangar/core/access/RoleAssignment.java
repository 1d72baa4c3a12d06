package dev.hangar.core.access;

import java.time.Instant;
import java.util.UUID;

/**
 * A role given to a user in one workspace: what they may do there is the union of their assignments' roles.
 *
 * @param createdBy the name of the user who made the assignment
 */
public record RoleAssignment(UUID id, UUID workspaceId, UUID principalId, UUID roleDefinitionId, Instant createdOn,
                             String createdBy) {
}
