package dev.hangar.cli;

import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "token", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "List, create and revoke API tokens.",
        subcommands = {TokenCommand.List.class, TokenCommand.Create.class, TokenCommand.Revoke.class},
        footerHeading = "%nExamples:%n", footer = {
            "  hangar token create laptop --expires-in-days 30",
            "  hangar token list",
            "  hangar token revoke 6f1c..."})
final class TokenCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a token command is required");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Lists your tokens (never their secrets); administrators may name another user.")
    static final class List extends HangarCommand {
        @Option(names = "--user", paramLabel = "USER", description = "another user's (administrators)")
        String user;

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
                var tokens = connection.client().tokens(user);
                if (output.json()) {
                    printJson(tokens);
                    return ExitCodes.OK;
                }
                var table = new Table("NAME", "ID", "STATE", "CREATED", "EXPIRES");
                tokens.forEach(token -> table.row(token.name(), token.id(), token.state(), token.createdOn(),
                        token.expiresOn() == null ? "never" : token.expiresOn()));
                table.print(out());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Creates a token and prints its secret, which is shown this once.")
    static final class Create extends HangarCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "what it is for, e.g. laptop or ci")
        String name;

        @Option(names = "--expires-in-days", paramLabel = "DAYS", description = "default: 90; at most 1095")
        Integer days;

        @Option(names = "--user", paramLabel = "USER", description = "for another user (administrators)")
        String user;

        @Mixin
        OutputOptions output;

        @Mixin
        VerboseOptions verbose;

        Create(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            if (days != null && days < 1) {
                throw new CliException("InvalidTokenExpiry", "--expires-in-days must be at least 1",
                        ExitCodes.USAGE);
            }
            try (var connection = context.connect()) {
                var made = connection.client().createToken(name,
                        days == null ? null : Instant.now().plus(Duration.ofDays(days)), user);
                if (output.json()) {
                    printJson(made);
                    return ExitCodes.OK;
                }
                out().println("Token '" + made.token().name() + "' (id " + made.token().id() + ") expires "
                        + made.token().expiresOn() + ".");
                out().println("Secret (shown once): " + made.secret());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Revokes a token by its id ('hangar token list' shows them); it stops working at once.")
    static final class Revoke extends HangarCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Mixin
        VerboseOptions verbose;

        Revoke(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            try (var connection = context.connect()) {
                var revoked = connection.client().revokeToken(id);
                out().println("Token '" + revoked.name() + "' revoked.");
                return ExitCodes.OK;
            }
        }
    }
}
