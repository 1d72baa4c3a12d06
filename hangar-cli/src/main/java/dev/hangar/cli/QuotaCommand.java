package dev.hangar.cli;

import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "quota", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "List and set core quotas: per VM family, per workspace and per location.",
        subcommands = {QuotaCommand.List.class, QuotaCommand.Set.class},
        footerHeading = "%nExamples:%n", footer = {
            "  hangar quota list",
            "  hangar quota set Standard_DSv2_Family_Cluster_Dedicated_vCPUs --limit 24",
            "  hangar quota set Total_Cluster_Dedicated_Regional_vCPUs --location-wide --limit 64",
            "  hangar quota set Standard_DSv2_Family_Cluster_Dedicated_vCPUs --limit none"})
final class QuotaCommand implements Runnable {
    private static final Pattern WORKSPACE = Pattern.compile("(?i).*/workspaces/([^/]+)(?:/computes/([^/]+))?/"
            + "(?:usages|quotas)/.*");

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a quota command is required");
    }

    /** Where a usage or quota line applies, from its id: {@code location}, a workspace, or workspace/compute. */
    static String scope(String id) {
        var matcher = WORKSPACE.matcher(id);
        if (!matcher.matches()) {
            return "location";
        }
        return matcher.group(2) == null ? matcher.group(1) : matcher.group(1) + "/" + matcher.group(2);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Lists the location's quotas and those of the workspaces there you may read.")
    static final class List extends HangarCommand {
        @Option(names = {"-l", "--location"}, paramLabel = "LOCATION",
                description = "default: the workspace's location")
        String location;

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
                var ref = connection.workspace(workspace);
                var quotas = connection.client().quotas(ref, location != null ? location : connection.location(ref))
                        .list();
                if (output.json()) {
                    printJson(quotas);
                    return ExitCodes.OK;
                }
                var table = new Table("QUOTA", "SCOPE", "LIMIT");
                quotas.forEach(quota -> table.row(quota.id().substring(quota.id().lastIndexOf('/') + 1),
                        scope(quota.id()), quota.limit() < 0 ? "none" : quota.limit()));
                table.print(out());
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "set", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Sets a quota of the workspace, or of its whole location (administrators).")
    static final class Set extends HangarCommand {
        @Parameters(index = "0", paramLabel = "QUOTA", description = "a name 'hangar quota list' shows")
        String quota;

        @Option(names = "--limit", required = true, paramLabel = "CORES|none",
                description = "cores, or none to remove the limit")
        String limit;

        @Option(names = "--location-wide", description = "the location's quota rather than the workspace's")
        boolean locationWide;

        @Option(names = {"-l", "--location"}, paramLabel = "LOCATION",
                description = "default: the workspace's location")
        String location;

        @Mixin
        WorkspaceOptions workspace;

        @Mixin
        OutputOptions output;

        @Mixin
        VerboseOptions verbose;

        Set(CliContext context) {
            super(context);
        }

        @Override
        public Integer call() {
            long cores;
            if (limit.equalsIgnoreCase("none")) {
                cores = -1;
            } else {
                try {
                    cores = Long.parseLong(limit);
                } catch (NumberFormatException e) {
                    throw new CliException("InvalidQuotaLimit", "--limit takes a number of cores or 'none', not '"
                            + limit + "'", ExitCodes.USAGE);
                }
            }
            try (var connection = context.connect()) {
                var ref = connection.workspace(workspace);
                var set = connection.client().quotas(ref, location != null ? location : connection.location(ref))
                        .set(quota, locationWide, cores);
                if (output.json()) {
                    printJson(set);
                    return ExitCodes.OK;
                }
                out().println("Quota " + set.id().substring(set.id().lastIndexOf('/') + 1) + " of "
                        + scope(set.id()) + ": " + (set.limit() < 0 ? "no limit of its own" : set.limit() + " cores")
                        + ".");
                return ExitCodes.OK;
            }
        }
    }
}
