package dev.hangar.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hangar}: the command line of a Hangar server. Connection settings come from {@code hangar login} (saved in
 * {@code ~/.hangar/config.json}, or {@code $HANGAR_CONFIG}), overridden by {@code HANGAR_*} environment variables.
 */
@Command(name = "hangar", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Self-hosted ML compute: create, start, stop and delete compute instances and clusters.",
        subcommands = {LoginCommand.class, ComputeCommand.class, UserCommand.class, RoleCommand.class,
            TokenCommand.class, EventsCommand.class, QuotaCommand.class, VmSizeCommand.class,
            JobCommand.class, EnvironmentCommand.class, FilesCommand.class,
            CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {
            "0:success",
            "1:the operation failed (e.g. SetupFailed), or an unexpected error",
            "2:usage error: bad or missing options, input the server refused (400), an",
            " :operation the compute does not support, no terminal to confirm on",
            "3:not logged in, authentication or authorization failed (401/403)",
            "4:not found: 404, or any *NotFound code (ComputeNotFound from job create)",
            "5:conflict: an operation in progress, a quota exceeded (409)",
            "6:server unreachable, or TLS failure"},
        footerHeading = "%nExamples:%n", footer = {
            "  hangar login --server https://127.0.0.1:8443 --token $TOKEN --ca-cert ca.pem",
            "  hangar compute create -n ci1 -s Standard_DS3_v2",
            "  hangar compute list --mine -o json",
            "",
            "Environment: HANGAR_SERVER, HANGAR_TOKEN, HANGAR_CA_CERT, HANGAR_WORKSPACE,",
            "HANGAR_OUTPUT, HANGAR_CONFIG (instead of ~/.hangar/config.json)."})
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(newCommandLine(CliEnvironment.system()).execute(args));
    }

    /** The configured {@code hangar} command; set its out and err to capture them. */
    public static CommandLine newCommandLine(CliEnvironment environment) {
        var context = new CliContext(environment);
        var handler = new ErrorHandler();
        return new CommandLine(Main.class, context.factory())
                .setDefaultValueProvider(new EnvDefaults(environment))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(handler)
                .setParameterExceptionHandler(handler)
                .setUsageHelpAutoWidth(true);
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required: login or compute");
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            var version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"hangar " + (version == null ? "dev" : version)};
        }
    }
}
