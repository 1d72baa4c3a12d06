package dev.hangar.cli;

import dev.hangar.client.ClusterSpec;
import dev.hangar.client.ComputeClient;
import dev.hangar.client.InstanceSpec;
import dev.hangar.client.LongRunningOperation;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Stack;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "create", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Creates a compute instance or a compute cluster, from options or from the YAML"
                + " 'az ml compute create -f' reads (options override the file's keys), and waits until it is created.",
        footerHeading = "%nExamples:%n", footer = {
            "  hangar compute create -n ci1 -s Standard_DS3_v2",
            "  hangar compute create -n ci1 -s Standard_DS3_v2 --tag team=ml \\",
            "      --description notebooks --ssh-key ~/.ssh/id_ed25519.pub",
            "  hangar compute create -n ci1 -s Standard_DS3_v2 --idle-time-before-shutdown-minutes 60",
            "  hangar compute create -n ci1 -s Standard_DS3_v2 --setup-script Users/alice/setup.sh \\",
            "      --setup-script-args \"--name 'a b'\" --setup-script-timeout 10 --startup-script-inline start.sh",
            "  hangar compute create -n cpu-cluster --type amlcompute -s Standard_DS3_v2 \\",
            "      --max-instances 8 --idle-time-before-scale-down 300 --tier low_priority",
            "  hangar compute create -f instance.yml   # az's YAML, e.g. with schedules.compute_start_stop",
            "  hangar compute create -f cluster.yml",
            "  hangar compute create -n ci1 -s Standard_DS3_v2 --no-wait -o json"})
final class ComputeCreateCommand extends OperationCommand {
    @Option(names = {"-f", "--file"}, paramLabel = "YAML", description = "a compute's YAML: type (computeinstance or"
            + " amlcompute), name, size, description, tags; an instance's ssh_settings.ssh_key_value and"
            + " setup_scripts (creation_script, startup_script: path, command, timeout_minutes), custom_applications,"
            + " idle_time_before_shutdown (PT30M) or idle_time_before_shutdown_minutes, schedules"
            + " (compute_start_stop: action, state, trigger); a cluster's"
            + " min_instances, max_instances, idle_time_before_scale_down, tier")
    Path file;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "the compute's name (default: the file's)")
    String name;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE",
            description = "computeinstance (default) or amlcompute, a cluster")
    String type;

    @Option(names = {"-s", "--size"}, paramLabel = "SIZE",
            description = "the VM size, e.g. Standard_DS3_v2 (see 'hangar compute list-sizes')")
    String size;

    @Option(names = "--description", paramLabel = "TEXT", description = "a description")
    String description;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "a tag; repeat for more")
    Map<String, String> tags = new LinkedHashMap<>();

    @Option(names = "--ssh-key", paramLabel = "FILE",
            description = "instances: an OpenSSH public key file; enables SSH access")
    Path sshKey;

    @Option(names = "--setup-script", paramLabel = "PATH", description = "instances: the creation script, run once"
            + " when the instance is created: a .sh file in the workspace's file share, e.g. Users/alice/setup.sh")
    String setupScript;

    @Option(names = "--setup-script-inline", paramLabel = "FILE",
            description = "instances: the creation script from a local file, sent whole; not with --setup-script")
    Path setupScriptInline;

    @Option(names = "--setup-script-args", paramLabel = "ARGS", parameterConsumer = Verbatim.class,
            description = "the creation script's arguments, one line split as a shell splits words")
    String setupScriptArgs;

    @Option(names = "--setup-script-timeout", paramLabel = "MINUTES",
            description = "how long the creation script may run before it fails (default: 30)")
    Integer setupScriptTimeout;

    @Option(names = "--startup-script", paramLabel = "PATH", description = "instances: the startup script, run on"
            + " every start of the instance: a .sh file in the workspace's file share")
    String startupScript;

    @Option(names = "--startup-script-inline", paramLabel = "FILE",
            description = "instances: the startup script from a local file, sent whole; not with --startup-script")
    Path startupScriptInline;

    @Option(names = "--startup-script-args", paramLabel = "ARGS", parameterConsumer = Verbatim.class,
            description = "the startup script's arguments, one line split as a shell splits words")
    String startupScriptArgs;

    @Option(names = "--startup-script-timeout", paramLabel = "MINUTES",
            description = "how long the startup script may run before it fails (default: 30)")
    Integer startupScriptTimeout;

    @Mixin
    IdleTimeOptions idleTime;

    @Option(names = "--min-instances", paramLabel = "N",
            description = "clusters: the nodes kept even when idle (default: 0)")
    Integer minInstances;

    @Option(names = "--max-instances", paramLabel = "N",
            description = "clusters: the most nodes (default: " + ClusterSpec.DEFAULT_MAX_NODES + ")")
    Integer maxInstances;

    @Option(names = "--idle-time-before-scale-down", paramLabel = "SECONDS",
            description = "clusters: how long a node above the minimum stays idle before it is removed (default: 120)")
    Integer idleTimeBeforeScaleDown;

    @Option(names = "--tier", paramLabel = "TIER", description = "clusters: dedicated (default) or low_priority")
    String tier;

    private ComputeDefinition definition;
    private InstanceSpec instance;
    private ClusterSpec cluster;

    ComputeCreateCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        var creation = ComputeDefinition.Script.of(setupScript,
                script(setupScriptInline, "--setup-script-inline", setupScript, "--setup-script"), setupScriptArgs,
                setupScriptTimeout);
        var startup = ComputeDefinition.Script.of(startupScript,
                script(startupScriptInline, "--startup-script-inline", startupScript, "--startup-script"),
                startupScriptArgs, startupScriptTimeout);
        var options = new ComputeDefinition(type, name, size, description, tags,
                sshKey == null ? null : read(sshKey), minInstances, maxInstances, idleTimeBeforeScaleDown, tier,
                creation, startup, idleTime.idleTime(spec), null, null);
        definition = file == null ? options : ComputeDefinition.read(file, err()::println).overriddenBy(options);
        if (definition.isCluster()) {
            cluster = definition.cluster();
        } else {
            instance = definition.instance();
        }
        return super.call();
    }

    @Override
    String name() {
        return definition.name();
    }

    @Override
    LongRunningOperation begin(ComputeClient computes) {
        return cluster != null ? computes.createCluster(name(), cluster) : computes.createInstance(name(), instance);
    }

    private String read(Path key) {
        try {
            return Files.readString(key);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read the --ssh-key file " + key);
        }
    }

    /** The text of an inline script's local {@code file}, or null; refused beside the same script's share path. */
    private String script(Path file, String option, String sharePath, String shareOption) {
        if (file == null) {
            return null;
        }
        if (sharePath != null) {
            throw new ParameterException(spec.commandLine(), shareOption + " and " + option + " exclude each other:"
                    + " a script is in the file share or sent whole, not both");
        }
        try {
            return Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new ParameterException(spec.commandLine(), "the " + option + " file " + file
                    + " is not UTF-8 text");
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read the " + option + " file " + file);
        }
    }

    /** Takes the next argument as the option's value even when it looks like an option: a script's often does. */
    static final class Verbatim implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            if (args.isEmpty()) {
                throw new ParameterException(commandSpec.commandLine(), "Missing required parameter for option '"
                        + ((OptionSpec) argSpec).longestName() + "' (" + argSpec.paramLabel() + ")");
            }
            argSpec.setValue(args.pop());
        }
    }
}
