package dev.hangar.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "user", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "List users and create them (administrators).",
        subcommands = {UserCommand.List.class, UserCommand.Create.class},
        footerHeading = "%nExamples:%n", footer = {
            "  hangar user list",
            "  hangar user create alice --role Contributor"})
final class UserCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a user command is required");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Lists the server's users with their object ids.")
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
                var users = connection.client().access(connection.workspace(null)).users();
                if (output.json()) {
                    printJson(users);
                    return ExitCodes.OK;
                }
                var table = new Table("NAME", "OBJECT ID", "ADMIN");
                users.forEach(user -> table.row(user.name(), user.id(), user.admin() ? "yes" : ""));
                table.print(out());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = {"Creates a user and prints their first API token, which is shown this once.",
                "With --role the user gets that role in the server's default workspace."})
    static final class Create extends HangarCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "letters, digits, . _ - and @")
        String name;

        @Option(names = "--admin", description = "an administrator: may do everything everywhere")
        boolean admin;

        @Option(names = "--role", paramLabel = "ROLE", description = "Owner, Contributor, Reader or a custom role")
        String role;

        @Mixin
        OutputOptions output;

        @Mixin
        VerboseOptions verbose;

        Create(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            try (var connection = context.connect()) {
                var created = connection.client().createUser(name, admin, role);
                if (output.json()) {
                    printJson(created);
                    return ExitCodes.OK;
                }
                out().println("User '" + created.user().name() + "' (object id " + created.user().id() + ") created"
                        + (role == null ? "" : " with the role " + role + " in the default workspace") + ".");
                out().println("Token (shown once): " + created.token());
                return ExitCodes.OK;
            }
        }
    }
}
