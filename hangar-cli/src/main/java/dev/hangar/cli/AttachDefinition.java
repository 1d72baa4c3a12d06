package dev.hangar.cli;

import dev.hangar.client.SlurmSpec;
import dev.hangar.client.VirtualMachineSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What {@code hangar compute attach} is asked for, in the snake_case keys of az's attach YAML ({@code -f}); the
 * command line's options override the file's keys one by one, and its tags and user map entries are added to the
 * file's. Every field is {@code null} when not given. The secrets come from the command line only: the private key and
 * the REST token are read from {@code sshPrivateKeyFile} and {@code restTokenFile} when the spec is made, and never
 * shown.
 *
 * @param type       {@code slurm} or {@code virtualmachine}, in any case
 * @param connection {@code local}, {@code ssh} or {@code rest}, in any case; {@code rest} when a REST URL is given and
 *                   no connection, else {@code ssh} when an address is
 * @param restToken  the token as {@code --rest-token} gives it; with {@code restTokenFile} it makes one setting, which
 *                   the options override as a whole
 * @param jobUser    {@code connection} or {@code requester}, in any case
 * @param userMap    Hangar user → Slurm account
 * @param resourceId a virtual machine's Azure resource id ({@code resource_id}), kept as a label
 */
record AttachDefinition(String type, String name, String description, Map<String, String> tags, String connection,
                        String address, Integer sshPort, String adminUsername, Path sshPrivateKeyFile,
                        String sshKeyPassphrase, String adminPassword, String restUrl, String restUser,
                        String restToken, Path restTokenFile, String slurmConf, String partition,
                        String workDirectory, String hostKey, String jobUser, Map<String, String> userMap,
                        String resourceId) {

    static final String SLURM = "slurm";
    static final String VIRTUAL_MACHINE = "virtualmachine";
    private static final Set<String> KEYS = Set.of("$schema", "type", "name", "description", "tags", "connection",
            "address", "ssh_port", "admin_username", "ssh_private_key_file", "rest_url", "rest_user",
            "rest_token_file", "slurm_conf", "partition", "work_directory", "host_key", "job_user", "user_map");
    /** az's {@code type: virtualmachine} keys, and Hangar's {@code address} and {@code host_key}. */
    private static final Set<String> VIRTUAL_MACHINE_KEYS = Set.of("$schema", "type", "name", "description", "tags",
            "resource_id", "ssh_settings", "address", "host_key");
    /** What {@code scontrol token} prints before the token. */
    private static final String SLURM_JWT = "SLURM_JWT=";

    AttachDefinition {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        userMap = userMap == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(userMap));
        if (connection == null && restUrl != null) {
            connection = "rest";
        } else if (connection == null && address != null) {
            connection = "ssh";
        }
    }

    /**
     * Reads an attach YAML; {@code ssh_private_key_file} and {@code rest_token_file} are taken relative to the file's
     * folder, {@code ~/} as {@code home}. {@code note} hears of keys Hangar does not use.
     */
    static AttachDefinition read(Path yaml, Path home, Consumer<String> note) {
        var file = AzYaml.read(yaml, "InvalidComputeFile");
        var type = file.text("type");
        file.noteUnused(type != null && type.strip().equalsIgnoreCase(VIRTUAL_MACHINE) ? VIRTUAL_MACHINE_KEYS : KEYS,
                note);
        // az's virtualmachine YAML nests the account under ssh_settings; Slurm's keys are top-level.
        var ssh = file.mapping("ssh_settings");
        var nested = ssh == null ? Map.<String, String>of() : ssh;
        return new AttachDefinition(type, file.text("name"), file.text("description"), file.tags(),
                file.text("connection"), file.text("address"), either(file.integer("ssh_port"),
                sshPort(file, nested.get("ssh_port"))), either(file.text("admin_username"),
                nested.get("admin_username")), besideFile(yaml, home, either(file.text("ssh_private_key_file"),
                nested.get("ssh_private_key_file"))), null, nested.get("admin_password"), file.text("rest_url"),
                file.text("rest_user"), null, besideFile(yaml, home, file.text("rest_token_file")),
                file.text("slurm_conf"), file.text("partition"), file.text("work_directory"), file.text("host_key"),
                file.text("job_user"), file.mapping("user_map"), file.text("resource_id"));
    }

    private static Integer sshPort(AzYaml file, String text) {
        try {
            return text == null ? null : Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw file.invalid("ssh_settings.ssh_port is a whole number, not '" + text + "'");
        }
    }

    /** {@code path} relative to the YAML's folder, or {@code ~/...} in {@code home}; null for null. */
    private static Path besideFile(Path yaml, Path home, String path) {
        if (path == null) {
            return null;
        }
        return path.startsWith("~/") ? home.resolve(path.substring(2))
                : yaml.toAbsolutePath().getParent().resolve(path).normalize();
    }

    /** This definition with every field {@code options} gives replaced; tags and user maps are merged, the options' winning. */
    AttachDefinition overriddenBy(AttachDefinition options) {
        var mergedTags = new LinkedHashMap<>(tags);
        mergedTags.putAll(options.tags());
        Map<String, String> mergedUsers = null;
        if (userMap != null || options.userMap() != null) {
            mergedUsers = new LinkedHashMap<String, String>();
            mergedUsers.putAll(userMap == null ? Map.of() : userMap);
            mergedUsers.putAll(options.userMap() == null ? Map.of() : options.userMap());
        }
        // --rest-token and --rest-token-file both stand for rest_token_file: either replaces it
        var tokenGiven = options.restToken() != null || options.restTokenFile() != null;
        return new AttachDefinition(either(options.type(), type), either(options.name(), name),
                either(options.description(), description), mergedTags, either(options.connection(), connection),
                either(options.address(), address), either(options.sshPort(), sshPort),
                either(options.adminUsername(), adminUsername), either(options.sshPrivateKeyFile(), sshPrivateKeyFile),
                either(options.sshKeyPassphrase(), sshKeyPassphrase), either(options.adminPassword(), adminPassword),
                either(options.restUrl(), restUrl), either(options.restUser(), restUser),
                tokenGiven ? options.restToken() : restToken, tokenGiven ? options.restTokenFile() : restTokenFile,
                either(options.slurmConf(), slurmConf), either(options.partition(), partition),
                either(options.workDirectory(), workDirectory), either(options.hostKey(), hostKey),
                either(options.jobUser(), jobUser), mergedUsers, either(options.resourceId(), resourceId));
    }

    /** Whether this attaches a virtual machine ({@value #VIRTUAL_MACHINE}) rather than Slurm. */
    boolean isVirtualMachine() {
        return type != null && type.strip().equalsIgnoreCase(VIRTUAL_MACHINE);
    }

    /**
     * The request of a virtual machine: its address, the account and its password or private key.
     *
     * @throws CliException {@code MissingComputeField}, {@code InvalidComputeOption}
     */
    VirtualMachineSpec virtualMachine() {
        var slurmOnly = restOptions();
        given(slurmOnly, slurmConf, "--slurm-conf (slurm_conf)");
        given(slurmOnly, partition, "--partition (partition)");
        given(slurmOnly, workDirectory, "--work-directory (work_directory)");
        given(slurmOnly, jobUser, "--job-user (job_user)");
        given(slurmOnly, userMap, "--map-user (user_map)");
        if (!slurmOnly.isEmpty()) {
            throw new CliException("InvalidComputeOption", String.join(", ", slurmOnly) + (slurmOnly.size() == 1
                    ? " applies" : " apply") + " to Slurm only, not to a " + VIRTUAL_MACHINE, ExitCodes.USAGE);
        }
        if (name == null || address == null) {
            throw new CliException("MissingComputeField", "a " + VIRTUAL_MACHINE + " needs a name and its address"
                    + " (-n and --address, or name and address in the YAML): Hangar reaches it over SSH and does not"
                    + " look up resource_id", ExitCodes.USAGE);
        }
        if (adminUsername == null || (adminPassword == null && sshPrivateKeyFile == null)) {
            throw new CliException("MissingComputeField", "a " + VIRTUAL_MACHINE + " needs the account Hangar logs in"
                    + " as and its password or private key (--admin-username with --admin-password or"
                    + " --ssh-private-key-file, or ssh_settings.admin_username with admin_password or"
                    + " ssh_private_key_file in the YAML)", ExitCodes.USAGE);
        }
        var account = new SlurmSpec.Account(adminUsername, adminPassword,
                sshPrivateKeyFile == null ? null : privateKey(sshPrivateKeyFile), sshKeyPassphrase);
        return VirtualMachineSpec.of(address, account).withSshPort(sshPort).withHostKey(hostKey)
                .withResourceId(resourceId).withDescription(description).withTags(tags);
    }

    /**
     * The request: checks the type, that the options fit the connection, and reads the private key or token file.
     *
     * @throws CliException {@code MissingComputeField}, {@code UnsupportedComputeType}, {@code InvalidComputeOption}
     */
    SlurmSpec slurm() {
        if (name == null || type == null) {
            throw new CliException("MissingComputeField", "an attached compute needs a name and a type (-n and --type "
                    + SLURM + ", or name and type in the YAML)", ExitCodes.USAGE);
        }
        if (!type.strip().equalsIgnoreCase(SLURM)) {
            throw new CliException("UnsupportedComputeType", "Hangar attaches " + SLURM + ", " + VIRTUAL_MACHINE
                    + " and spark computes, not '" + type + "'", ExitCodes.USAGE);
        }
        var spec = switch (connectionKind()) {
            case LOCAL -> local();
            case SSH -> ssh();
            case REST -> rest();
        };
        if (jobUser != null) {
            spec = spec.withJobUser(jobUser(jobUser));
        }
        return spec.withSlurmConf(slurmConf).withPartition(partition).withWorkDirectory(workDirectory)
                .withUserMap(userMap).withDescription(description).withTags(tags);
    }

    private SlurmSpec local() {
        refuse(sshOptions(), "ssh", "local");
        refuse(restOptions(), "rest", "local");
        return SlurmSpec.local();
    }

    private SlurmSpec ssh() {
        refuse(restOptions(), "rest", "ssh");
        if (address == null) {
            throw new CliException("MissingComputeField", "connection ssh needs the login node's address (--address,"
                    + " or address in the YAML)", ExitCodes.USAGE);
        }
        var spec = SlurmSpec.ssh(address).withSshPort(sshPort).withHostKey(hostKey);
        if (adminUsername == null && sshPrivateKeyFile == null && sshKeyPassphrase == null && adminPassword == null) {
            return spec;
        }
        return spec.withAccount(new SlurmSpec.Account(adminUsername, adminPassword,
                sshPrivateKeyFile == null ? null : privateKey(sshPrivateKeyFile), sshKeyPassphrase));
    }

    private SlurmSpec rest() {
        refuse(sshOptions(), "ssh", "rest");
        if (restUrl == null) {
            throw new CliException("MissingComputeField", "connection rest needs slurmrestd's URL (--rest-url, or"
                    + " rest_url in the YAML)", ExitCodes.USAGE);
        }
        if (restUser == null) {
            throw new CliException("MissingComputeField", "connection rest needs the account the token is for"
                    + " (--rest-user, or rest_user in the YAML)", ExitCodes.USAGE);
        }
        if (restToken != null && restTokenFile != null) {
            throw new CliException("InvalidComputeOption", "give the token with --rest-token or --rest-token-file,"
                    + " not both", ExitCodes.USAGE);
        }
        return SlurmSpec.rest(restUrl, restUser, restTokenFile != null ? restToken(restTokenFile)
                : restToken == null ? null : token(restToken, "--rest-token"));
    }

    /** The SSH options given, as the error names them. */
    private List<String> sshOptions() {
        var given = new ArrayList<String>();
        given(given, address, "--address (address)");
        given(given, sshPort, "--ssh-port (ssh_port)");
        given(given, adminUsername, "--admin-username (admin_username)");
        given(given, sshPrivateKeyFile, "--ssh-private-key-file (ssh_private_key_file)");
        given(given, sshKeyPassphrase, "--ssh-key-passphrase");
        given(given, adminPassword, "--admin-password");
        given(given, hostKey, "--host-key (host_key)");
        return given;
    }

    /** The REST options given, as the error names them: never the token itself. */
    private List<String> restOptions() {
        var given = new ArrayList<String>();
        given(given, restUrl, "--rest-url (rest_url)");
        given(given, restUser, "--rest-user (rest_user)");
        given(given, restToken, "--rest-token");
        given(given, restTokenFile, "--rest-token-file (rest_token_file)");
        return given;
    }

    private static void refuse(List<String> foreign, String owner, String connection) {
        if (!foreign.isEmpty()) {
            throw new CliException("InvalidComputeOption", String.join(", ", foreign) + (foreign.size() == 1
                    ? " applies" : " apply") + " to connection " + owner + " only, not to " + connection,
                    ExitCodes.USAGE);
        }
    }

    private SlurmSpec.Connection connectionKind() {
        return switch (connection == null ? "local" : connection.strip().toLowerCase(Locale.ROOT)) {
            case "local" -> SlurmSpec.Connection.LOCAL;
            case "ssh" -> SlurmSpec.Connection.SSH;
            case "rest" -> SlurmSpec.Connection.REST;
            default -> throw new CliException("InvalidComputeOption", "a connection is local, ssh or rest, not '"
                    + connection + "'", ExitCodes.USAGE);
        };
    }

    private static SlurmSpec.JobUser jobUser(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "connection" -> SlurmSpec.JobUser.CONNECTION;
            case "requester" -> SlurmSpec.JobUser.REQUESTER;
            default -> throw new CliException("InvalidComputeOption", "a job user is connection or requester, not '"
                    + text + "'", ExitCodes.USAGE);
        };
    }

    /** The key file's text; a public key given by mistake is refused without sending it. */
    private static String privateKey(Path file) {
        var text = read(file, "private key file");
        var start = text.strip();
        if (start.startsWith("ssh-") || start.startsWith("ecdsa-") || start.startsWith("sk-")) {
            throw new CliException("InvalidComputeOption", file + " is a public key: give the private key file"
                    + " (the one without .pub)", ExitCodes.USAGE);
        }
        return text;
    }

    /** The token file's token, as {@code scontrol token} writes it ({@code SLURM_JWT=...}) or alone. */
    private static String restToken(Path file) {
        return token(read(file, "REST token file"), "the REST token file " + file);
    }

    /** {@code text} stripped, without a leading {@code SLURM_JWT=}; an error names {@code source}, never the text. */
    private static String token(String text, String source) {
        var token = text.strip();
        if (token.startsWith(SLURM_JWT)) {
            token = token.substring(SLURM_JWT.length()).strip();
        }
        if (token.isEmpty()) {
            throw new CliException("InvalidComputeOption", source + " holds no token: give the one 'scontrol token"
                    + " username=USER' prints", ExitCodes.USAGE);
        }
        return token;
    }

    /** The file's text; an error names the file and why, never what is in it. */
    private static String read(Path file, String what) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            var reason = e instanceof NoSuchFileException ? "there is no such file"
                    : e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
            throw new CliException("InvalidComputeOption", "cannot read the " + what + " " + file + ": " + reason,
                    ExitCodes.USAGE);
        }
    }

    private static void given(List<String> foreign, Object value, String what) {
        if (value != null) {
            foreign.add(what);
        }
    }

    private static <T> T either(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }
}
