package dev.hangar.server.studio;

import java.util.List;
import java.util.Map;

/**
 * The role assignments of every workspace, and the form that gives a user a role in one.
 *
 * @param values  what the form's fields hold: {@code user}, {@code role} and {@code workspace}, each an option's value
 * @param errors  each refused field's message, by the field's name
 * @param general a refusal no one field is to blame for, or null
 * @param notice  what the last change did, or null
 */
public record RolesView(Chrome chrome, List<Row> rows, List<Option> users, List<Option> roles,
                        List<Option> workspaces, Map<String, String> values, Map<String, String> errors,
                        String general, String notice) {

    /** An assignment as the page lists it; {@code remove} is where its Remove button posts. */
    public record Row(String user, String role, boolean custom, String workspace, String scope, String createdBy,
                      String created, String id, String remove) {
    }

    /** A choice of a select: what it sends and what it shows. */
    public record Option(String value, String label) {
    }

    public String value(String field) {
        return values.getOrDefault(field, "");
    }

    public String error(String field) {
        return errors.get(field);
    }

    /** The {@code aria-describedby} of a field: its error's id, when it has one. */
    public String describedBy(String field) {
        return errors.containsKey(field) ? "assign-" + field + "-error" : null;
    }
}
