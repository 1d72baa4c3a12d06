package dev.hangar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hangar.api.RoleAssignmentResource;
import dev.hangar.api.RoleDefinitionResource;
import dev.hangar.api.UserInfo;
import dev.hangar.client.AccessClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "role", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "List, create and delete roles, and assign them to users in a workspace.",
        subcommands = {RoleCommand.List.class, RoleCommand.Create.class, RoleCommand.Delete.class,
            RoleCommand.Assignment.class},
        footerHeading = "%nExamples:%n", footer = {
            "  hangar role list",
            "  hangar role create --file operator.json",
            "  hangar role assignment create --assignee alice --role Contributor",
            "  hangar role assignment list"})
final class RoleCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a role command is required");
    }

    static RoleDefinitionResource role(AccessClient access, String name) {
        return access.role(name).orElseThrow(() -> new CliException("RoleDefinitionDoesNotExist",
                "no role is named '" + name + "'; 'hangar role list' shows them", ExitCodes.NOT_FOUND));
    }

    static UserInfo user(AccessClient access, String name) {
        return access.user(name).orElseThrow(() -> new CliException("PrincipalNotFound",
                "no user is named '" + name + "'; 'hangar user list' shows them", ExitCodes.NOT_FOUND));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Lists the roles: the built-in Owner, Contributor and Reader, then the custom ones.")
    static final class List extends HangarCommand {
        @Mixin
        OutputOptions output;

        @Mixin
        VerboseOptions verbose;

        List(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            try (var connection = context.connect()) {
                var roles = connection.client().access(connection.workspace(null)).roles();
                if (output.json()) {
                    printJson(roles);
                    return ExitCodes.OK;
                }
                var table = new Table("NAME", "TYPE", "ID", "DESCRIPTION");
                roles.forEach(role -> table.row(role.properties().roleName(), role.properties().type(), role.name(),
                        role.properties().description()));
                table.print(out());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Creates a custom role (administrators) from a JSON file in az's format:",
                "{\"Name\": ..., \"Description\": ..., \"Actions\": [...], \"NotActions\": [...]}.",
                "Running it again with the same name replaces the role."})
    static final class Create extends HangarCommand {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "the role, as JSON")
        Path file;

        @Mixin
        OutputOptions output;

        @Mixin
        VerboseOptions verbose;

        Create(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() throws IOException {
            JsonNode json;
            try {
                json = new ObjectMapper().readTree(Files.readString(file));
            } catch (IOException e) {
                throw new CliException("InvalidFile", "cannot read the role in " + file + ": " + e.getMessage(),
                        ExitCodes.USAGE);
            }
            var fields = lowerCased(json);
            var name = text(fields.get("name"));
            if (name == null) {
                name = text(fields.get("rolename"));
            }
            try (var connection = context.connect()) {
                var access = connection.client().access(connection.workspace(null));
                var roleName = name;
                var existing = roleName == null ? null : access.role(roleName).orElse(null);
                var id = existing != null ? UUID.fromString(existing.name()) : UUID.randomUUID();
                var permission = new RoleDefinitionResource.Permission(texts(fields.get("actions")),
                        texts(fields.get("notactions")), java.util.List.of(), java.util.List.of());
                var body = new RoleDefinitionResource(null, null, null, new RoleDefinitionResource.Properties(name,
                        null, text(fields.get("description")), texts(fields.get("assignablescopes")),
                        java.util.List.of(permission), null, null, null, null));
                var made = access.putRole(id, body);
                if (output.json()) {
                    printJson(made);
                } else {
                    out().println("Role '" + made.properties().roleName() + "' (id " + made.name() + ") "
                            + (existing == null ? "created" : "replaced") + ".");
                }
                return ExitCodes.OK;
            }
        }

        private static Map<String, JsonNode> lowerCased(JsonNode json) {
            var node = json.has("properties") ? json.get("properties") : json;
            var fields = new HashMap<String, JsonNode>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var entry = it.next();
                fields.put(entry.getKey().toLowerCase(java.util.Locale.ROOT), entry.getValue());
            }
            if (fields.containsKey("permissions") && fields.get("permissions").isArray()
                    && !fields.get("permissions").isEmpty()) {
                var permission = fields.get("permissions").get(0);
                permission.fields().forEachRemaining(entry ->
                        fields.putIfAbsent(entry.getKey().toLowerCase(java.util.Locale.ROOT), entry.getValue()));
            }
            return fields;
        }

        private static String text(JsonNode node) {
            return node == null || node.isNull() ? null : node.asText();
        }

        private static java.util.List<String> texts(JsonNode node) {
            var all = new ArrayList<String>();
            if (node != null && node.isArray()) {
                node.forEach(item -> all.add(item.asText()));
            }
            return all;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Deletes a custom role that no assignment gives (administrators).")
    static final class Delete extends HangarCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Mixin
        ConfirmOptions confirm;

        @Mixin
        VerboseOptions verbose;

        Delete(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            if (!confirm.confirmed(context.environment(), "delete role '" + name + "'")) {
                out().println("Nothing deleted.");
                return ExitCodes.OK;
            }
            try (var connection = context.connect()) {
                var access = connection.client().access(connection.workspace(null));
                var role = role(access, name);
                access.deleteRole(UUID.fromString(role.name()));
                out().println("Role '" + role.properties().roleName() + "' deleted.");
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "assignment", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "List, make and remove role assignments in a workspace.",
            subcommands = {Assignment.ListAssignments.class, Assignment.CreateAssignment.class,
                Assignment.DeleteAssignment.class})
    static final class Assignment implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new ParameterException(spec.commandLine(), "an assignment command is required");
        }

        /** Who has which role, named rather than by id. */
        static Map<String, String> names(AccessClient access, boolean users) {
            var names = new HashMap<String, String>();
            if (users) {
                access.users().forEach(user -> names.put(user.id(), user.name()));
            } else {
                access.roles().forEach(role -> names.put(role.name(), role.properties().roleName()));
            }
            return names;
        }

        @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
                description = "Lists the workspace's role assignments.")
        static final class ListAssignments extends HangarCommand {
            @Option(names = "--assignee", paramLabel = "USER", description = "only this user's")
            String assignee;

            @Mixin
            WorkspaceOptions workspace;

            @Mixin
            OutputOptions output;

            @Mixin
            VerboseOptions verbose;

            ListAssignments(CliContext context) {
                super(context);
            }

            @Override
            public Integer call() {
                try (var connection = context.connect()) {
                    var access = connection.client().access(connection.workspace(workspace));
                    var wanted = assignee == null ? null : user(access, assignee).id();
                    var assignments = access.assignments().stream()
                            .filter(found -> wanted == null || wanted.equals(found.properties().principalId()))
                            .toList();
                    if (output.json()) {
                        printJson(assignments);
                        return ExitCodes.OK;
                    }
                    var users = names(access, true);
                    var roles = names(access, false);
                    var table = new Table("USER", "ROLE", "ID", "BY");
                    for (RoleAssignmentResource found : assignments) {
                        var roleId = found.properties().roleDefinitionId();
                        roleId = roleId.substring(roleId.lastIndexOf('/') + 1);
                        table.row(users.getOrDefault(found.properties().principalId(),
                                found.properties().principalId()), roles.getOrDefault(roleId, roleId), found.name(),
                                found.properties().createdBy());
                    }
                    table.print(out());
                    return ExitCodes.OK;
                }
            }
        }

        @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
                description = "Gives a user a role in the workspace (Owners).")
        static final class CreateAssignment extends HangarCommand {
            @Option(names = "--assignee", required = true, paramLabel = "USER", description = "the user's name")
            String assignee;

            @Option(names = "--role", required = true, paramLabel = "ROLE", description = "the role's name")
            String role;

            @Mixin
            WorkspaceOptions workspace;

            @Mixin
            OutputOptions output;

            @Mixin
            VerboseOptions verbose;

            CreateAssignment(CliContext context) {
                super(context);
            }

            @Override
            public Integer call() {
                try (var connection = context.connect()) {
                    var access = connection.client().access(connection.workspace(workspace));
                    var user = user(access, assignee);
                    var definition = role(access, role);
                    var made = access.assign(UUID.fromString(user.id()), definition.id());
                    if (output.json()) {
                        printJson(made);
                    } else {
                        out().println("'" + user.name() + "' is now " + definition.properties().roleName() + " of "
                                + access.workspace().name() + " (assignment " + made.name() + ").");
                    }
                    return ExitCodes.OK;
                }
            }
        }

        @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
                description = "Removes a role assignment: the one with --id, or the user's role.")
        static final class DeleteAssignment extends HangarCommand {
            @ArgGroup(exclusive = true, multiplicity = "1")
            Which which;

            static final class Which {
                @Option(names = "--id", paramLabel = "ID", description = "the assignment's id")
                String id;

                @ArgGroup(exclusive = false)
                ByNames names;
            }

            static final class ByNames {
                @Option(names = "--assignee", required = true, paramLabel = "USER")
                String assignee;

                @Option(names = "--role", required = true, paramLabel = "ROLE")
                String role;
            }

            @Mixin
            WorkspaceOptions workspace;

            @Mixin
            VerboseOptions verbose;

            DeleteAssignment(CliContext context) {
                super(context);
            }

            @Override
            public Integer call() {
                try (var connection = context.connect()) {
                    var access = connection.client().access(connection.workspace(workspace));
                    var ids = new ArrayList<String>();
                    if (which.id != null) {
                        ids.add(which.id);
                    } else {
                        var user = user(access, which.names.assignee);
                        var definition = role(access, which.names.role);
                        access.assignments().stream()
                                .filter(found -> user.id().equals(found.properties().principalId())
                                        && found.properties().roleDefinitionId().endsWith("/" + definition.name()))
                                .forEach(found -> ids.add(found.name()));
                    }
                    if (ids.isEmpty()) {
                        throw new CliException("RoleAssignmentNotFound", "'" + which.names.assignee
                                + "' does not hold " + which.names.role + " in this workspace", ExitCodes.NOT_FOUND);
                    }
                    for (var id : ids) {
                        if (!access.unassign(UUID.fromString(id))) {
                            throw new CliException("RoleAssignmentNotFound", "no role assignment " + id
                                    + " in this workspace", ExitCodes.NOT_FOUND);
                        }
                    }
                    out().println("Removed " + ids.size() + " role assignment" + (ids.size() == 1 ? "" : "s") + ".");
                    return ExitCodes.OK;
                }
            }
        }
    }
}
