package dev.hangar.cli;

import dev.hangar.client.SshAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ssh", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Logs in to a compute instance with OpenSSH's ssh through Hangar's SSH gateway, or runs a"
            + " command there. The instance must have been created with an SSH key (create --ssh-key).",
            "Prints the ssh command on stderr, then runs it; the exit code is ssh's."},
        footerHeading = "%nExamples:%n", footer = {
            "  hangar compute ssh -n ci1",
            "  hangar compute ssh -n ci1 -i ~/.ssh/id_ed25519 -- nvidia-smi",
            "  hangar compute ssh -n ci1 --print",
            "  hangar compute ssh -n ci1 --ssh-option StrictHostKeyChecking=accept-new -- ls -la"})
final class ComputeSshCommand extends OneComputeCommand {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9@%+=:,./_~-]+");

    @Option(names = {"-i", "--identity"}, paramLabel = "FILE", description = "the private key to log in with (ssh -i)")
    Path identity;

    @Option(names = "--ssh-option", paramLabel = "OPTION",
            description = "an option for ssh, as in ssh -o OPTION; repeat for more")
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
        try (var connection = context.connect()) {
            var computes = connection.computes(workspace);
            var compute = computes.get(name);
            address = computes.sshAddress(compute).orElseThrow(() -> new CliException("SshNotEnabled",
                    ComputeView.instance(compute) == null ? "compute '" + name + "' is not a compute instance: only"
                            + " instances are reached over SSH"
                            : "compute '" + name + "' was created without SSH access. SSH is chosen when an"
                            + " instance is created and cannot be added later: create another instance with --ssh-key"
                            + " ~/.ssh/id_ed25519.pub",
                    ExitCodes.USAGE));
        }
        var command = command(address);
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

    List<String> command(SshAddress address) {
        var command = new ArrayList<>(address.command().subList(0, address.command().size() - 1));
        if (identity != null) {
            command.addAll(List.of("-i", identity.toString()));
        }
        sshOptions.forEach(option -> command.addAll(List.of("-o", option)));
        command.add(address.destination());
        command.addAll(remoteCommand);
        return command;
    }

    private static int run(List<String> command) {
        try {
            return new ProcessBuilder(command).inheritIO().start().waitFor();
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
