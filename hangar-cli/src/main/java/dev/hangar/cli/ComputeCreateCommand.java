package dev.hangar.cli;

import dev.hangar.client.ClusterSpec;
import dev.hangar.client.ComputeClient;
import dev.hangar.client.InstanceSpec;
import dev.hangar.client.LongRunningOperation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "create", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Creates a compute instance or a compute cluster, from options or from the YAML"
                + " 'az ml compute create -f' reads (options override the file's keys), and waits until it is created.",
        footerHeading = "%nExamples:%n", footer = {
            "  hangar compute create -n ci1 -s Standard_DS3_v2",
            "  hangar compute create -n ci1 -s Standard_DS3_v2 --tag team=ml \\",
            "      --description notebooks --ssh-key ~/.ssh/id_ed25519.pub",
            "  hangar compute create -n cpu-cluster --type amlcompute -s Standard_DS3_v2 \\",
            "      --max-instances 8 --idle-time-before-scale-down 300 --tier low_priority",
            "  hangar compute create -f cluster.yml",
            "  hangar compute create -n ci1 -s Standard_DS3_v2 --no-wait -o json"})
final class ComputeCreateCommand extends OperationCommand {
    @Option(names = {"-f", "--file"}, paramLabel = "YAML", description = "a compute's YAML: type (computeinstance or"
            + " amlcompute), name, size, description, tags; an instance's ssh_settings.ssh_key_value; a cluster's"
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
        var options = new ComputeDefinition(type, name, size, description, tags,
                sshKey == null ? null : read(sshKey), minInstances, maxInstances, idleTimeBeforeScaleDown, tier);
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
}
