package dev.hangar.cli;

import dev.hangar.client.SlurmSpec;
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
 * file's. Every field is {@code null} when not given. The secrets come from the command line only: the private key is
 * read from {@code sshPrivateKeyFile} when the spec is made, and never shown.
 *
 * @param type       {@code slurm}, in any case
 * @param connection {@code local} or {@code ssh}, in any case; {@code ssh} when only an address is given
 * @param jobUser    {@code connection} or {@code requester}, in any case
 * @param userMap    Hangar user → Slurm account
 */
record AttachDefinition(String type, String name, String description, Map<String, String> tags, String connection,
                        String address, Integer sshPort, String adminUsername, Path sshPrivateKeyFile,
                        String sshKeyPassphrase, String adminPassword, String slurmConf, String partition,
                        String workDirectory, String hostKey, String jobUser, Map<String, String> userMap) {

    static final String SLURM = "slurm";
    private static final Set<String> KEYS = Set.of("$schema", "type", "name", "description", "tags", "connection",
            "address", "ssh_port", "admin_username", "ssh_private_key_file", "slurm_conf", "partition",
            "work_directory", "host_key", "job_user", "user_map");

    AttachDefinition {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        userMap = userMap == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(userMap));
        if (connection == null && address != null) {
            connection = "ssh";
        }
    }

    /**
     * Reads an attach YAML; {@code ssh_private_key_file} is taken relative to the file's folder, {@code ~/} as
     * {@code home}. {@code note} hears of keys Hangar does not use.
     */
    static AttachDefinition read(Path yaml, Path home, Consumer<String> note) {
        var file = AzYaml.read(yaml, "InvalidComputeFile");
        file.noteUnused(KEYS, note);
        var key = file.text("ssh_private_key_file");
        Path keyFile = null;
        if (key != null) {
            keyFile = key.startsWith("~/") ? home.resolve(key.substring(2))
                    : yaml.toAbsolutePath().getParent().resolve(key).normalize();
        }
        return new AttachDefinition(file.text("type"), file.text("name"), file.text("description"), file.tags(),
                file.text("connection"), file.text("address"), file.integer("ssh_port"), file.text("admin_username"),
                keyFile, null, null, file.text("slurm_conf"), file.text("partition"), file.text("work_directory"),
                file.text("host_key"), file.text("job_user"), file.mapping("user_map"));
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
        return new AttachDefinition(either(options.type(), type), either(options.name(), name),
                either(options.description(), description), mergedTags, either(options.connection(), connection),
                either(options.address(), address), either(options.sshPort(), sshPort),
                either(options.adminUsername(), adminUsername), either(options.sshPrivateKeyFile(), sshPrivateKeyFile),
                either(options.sshKeyPassphrase(), sshKeyPassphrase), either(options.adminPassword(), adminPassword),
                either(options.slurmConf(), slurmConf), either(options.partition(), partition),
                either(options.workDirectory(), workDirectory), either(options.hostKey(), hostKey),
                either(options.jobUser(), jobUser), mergedUsers);
    }

    /**
     * The request: checks the type, that the options fit the connection, and reads the private key file.
     *
     * @throws CliException {@code MissingComputeField}, {@code UnsupportedComputeType}, {@code InvalidComputeOption}
     */
    SlurmSpec slurm() {
        if (name == null || type == null) {
            throw new CliException("MissingComputeField", "an attached compute needs a name and a type (-n and --type "
                    + SLURM + ", or name and type in the YAML)", ExitCodes.USAGE);
        }
        if (!type.strip().equalsIgnoreCase(SLURM)) {
            throw new CliException("UnsupportedComputeType", "Hangar attaches " + SLURM + " computes, not '" + type
                    + "'", ExitCodes.USAGE);
        }
        var spec = connectionKind() == SlurmSpec.Connection.SSH ? ssh() : local();
        if (jobUser != null) {
            spec = spec.withJobUser(jobUser(jobUser));
        }
        return spec.withSlurmConf(slurmConf).withPartition(partition).withWorkDirectory(workDirectory)
                .withUserMap(userMap).withDescription(description).withTags(tags);
    }

    private SlurmSpec local() {
        var foreign = new ArrayList<String>();
        given(foreign, address, "--address (address)");
        given(foreign, sshPort, "--ssh-port (ssh_port)");
        given(foreign, adminUsername, "--admin-username (admin_username)");
        given(foreign, sshPrivateKeyFile, "--ssh-private-key-file (ssh_private_key_file)");
        given(foreign, sshKeyPassphrase, "--ssh-key-passphrase");
        given(foreign, adminPassword, "--admin-password");
        given(foreign, hostKey, "--host-key (host_key)");
        if (!foreign.isEmpty()) {
            throw new CliException("InvalidComputeOption", String.join(", ", foreign) + (foreign.size() == 1
                    ? " applies" : " apply") + " to connection ssh only, not to local", ExitCodes.USAGE);
        }
        return SlurmSpec.local();
    }

    private SlurmSpec ssh() {
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

    private SlurmSpec.Connection connectionKind() {
        return switch (connection == null ? "local" : connection.strip().toLowerCase(Locale.ROOT)) {
            case "local" -> SlurmSpec.Connection.LOCAL;
            case "ssh" -> SlurmSpec.Connection.SSH;
            default -> throw new CliException("InvalidComputeOption", "a connection is local or ssh, not '"
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
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            var reason = e instanceof NoSuchFileException ? "there is no such file"
                    : e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
            throw new CliException("InvalidComputeOption", "cannot read the private key file " + file + ": " + reason,
                    ExitCodes.USAGE);
        }
        var start = text.strip();
        if (start.startsWith("ssh-") || start.startsWith("ecdsa-") || start.startsWith("sk-")) {
            throw new CliException("InvalidComputeOption", file + " is a public key: give the private key file"
                    + " (the one without .pub)", ExitCodes.USAGE);
        }
        return text;
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
