package dev.hangar.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "login", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Checks a server and token, then saves them (and your default workspace) "
        + "for the other commands.",
        footerHeading = "%nExamples:%n", footer = {
            "  hangar login --server https://127.0.0.1:8443 --token $TOKEN --ca-cert ca.pem",
            "  HANGAR_TOKEN=... hangar login --server https://hangar.example.org",
            "  hangar login --server https://127.0.0.1:8443 --token $TOKEN --insecure"})
final class LoginCommand extends HangarCommand {
    @Option(names = "--server", paramLabel = "URL", description = "the server's https URL (env HANGAR_SERVER)")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN", description = "your API token (env HANGAR_TOKEN)")
    String token;

    @Option(names = "--ca-cert", paramLabel = "FILE",
            description = "PEM file with the server's certificate (or its CA) to trust (env HANGAR_CA_CERT)")
    Path caCert;

    @Option(names = "--insecure", description = "trust any server certificate: anyone on the path can read your token")
    boolean insecure;

    @Mixin
    OutputOptions output;

    @Mixin
    VerboseOptions verbose;

    LoginCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        var config = settings();
        try (var connection = Connection.open(config)) {
            var session = connection.session();
            var saved = config.withWorkspace(session.defaultWorkspace())
                    .keepingSshIdentitiesOf(previous());
            context.config().save(saved);
            if (insecure) {
                err().println("WARNING: --insecure: the server's certificate is not checked");
            }
            if (output.json()) {
                printJson(session);
                return ExitCodes.OK;
            }
            var user = session.user();
            out().printf("Logged in to %s as %s (%s)%s.%n", config.server(), user.name(), user.id(),
                    user.admin() ? ", admin" : "");
            var workspace = session.defaultWorkspace();
            out().println(workspace == null ? "No default workspace: pass --workspace to the compute commands."
                    : "Workspace: " + workspace.name() + " in " + workspace.location() + " (" + workspace.id() + ")");
            out().println("Saved to " + context.config().file());
            return ExitCodes.OK;
        }
    }

    /** The saved configuration, or {@code null} when there is none or it cannot be read (login replaces it). */
    private CliConfig previous() {
        try {
            return context.config().load().orElse(null);
        } catch (CliException e) {
            return null;
        }
    }

    private CliConfig settings() {
        var parsed = spec.commandLine().getParseResult();
        if (server == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--server=URL' (or HANGAR_SERVER)");
        }
        if (token == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--token=TOKEN' (or HANGAR_TOKEN)");
        }
        if (insecure && parsed.hasMatchedOption("--ca-cert")) {
            throw new ParameterException(spec.commandLine(), "--ca-cert and --insecure exclude each other");
        }
        var trusted = insecure ? null : caCert;
        if (trusted != null && !Files.isReadable(trusted)) {
            throw new ParameterException(spec.commandLine(), "cannot read the --ca-cert file " + trusted);
        }
        return new CliConfig(server, token, trusted == null ? null : trusted.toAbsolutePath().toString(), insecure, null);
    }
}
