package dev.hangar.cli;

import dev.hangar.api.OperationStatus;
import dev.hangar.api.SparkProperties;
import dev.hangar.client.ComputeClient;
import dev.hangar.client.LongRunningOperation;
import dev.hangar.client.SlurmSpec;
import dev.hangar.client.VirtualMachineSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "attach", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Attaches a Slurm cluster, a Linux machine over SSH (virtualmachine) or a Spark standalone"
                + " cluster (spark) as a compute, or changes"
                + " the attachment of that name, from options or from an attach YAML (az's, options override the"
                + " file's keys), and shows it. The server reaches it before it records anything: a wrong address,"
                + " account, host key, REST URL, token or partition is refused. A change that gives no password, key"
                + " or token keeps the recorded ones.",
        footerHeading = "%nExamples:%n", footer = {
            "  hangar compute attach -n hpc --type slurm           # on the server's host",
            "  hangar compute attach -n hpc --type slurm --address login1.example \\",
            "      --admin-username svc --ssh-private-key-file ~/.ssh/hangar_svc \\",
            "      --partition gpu",
            "  hangar compute attach -n hpc --type slurm --address login1.example \\",
            "      --admin-username root --ssh-private-key-file root_key \\",
            "      --job-user requester --map-user alice=alice1 --map-user bob=bob",
            "  hangar compute attach -n hpc --type slurm --rest-url http://slurm-api.example:6820 \\",
            "      --rest-user hangar --rest-token-file hangar.jwt --work-directory /shared/hangar",
            "  hangar compute attach -f slurm.yml --ssh-key-passphrase \"$PASSPHRASE\"",
            "  hangar compute attach -n box --type virtualmachine --address 10.0.0.5 \\",
            "      --admin-username azureuser --ssh-private-key-file ~/.ssh/id_ed25519",
            "  hangar compute attach -f vm.yml --address 10.0.0.5   # az's type: virtualmachine YAML",
            "  hangar compute attach -n spark --type spark --master-url spark://spark-master.example:7077 \\",
            "      --work-directory /shared/hangar"})
final class ComputeAttachCommand extends OperationCommand {
    @Option(names = {"-f", "--file"}, paramLabel = "YAML", description = "an attach YAML: name, type, description,"
            + " tags, connection, address, ssh_port, admin_username, ssh_private_key_file, rest_url, rest_user,"
            + " rest_token_file, slurm_conf, partition, work_directory, host_key, job_user, user_map")
    Path file;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "the compute's name (default: the file's)")
    String name;

    @Option(names = {"-t", "--type"}, paramLabel = "TYPE", description = "slurm, virtualmachine or spark, the types"
            + " Hangar attaches")
    String type;

    @Option(names = "--connection", paramLabel = "local|ssh|rest", description = "how Slurm is reached: local, its"
            + " commands on the server's own host; ssh, its commands on a login node; or rest, slurmrestd (default:"
            + " rest when --rest-url is given, ssh when --address is, else local)")
    String connection;

    @Option(names = "--address", paramLabel = "HOST", description = "ssh: the login node's host name or IP address")
    String address;

    @Option(names = "--ssh-port", paramLabel = "N", description = "ssh: the login node's SSH port (default: 22)")
    Integer sshPort;

    @Option(names = "--admin-username", paramLabel = "USER", description = "ssh: the account Hangar logs in as")
    String adminUsername;

    @Option(names = "--ssh-private-key-file", paramLabel = "FILE",
            description = "ssh: the account's private key (OpenSSH or PEM); sent to the server, never shown")
    Path sshPrivateKeyFile;

    @Option(names = "--ssh-key-passphrase", paramLabel = "PASSPHRASE", description = "ssh: the private key's passphrase")
    String sshKeyPassphrase;

    @Option(names = "--admin-password", paramLabel = "PASSWORD", description = "ssh: the account's password")
    String adminPassword;

    @Option(names = "--host-key", paramLabel = "KEY", description = "ssh: the login node's host key, e.g. 'ssh-ed25519"
            + " AAAA...' (default: the one it shows at attach, pinned from then on)")
    String hostKey;

    @Option(names = "--rest-url", paramLabel = "URL", description = "rest: where slurmrestd listens, e.g."
            + " http://slurm-api.example:6820")
    String restUrl;

    @Option(names = "--rest-user", paramLabel = "USER", description = "rest: the Slurm account the token is for")
    String restUser;

    @Option(names = "--rest-token", paramLabel = "TOKEN", description = "rest: the JWT 'scontrol token username=USER'"
            + " prints (a leading SLURM_JWT= is dropped); sent to the server, never shown")
    String restToken;

    @Option(names = "--rest-token-file", paramLabel = "FILE", description = "rest: a file holding the token, alone or"
            + " as SLURM_JWT=TOKEN, as 'scontrol token' writes it")
    Path restTokenFile;

    @Option(names = "--slurm-conf", paramLabel = "PATH", description = "the slurm.conf Slurm's commands use, where it"
            + " is not the default")
    String slurmConf;

    @Option(names = "--partition", paramLabel = "PARTITION", description = "where jobs go (default: the cluster's"
            + " default partition)")
    String partition;

    @Option(names = "--work-directory", paramLabel = "DIR", description = "where each job's folder is made, on a"
            + " filesystem the nodes share: absolute, or ~/... in the home of the account the job runs as (default:"
            + " ~/.hangar/jobs)")
    String workDirectory;

    @Option(names = "--job-user", paramLabel = "connection|requester", description = "whose account jobs run as: the"
            + " account Hangar connects as (the default), or each requester's, as --map-user names it")
    String jobUser;

    @Option(names = "--map-user", paramLabel = "HANGARUSER=ACCOUNT",
            description = "the Slurm account of a Hangar user (name or object id); repeat for more")
    Map<String, String> userMap = new LinkedHashMap<>();

    @Option(names = "--resource-id", paramLabel = "ID", description = "virtualmachine: its Azure resource id, kept as"
            + " a label (Hangar reaches the machine by --address)")
    String resourceId;

    @Option(names = "--description", paramLabel = "TEXT", description = "a description")
    String description;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "a tag; repeat for more")
    Map<String, String> tags = new LinkedHashMap<>();

    @Option(names = "--master-url", paramLabel = "URL", description = "spark: the master, spark://host:7077")
    String masterUrl;

    @Option(names = "--web-ui-url", paramLabel = "URL", description = "spark: the master's web UI (default: port"
            + " 8080 of the master's host); --rest-url is its REST submission server (default: port 6066)")
    String webUiUrl;

    private AttachDefinition definition;
    private SparkProperties spark;
    private SlurmSpec slurm;
    private VirtualMachineSpec virtualMachine;

    ComputeAttachCommand(CliContext context) {
        super(context);
    }

    @Override
    public Integer call() {
        if (file == null && SparkProperties.TYPE.equalsIgnoreCase(type == null ? "" : type.strip())) {
            spark = spark();
            return super.call();
        }
        var options = new AttachDefinition(type, name, description, tags, connection, address, sshPort, adminUsername,
                sshPrivateKeyFile, sshKeyPassphrase, adminPassword, restUrl, restUser, restToken, restTokenFile,
                slurmConf, partition, workDirectory, hostKey, jobUser, userMap.isEmpty() ? null : userMap, resourceId);
        definition = file == null ? options
                : AttachDefinition.read(file, context.environment().home(), err()::println).overriddenBy(options);
        if (definition.isVirtualMachine()) {
            virtualMachine = definition.virtualMachine();
        } else {
            slurm = definition.slurm();
        }
        return super.call();
    }

    /** A Spark standalone cluster from the options: its master and the folder its workers share with Hangar. */
    private SparkProperties spark() {
        if (name == null || masterUrl == null || workDirectory == null) {
            throw new CliException("MissingComputeField", "a spark compute needs --name, --master-url (spark://host:7077)"
                    + " and --work-directory (a folder Hangar's host and every worker see at the same path)",
                    ExitCodes.USAGE);
        }
        return new SparkProperties(masterUrl, restUrl, webUiUrl, workDirectory, null, null, null);
    }

    @Override
    String name() {
        return spark != null ? name : definition.name();
    }

    @Override
    LongRunningOperation begin(ComputeClient computes) {
        if (spark != null) {
            return computes.attachSpark(name, spark, description);
        }
        return virtualMachine != null ? computes.attachVirtualMachine(name(), virtualMachine)
                : computes.attachSlurm(name(), slurm);
    }

    @Override
    void done(ComputeClient computes, LongRunningOperation operation, OperationStatus status) {
        var compute = computes.get(name());
        if (output.json()) {
            printJson(compute);
        } else {
            ComputeShowCommand.details(compute, computes).print(out());
        }
    }
}
