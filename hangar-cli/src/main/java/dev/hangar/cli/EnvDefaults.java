package dev.hangar.cli;

import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Option defaults from {@code HANGAR_*} environment variables; an option given on the command line wins. */
final class EnvDefaults implements IDefaultValueProvider {
    static final Map<String, String> VARIABLES = Map.of(
            "--server", "HANGAR_SERVER",
            "--token", "HANGAR_TOKEN",
            "--ca-cert", "HANGAR_CA_CERT",
            "--workspace-name", "HANGAR_WORKSPACE",
            "--resource-group", "HANGAR_RESOURCE_GROUP",
            "--output", "HANGAR_OUTPUT");

    private final CliEnvironment environment;

    EnvDefaults(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (argument instanceof OptionSpec option) {
            var variable = VARIABLES.get(option.longestName());
            return variable == null ? null : environment.variable(variable);
        }
        return null;
    }
}
