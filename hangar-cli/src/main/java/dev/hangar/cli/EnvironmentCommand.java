package dev.hangar.cli;

import dev.hangar.api.EnvironmentVersionResource;
import dev.hangar.api.PagedList;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "environment", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Record, show and list environments: the container images jobs run in, named and versioned.",
        subcommands = {EnvironmentCommand.Create.class, EnvironmentCommand.Show.class, EnvironmentCommand.List.class},
        footerHeading = "%nExamples:%n", footer = {
            "  hangar environment create --name py312 --version 1 \\",
            "      --image docker.io/library/python:3.12",
            "  hangar environment create -f env.yml",
            "  hangar environment show --name py312 --version 1",
            "  hangar environment list                 # every environment, Hangar's curated ones first",
            "  hangar environment list --name py312"})
final class EnvironmentCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "an environment command is required");
    }

    @Command(name = "create",
            description = "Records a version of an environment, from options or from the YAML"
                    + " 'az ml environment create -f' reads (options override the file's keys). A version never"
                    + " changes: the same image again is accepted as it is, another one is refused.")
    static final class Create extends HangarCommand {
        /** Help only: {@code --version} names the environment's version here, not Hangar's (picocli's -V). */
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Option(names = {"-f", "--file"}, paramLabel = "YAML", description = "an environment's YAML: name, version,"
                + " image, description, tags (build and conda_file are refused: Hangar builds no images)")
        Path file;

        @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "the environment's name (default: the"
                + " file's)")
        String name;

        @Option(names = "--version", paramLabel = "VERSION", description = "the version to record (default: the"
                + " file's)")
        String version;

        @Option(names = {"-i", "--image"}, paramLabel = "IMAGE", description = "the container image its jobs run in,"
                + " e.g. docker.io/library/python:3.12, built and pushed (or imported into the engine) beforehand")
        String image;

        @Option(names = "--description", paramLabel = "TEXT")
        String description;

        @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "a tag; repeat for more")
        Map<String, String> tags = new LinkedHashMap<>();

        @Mixin
        WorkspaceOptions workspace;

        @Mixin
        OutputOptions output;

        @Mixin
        VerboseOptions verbose;

        Create(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            var options = new EnvironmentDefinition(name, version, image, description, tags);
            var definition = file == null ? options
                    : EnvironmentDefinition.read(file, err()::println).overriddenBy(options);
            var properties = definition.properties();
            try (var connection = context.connect()) {
                var recorded = connection.client().environments(connection.workspace(workspace))
                        .createVersion(definition.name(), definition.version(), properties);
                if (output.json()) {
                    printJson(recorded);
                } else {
                    out().println("Environment '" + definition.name() + ":" + recorded.name() + "' runs image "
                            + recorded.properties().image() + ".");
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "show",
            description = "Shows a version of an environment: its image, description, tags and creation.")
    static final class Show extends HangarCommand {
        /** Help only: {@code --version} names the environment's version here, not Hangar's (picocli's -V). */
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Option(names = {"-n", "--name"}, required = true, paramLabel = "NAME")
        String name;

        @Option(names = "--version", required = true, paramLabel = "VERSION")
        String version;

        @Mixin
        WorkspaceOptions workspace;

        @Mixin
        OutputOptions output;

        @Mixin
        VerboseOptions verbose;

        Show(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            try (var connection = context.connect()) {
                var found = connection.client().environments(connection.workspace(workspace)).get(name, version);
                if (output.json()) {
                    printJson(found);
                    return ExitCodes.OK;
                }
                var p = found.properties();
                var fields = Table.fields();
                fields.row("Name", name)
                        .row("Version", found.name())
                        .row("Id", found.id())
                        .row("Image", p.image())
                        .row("Description", p.description())
                        .row("OS type", p.osType())
                        .row("Anonymous", Boolean.TRUE.equals(p.isAnonymous()) ? "yes" : "no")
                        .row("Created", p.creationTime())
                        .row("Created by", p.createdBy());
                if (p.tags() != null && !p.tags().isEmpty()) {
                    fields.row("Tags", p.tags().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .sorted().collect(Collectors.joining(", ")));
                }
                fields.print(out());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Lists the environments (each with its latest version; Hangar's curated ones, read-only,"
                    + " first), or with --name the versions of one, newest first.")
    static final class List extends HangarCommand {
        @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "list this environment's versions")
        String name;

        @Mixin
        WorkspaceOptions workspace;

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
                var environments = connection.client().environments(connection.workspace(workspace));
                if (name == null) {
                    var all = environments.list();
                    if (output.json()) {
                        printJson(new PagedList<>(all, null));
                        return ExitCodes.OK;
                    }
                    var table = new Table("NAME", "LATEST", "TYPE");
                    for (var environment : all) {
                        var p = environment.properties();
                        table.row(environment.name(), p == null ? null : p.latestVersion(),
                                p == null ? null : p.environmentType());
                    }
                    table.print(out());
                    return ExitCodes.OK;
                }
                var versions = environments.versions(name);
                if (output.json()) {
                    printJson(new PagedList<>(versions, null));
                    return ExitCodes.OK;
                }
                var table = new Table("VERSION", "IMAGE", "CREATED");
                for (EnvironmentVersionResource version : versions) {
                    var p = version.properties();
                    table.row(version.name(), p == null ? null : p.image(), p == null ? null : p.creationTime());
                }
                table.print(out());
                return ExitCodes.OK;
            }
        }
    }
}
