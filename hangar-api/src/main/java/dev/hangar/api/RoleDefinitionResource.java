package dev.hangar.api;

import java.time.Instant;
import java.util.List;

/**
 * A role definition in Azure's {@code Microsoft.Authorization/roleDefinitions} shape. Written with {@code PUT} (the
 * {@code id}, {@code name} and {@code type} are then ignored), read with {@code GET}.
 */
public record RoleDefinitionResource(String id, String name, String type, Properties properties) {
    public static final String TYPE = "Microsoft.Authorization/roleDefinitions";

    /** @param type {@code BuiltInRole} or {@code CustomRole} */
    public record Properties(String roleName, String type, String description, List<String> assignableScopes,
                             List<Permission> permissions, Instant createdOn, Instant updatedOn, String createdBy,
                             String updatedBy) {
    }

    /** Azure's permission block; Hangar checks {@code actions} and {@code notActions} (no data actions). */
    public record Permission(List<String> actions, List<String> notActions, List<String> dataActions,
                             List<String> notDataActions) {
    }
}
