package dev.hangar.cli;

import dev.hangar.api.SessionInfo.WorkspaceRef;
import dev.hangar.client.SshAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ssh", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Logs in to a compute instance with OpenSSH's ssh through Hangar's SSH gateway, or runs a"
            + " command there. The instance must have been created with an SSH key (create --ssh-key).",
            "The key named with -i is remembered for the compute. On first contact it shows the gateway's host key"
            + " fingerprint and asks to accept it (or --accept-host-key), then pins it in the CLI's own known_hosts,"
            + " which ssh then checks strictly.",
            "Prints the ssh command on stderr, then runs it; the exit code is ssh's."},
        footerHeading = "%nExamples:%n", footer = {
            "  hangar compute ssh -n ci1 -i ~/.ssh/id_ed25519",
            "  hangar compute ssh -n ci1 -- nvidia-smi",
            "  hangar compute ssh -n ci1 --accept-host-key SHA256:Ii4JJTBNT... -- ls",
            "  hangar compute ssh -n ci1 --print"})
final class ComputeSshCommand extends OneComputeCommand {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9@%+=:,./_~-]+");

    @Option(names = {"-i", "--identity"}, paramLabel = "FILE",
            description = "the private key to log in with (ssh -i); remembered for this compute")
    Path identity;

    @Option(names = "--accept-host-key", arity = "0..1", fallbackValue = "", paramLabel = "SHA256:...",
            description = "on first contact, pin the gateway's host key without asking; given a fingerprint, only"
                    + " if it is that one (the server prints its own at start)")
    String acceptHostKey;

    @Option(names = "--ssh-option", paramLabel = "OPTION",
            description = "an option for ssh, as in ssh -o OPTION; repeat for more (StrictHostKeyChecking or"
                    + " UserKnownHostsFile here leave host keys to ssh)")
    List<String> sshOptions = new ArrayList<>();

    @Option(names = "--print", description = "only print the ssh command (json: the address)")
    boolean print;

    @Parameters(paramLabel = "COMMAND", arity = "0..*",
            description = "a command to run in the instance instead of a login shell; put it after --")
    List<String> remoteCommand = new ArrayList<>();

    ComputeSshCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        SshAddress address;
        WorkspaceRef where;
        try (var connection = context.connect()) {
            where = connection.workspace(workspace);
            var computes = connection.client().workspace(where);
            var compute = computes.get(name);
            address = computes.sshAddress(compute).orElseThrow(() -> new CliException("SshNotEnabled",
                    ComputeView.instance(compute) == null ? "compute '" + name + "' is not a compute instance: only"
                            + " instances are reached over SSH"
                            : "compute '" + name + "' was created without SSH access. SSH is chosen when an"
                            + " instance is created and cannot be added later: create another instance with --ssh-key"
                            + " ~/.ssh/id_ed25519.pub",
                    ExitCodes.USAGE));
        }
        var key = identity(CliConfig.computeKey(where, name));
        var knownHosts = new KnownHosts(context.config().file().resolveSibling("known_hosts"));
        var checked = !sshChoosesHostKeys() && (knownHosts.knows(address.host(), address.port())
                || !print && new GatewayTrust(context.environment(), err(), knownHosts)
                        .trust(address, acceptHostKey));
        var command = command(address, key, checked ? knownHosts : null);
        if (print) {
            if (output.json()) {
                printJson(address);
            } else {
                out().println(quoted(command));
            }
            return ExitCodes.OK;
        }
        err().println(quoted(command));
        err().flush();
        return run(command);
    }

    List<String> command(SshAddress address, String key, KnownHosts knownHosts) {
        var command = new ArrayList<>(address.command().subList(0, address.command().size() - 1));
        if (key != null) {
            command.addAll(List.of("-i", key));
        }
        if (knownHosts != null) {
            var file = knownHosts.file().toString();
            command.addAll(List.of("-o", "UserKnownHostsFile=" + (file.matches(".*\\s.*") ? '"' + file + '"' : file),
                    "-o", "StrictHostKeyChecking=yes"));
        }
        sshOptions.forEach(option -> command.addAll(List.of("-o", option)));
        command.add(address.destination());
        command.addAll(remoteCommand);
        return command;
    }

    /** The key to log in with: {@code -i}'s, remembered for the compute when it is a file, or the one remembered. */
    private String identity(String computeKey) {
        var stored = context.config().load().orElseGet(CliConfig::empty);
        if (identity == null) {
            return stored.sshIdentities().get(computeKey);
        }
        if (Files.isRegularFile(identity)) {
            var path = identity.toAbsolutePath().normalize().toString();
            if (!path.equals(stored.sshIdentities().get(computeKey))) {
                context.config().save(stored.withSshIdentity(computeKey, path));
            }
        }
        return identity.toString();
    }

    /** Whether the user's own ssh options decide how host keys are checked. */
    private boolean sshChoosesHostKeys() {
        return sshOptions.stream().map(option -> option.strip().toLowerCase(Locale.ROOT))
                .anyMatch(option -> option.startsWith("stricthostkeychecking")
                        || option.startsWith("userknownhostsfile"));
    }

    private int run(List<String> command) {
        var resolved = new ArrayList<>(command);
        resolved.set(0, context.environment().program(command.getFirst()));
        try {
            return new ProcessBuilder(resolved).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new CliException("SshUnavailable", "cannot run ssh (" + e.getMessage() + "); install OpenSSH's"
                    + " client, e.g. apt-get install openssh-client", ExitCodes.FAILED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.FAILED;
        }
    }

    /** The command as a shell would need it typed. */
    static String quoted(List<String> command) {
        return command.stream().map(word -> PLAIN.matcher(word).matches() ? word
                : "'" + word.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
    }
}
