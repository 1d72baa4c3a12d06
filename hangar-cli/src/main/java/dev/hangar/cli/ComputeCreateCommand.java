package dev.hangar.cli;

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
        description = "Creates a compute instance and waits until it runs.",
        footerHeading = "%nExamples:%n", footer = {
            "  hangar compute create -n ci1 -s Standard_DS3_v2",
            "  hangar compute create -n ci1 -s Standard_DS3_v2 --tag team=ml \\",
            "      --description notebooks --ssh-key ~/.ssh/id_ed25519.pub",
            "  hangar compute create -n ci1 -s Standard_DS3_v2 --no-wait -o json"})
final class ComputeCreateCommand extends OperationCommand {
    @Option(names = {"-s", "--size"}, required = true, paramLabel = "SIZE",
            description = "the VM size, e.g. Standard_DS3_v2 (see 'hangar compute list-sizes')")
    String size;

    @Option(names = "--description", paramLabel = "TEXT", description = "a description")
    String description;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "a tag; repeat for more")
    Map<String, String> tags = new LinkedHashMap<>();

    @Option(names = "--ssh-key", paramLabel = "FILE", description = "an OpenSSH public key file: enables SSH access")
    Path sshKey;

    ComputeCreateCommand(CliContext context) {
        super(context);
    }

    @Override
    LongRunningOperation begin(ComputeClient computes) {
        var instance = InstanceSpec.of(size).withDescription(description).withTags(tags);
        if (sshKey != null) {
            instance = instance.withSshPublicKey(read(sshKey));
        }
        return computes.createInstance(name, instance);
    }

    private String read(Path key) {
        try {
            return Files.readString(key);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read the --ssh-key file " + key);
        }
    }
}
