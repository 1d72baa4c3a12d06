package dev.hangar.core.access;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A role: the actions it grants less those it excludes, as Azure's role definitions say it ({@code actions},
 * {@code notActions}). The built-in Owner, Contributor and Reader carry Azure's own ids and permissions; custom roles
 * are an admin's, stored with the rest.
 *
 * @param assignableScopes the scopes it was declared for, kept as given (roles are assigned at workspace scope)
 */
public record RoleDefinition(UUID id, String name, String description, List<ActionPattern> actions,
                             List<ActionPattern> notActions, List<String> assignableScopes, boolean builtIn,
                             Instant createdOn, Instant updatedOn) {

    public static final UUID OWNER_ID = UUID.fromString("8e3af657-a8ff-443c-a75c-2fe8c4bcb635");
    public static final UUID CONTRIBUTOR_ID = UUID.fromString("b24988ac-6180-42a0-ab88-20f7382dd24c");
    public static final UUID READER_ID = UUID.fromString("acdd72a7-3385-48ef-bd42-f606fba81ae7");

    /** Everything, including granting access to others. */
    public static final RoleDefinition OWNER = builtIn(OWNER_ID, "Owner",
            "Grants full access to manage all resources, including the ability to assign roles.",
            List.of("*"), List.of());
    /** Everything but granting access: no writes or deletes of role assignments and definitions. */
    public static final RoleDefinition CONTRIBUTOR = builtIn(CONTRIBUTOR_ID, "Contributor",
            "Grants full access to manage all resources, but does not allow you to assign roles.",
            List.of("*"), List.of("Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write",
                    "Microsoft.Authorization/elevateAccess/Action"));
    /** Reads only. */
    public static final RoleDefinition READER = builtIn(READER_ID, "Reader",
            "View all resources, but does not allow you to make any changes.", List.of("*/read"), List.of());

    public static final List<RoleDefinition> BUILT_IN = List.of(OWNER, CONTRIBUTOR, READER);
    private static final Map<UUID, RoleDefinition> BUILT_IN_BY_ID = BUILT_IN.stream()
            .collect(Collectors.toUnmodifiableMap(RoleDefinition::id, Function.identity()));

    public RoleDefinition {
        actions = List.copyOf(actions);
        notActions = List.copyOf(notActions);
        assignableScopes = List.copyOf(assignableScopes);
    }

    /** The built-in role with this id, if it is one. */
    public static java.util.Optional<RoleDefinition> builtIn(UUID id) {
        return java.util.Optional.ofNullable(BUILT_IN_BY_ID.get(id));
    }

    /** The built-in role with this name, any case, if it is one. */
    public static java.util.Optional<RoleDefinition> builtInNamed(String name) {
        return BUILT_IN.stream().filter(role -> role.name().equalsIgnoreCase(name)).findFirst();
    }

    /** Whether the role grants {@code action}: one of its actions names it and none of its notActions does. */
    public boolean allows(Action action) {
        return actions.stream().anyMatch(pattern -> pattern.matches(action))
                && notActions.stream().noneMatch(pattern -> pattern.matches(action));
    }

    private static RoleDefinition builtIn(UUID id, String name, String description, List<String> actions,
                                          List<String> notActions) {
        return new RoleDefinition(id, name, description, actions.stream().map(ActionPattern::new).toList(),
                notActions.stream().map(ActionPattern::new).toList(), List.of("/"), true, null, null);
    }
}
