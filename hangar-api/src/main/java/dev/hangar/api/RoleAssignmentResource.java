package dev.hangar.api;

import java.time.Instant;

/**
 * A role assignment in Azure's {@code Microsoft.Authorization/roleAssignments} shape: a user ({@code principalId}, the
 * user's object id) holds a role ({@code roleDefinitionId}, the role's ARM id or bare GUID) at a workspace's scope.
 */
public record RoleAssignmentResource(String id, String name, String type, Properties properties) {
    public static final String TYPE = "Microsoft.Authorization/roleAssignments";

    public record Properties(String roleDefinitionId, String principalId, String principalType, String scope,
                             Instant createdOn, Instant updatedOn, String createdBy, String updatedBy) {
    }
}
