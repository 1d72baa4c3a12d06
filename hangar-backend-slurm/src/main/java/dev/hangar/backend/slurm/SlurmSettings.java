package dev.hangar.backend.slurm;

import dev.hangar.core.spi.engine.EngineConnection;
import dev.hangar.core.spi.engine.EngineException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A Slurm attachment's settings, checked once when the engine is made so that a wrong one fails with its name.
 *
 * @param connection    where Slurm's commands run (key {@value #CONNECTION}): Local, or Ssh when an address is given
 * @param ssh           how the login node is reached; null for {@link Connection#Local}
 * @param slurmConf     the slurm.conf every command is pointed at (key {@value #SLURM_CONF}), or null for Slurm's own
 * @param partition     where jobs go (key {@value #PARTITION}), or null for the cluster's default partition
 * @param workDirectory where job folders go (key {@value #WORK_DIRECTORY}): absolute, or {@code ~/...} for the home
 *                      folder of the account a job runs as
 */
record SlurmSettings(Connection connection, SshSettings ssh, String slurmConf, String partition,
                     String workDirectory) {
    static final String ERROR_CODE = "InvalidSlurmSetting";
    static final String CONNECTION = "connection";
    static final String ADDRESS = "address";
    static final String SSH_PORT = "sshPort";
    static final String USERNAME = "username";
    static final String HOST_KEY = "hostKey";
    static final String SLURM_CONF = "slurmConf";
    static final String PARTITION = "partition";
    static final String WORK_DIRECTORY = "workDirectory";
    static final String PRIVATE_KEY_DATA = "privateKeyData";
    static final String PASSPHRASE = "passphrase";
    static final String PASSWORD = "password";
    static final String DEFAULT_WORK_DIRECTORY = "~/.hangar/jobs";
    static final int DEFAULT_SSH_PORT = 22;

    private static final Set<String> KEYS = Set.of(CONNECTION, ADDRESS, SSH_PORT, USERNAME, HOST_KEY, SLURM_CONF,
            PARTITION, WORK_DIRECTORY);
    private static final Set<String> SSH_KEYS = Set.of(ADDRESS, SSH_PORT, USERNAME, HOST_KEY);
    private static final Set<String> SECRETS = Set.of(PRIVATE_KEY_DATA, PASSPHRASE, PASSWORD);
    // A leading '-' would turn a host or user name into an option of whatever reads it.
    private static final Pattern ADDRESS_PATTERN = Pattern.compile("[A-Za-z0-9_.:\\[\\]%][A-Za-z0-9_.:\\[\\]%-]*");
    private static final Pattern USER_PATTERN = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.@-]*");
    private static final Pattern PARTITION_PATTERN = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]*");

    /** Where Slurm's commands run. */
    enum Connection {
        /** On Hangar's own host. */
        Local,
        /** On a login node, over SSH. */
        Ssh
    }

    /**
     * Reads and checks an attachment's settings and secrets. Unknown keys are refused so that a misspelt setting is
     * never silently ignored.
     *
     * @throws EngineException {@value #ERROR_CODE} (not retryable) naming the setting and what it accepts
     */
    static SlurmSettings from(EngineConnection attachment) {
        refuseUnknown("setting", attachment.settings().keySet(), KEYS);
        refuseUnknown("secret", attachment.secrets().keySet(), SECRETS);
        var settings = attachment.settings();
        var connection = connection(text(settings, CONNECTION), text(settings, ADDRESS) != null);
        SshSettings ssh = null;
        if (connection == Connection.Ssh) {
            ssh = ssh(settings, attachment.secrets());
        } else {
            var misplaced = new TreeSet<>(SSH_KEYS);
            misplaced.retainAll(present(settings));
            if (!misplaced.isEmpty()) {
                throw invalid(misplaced + " apply only when " + CONNECTION + " is Ssh");
            }
        }
        return new SlurmSettings(connection, ssh, slurmConf(text(settings, SLURM_CONF)),
                partition(text(settings, PARTITION)), workDirectory(text(settings, WORK_DIRECTORY)));
    }

    static EngineException invalid(String message) {
        return EngineException.fatal(ERROR_CODE, message);
    }

    private static void refuseUnknown(String kind, Set<String> given, Set<String> known) {
        var unknown = new TreeSet<>(given);
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw invalid("Unknown Slurm " + kind + "(s) " + unknown + "; known: " + new TreeSet<>(known));
        }
    }

    /** As written, case aside; when left out, Ssh if a login node's address is given, else Local. */
    private static Connection connection(String value, boolean addressGiven) {
        if (value == null) {
            return addressGiven ? Connection.Ssh : Connection.Local;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "local" -> Connection.Local;
            case "ssh" -> Connection.Ssh;
            default -> throw invalid(CONNECTION + " must be Local or Ssh, not '" + value + "'");
        };
    }

    private static SshSettings ssh(Map<String, String> settings, Map<String, String> secrets) {
        var address = required(settings, ADDRESS);
        if (!ADDRESS_PATTERN.matcher(address).matches()) {
            throw invalid(ADDRESS + " must be a host name or an IP address, not '" + address + "'");
        }
        var username = required(settings, USERNAME);
        if (!USER_PATTERN.matcher(username).matches()) {
            throw invalid(USERNAME + " must be an account name, not '" + username + "'");
        }
        var privateKey = text(secrets, PRIVATE_KEY_DATA);
        var password = text(secrets, PASSWORD);
        if (privateKey == null && password == null) {
            throw invalid("connection Ssh needs the secret " + PRIVATE_KEY_DATA + " or " + PASSWORD);
        }
        return new SshSettings(address, port(text(settings, SSH_PORT)), username, text(settings, HOST_KEY),
                privateKey, secrets.get(PASSPHRASE), password);
    }

    private static int port(String value) {
        if (value == null) {
            return DEFAULT_SSH_PORT;
        }
        try {
            var port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // Refused below, with the same message as a number out of range.
        }
        throw invalid(SSH_PORT + " must be a whole number from 1 to 65535, not '" + value + "'");
    }

    private static String slurmConf(String value) {
        if (value != null && !isCleanPath(value, "/")) {
            throw invalid(SLURM_CONF + " must be an absolute path, not '" + value + "'");
        }
        return value;
    }

    private static String partition(String value) {
        if (value != null && !PARTITION_PATTERN.matcher(value).matches()) {
            throw invalid(PARTITION + " must be a Slurm partition name, not '" + value + "'");
        }
        return value;
    }

    private static String workDirectory(String value) {
        if (value == null) {
            return DEFAULT_WORK_DIRECTORY;
        }
        var trimmed = value.length() > 1 && value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        if (!(isCleanPath(trimmed, "/") || isCleanPath(trimmed, "~/")) || trimmed.equals("/")) {
            throw invalid(WORK_DIRECTORY + " must be an absolute path or start with ~/ (the home folder of the"
                    + " account a job runs as), without '..', not '" + value + "'");
        }
        return trimmed;
    }

    /** Starts with {@code prefix}, and has no '..' segment nor a character a file name should not carry. */
    private static boolean isCleanPath(String path, String prefix) {
        return path.startsWith(prefix) && path.chars().noneMatch(c -> c < ' ' || c == 127)
                && !("/" + path + "/").contains("/../");
    }

    private static String required(Map<String, String> settings, String key) {
        var value = text(settings, key);
        if (value == null) {
            throw invalid(key + " is required when " + CONNECTION + " is Ssh");
        }
        return value;
    }

    private static Set<String> present(Map<String, String> settings) {
        var keys = new TreeSet<String>();
        settings.forEach((key, value) -> {
            if (value != null && !value.isBlank()) {
                keys.add(key);
            }
        });
        return keys;
    }

    private static String text(Map<String, String> settings, String key) {
        var value = settings.get(key);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
