package dev.hangar.backend.slurm;

import dev.hangar.core.spi.engine.EngineConnection;
import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.ssh.client.SshSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A Slurm attachment's settings, checked once when the engine is made so that a wrong one fails with its name.
 *
 * @param connection    how Slurm is reached (key {@value #CONNECTION}): Local, Ssh when an address is given, Rest when
 *                      a slurmrestd URL is given
 * @param ssh           how the login node is reached; null unless {@link Connection#Ssh}
 * @param rest          how slurmrestd is reached; null unless {@link Connection#Rest}
 * @param slurmConf     the slurm.conf every command is pointed at (key {@value #SLURM_CONF}), or null for Slurm's own
 * @param partition     where jobs go (key {@value #PARTITION}), or null for the cluster's default partition
 * @param workDirectory where job folders go (key {@value #WORK_DIRECTORY}): absolute, or {@code ~/...} for the home
 *                      folder of the account a job runs as
 */
record SlurmSettings(Connection connection, SshSettings ssh, RestSettings rest, String slurmConf, String partition,
                     String workDirectory) {
    static final String ERROR_CODE = "InvalidSlurmSetting";
    static final String CONNECTION = "connection";
    static final String ADDRESS = SshSettings.ADDRESS;
    static final String SSH_PORT = SshSettings.SSH_PORT;
    static final String USERNAME = SshSettings.USERNAME;
    static final String HOST_KEY = SshSettings.HOST_KEY;
    static final String SLURM_CONF = "slurmConf";
    static final String PARTITION = "partition";
    static final String WORK_DIRECTORY = "workDirectory";
    static final String REST_URL = "restUrl";
    static final String REST_USER = "restUser";
    static final String PRIVATE_KEY_DATA = SshSettings.PRIVATE_KEY_DATA;
    static final String PASSPHRASE = SshSettings.PASSPHRASE;
    static final String PASSWORD = SshSettings.PASSWORD;
    static final String REST_TOKEN = "restToken";
    static final String DEFAULT_WORK_DIRECTORY = "~/.hangar/jobs";

    private static final Set<String> KEYS = Set.of(CONNECTION, ADDRESS, SSH_PORT, USERNAME, HOST_KEY, SLURM_CONF,
            PARTITION, WORK_DIRECTORY, REST_URL, REST_USER);
    private static final Set<String> SSH_KEYS = Set.of(ADDRESS, SSH_PORT, USERNAME, HOST_KEY);
    private static final Set<String> SSH_SECRETS = Set.of(PRIVATE_KEY_DATA, PASSPHRASE, PASSWORD);
    private static final Set<String> REST_KEYS = Set.of(REST_URL, REST_USER);
    private static final Set<String> REST_SECRETS = Set.of(REST_TOKEN);
    private static final Set<String> SECRETS = Set.of(PRIVATE_KEY_DATA, PASSPHRASE, PASSWORD, REST_TOKEN);
    private static final Pattern USER_PATTERN = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.@-]*");
    private static final Pattern PARTITION_PATTERN = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]*");

    /** How Slurm is reached. */
    enum Connection {
        /** Slurm's commands, run on Hangar's own host. */
        Local,
        /** Slurm's commands, run on a login node over SSH. */
        Ssh,
        /** slurmrestd, Slurm's REST API; job files on Hangar's own host, on a filesystem the nodes share. */
        Rest
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
        var secrets = attachment.secrets();
        var connection = connection(text(settings, CONNECTION), text(settings, ADDRESS) != null,
                text(settings, REST_URL) != null);
        var given = present(settings);
        given.addAll(present(secrets));
        SshSettings ssh = null;
        RestSettings rest = null;
        switch (connection) {
            case Local -> {
                refuseMisplaced(given, SSH_KEYS, Connection.Ssh);
                refuseMisplaced(given, union(REST_KEYS, REST_SECRETS), Connection.Rest);
            }
            case Ssh -> {
                refuseMisplaced(given, union(REST_KEYS, REST_SECRETS), Connection.Rest);
                ssh = ssh(settings, secrets);
            }
            case Rest -> {
                refuseMisplaced(given, union(SSH_KEYS, SSH_SECRETS), Connection.Ssh);
                rest = rest(settings, secrets);
            }
        }
        return new SlurmSettings(connection, ssh, rest, slurmConf(text(settings, SLURM_CONF)),
                partition(text(settings, PARTITION)), workDirectory(text(settings, WORK_DIRECTORY)));
    }

    /**
     * The Slurm these settings reach, as a key two attachments of the same Slurm share: {@code ssh://host:port} for a
     * login node (the host in lower case, the port 22 when left out), slurmrestd's URL with its scheme and host in
     * lower case, its port written out (80, 443 when left out) and no trailing slash, and {@code local} (with the
     * slurm.conf when one is named: the one thing that points this host's commands at another controller) for
     * Slurm's commands on Hangar's own host; then the partition jobs go to ({@code #default} when none is named), as a
     * team attaches each partition of its cluster (gpu, cpu) as a compute of its own. The account and work directory
     * are left out: another account of the same partition is still the same place to run.
     */
    String resource() {
        return cluster() + "#" + (partition == null ? "default" : partition);
    }

    private String cluster() {
        return switch (connection) {
            case Local -> slurmConf == null ? "local" : "local:" + Path.of(slurmConf).normalize();
            case Ssh -> ssh.resource();
            case Rest -> {
                var uri = URI.create(rest.url());
                var scheme = uri.getScheme().toLowerCase(Locale.ROOT);
                var port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
                var path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
                yield scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port + path;
            }
        };
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

    /**
     * As written, case aside; when left out, Rest if a slurmrestd URL is given, Ssh if a login node's address is,
     * else Local.
     */
    private static Connection connection(String value, boolean addressGiven, boolean restUrlGiven) {
        if (value == null) {
            return restUrlGiven ? Connection.Rest : addressGiven ? Connection.Ssh : Connection.Local;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "local" -> Connection.Local;
            case "ssh" -> Connection.Ssh;
            case "rest" -> Connection.Rest;
            default -> throw invalid(CONNECTION + " must be Local, Ssh or Rest, not '" + value + "'");
        };
    }

    private static void refuseMisplaced(Set<String> given, Set<String> keys, Connection only) {
        var misplaced = new TreeSet<>(keys);
        misplaced.retainAll(given);
        if (!misplaced.isEmpty()) {
            throw invalid(misplaced + " apply only when " + CONNECTION + " is " + only);
        }
    }

    private static SshSettings ssh(Map<String, String> settings, Map<String, String> secrets) {
        var address = required(settings, ADDRESS, Connection.Ssh);
        var username = required(settings, USERNAME, Connection.Ssh);
        var privateKey = text(secrets, PRIVATE_KEY_DATA);
        var password = text(secrets, PASSWORD);
        var ssh = SshSettings.checked(address, text(settings, SSH_PORT), username, text(settings, HOST_KEY),
                privateKey, secrets.get(PASSPHRASE), password, ERROR_CODE);
        if (privateKey == null && password == null) {
            throw invalid("connection Ssh needs the secret " + PRIVATE_KEY_DATA + " or " + PASSWORD);
        }
        return ssh;
    }

    private static RestSettings rest(Map<String, String> settings, Map<String, String> secrets) {
        var url = restUrl(required(settings, REST_URL, Connection.Rest));
        var user = required(settings, REST_USER, Connection.Rest);
        if (!USER_PATTERN.matcher(user).matches()) {
            throw invalid(REST_USER + " must be an account name, not '" + user + "'");
        }
        var value = required(secrets, REST_TOKEN, Connection.Rest);
        RestToken token;
        try {
            token = RestToken.parse(value);
        } catch (IllegalArgumentException e) {
            throw invalid(REST_TOKEN + " must be a JWT as 'scontrol token username=" + user
                    + "' prints it after SLURM_JWT=: " + e.getMessage());
        }
        if (token.user() != null && !token.user().equals(user)) {
            throw invalid(REST_TOKEN + " is for the user '" + token.user() + "', not " + REST_USER + " '" + user
                    + "'");
        }
        return new RestSettings(url, user, token);
    }

    /** {@code http(s)://host[:port][/path]}, without a trailing slash: slurmrestd's paths are added to it. */
    private static String restUrl(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getScheme() == null || !Set.of("http", "https").contains(
                uri.getScheme().toLowerCase(Locale.ROOT)) || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid(REST_URL + " must be http://host:port or https://host:port (where slurmrestd listens),"
                    + " not '" + value + "'");
        }
        return value.replaceAll("/+$", "");
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

    private static String required(Map<String, String> settings, String key, Connection connection) {
        var value = text(settings, key);
        if (value == null) {
            throw invalid(key + " is required when " + CONNECTION + " is " + connection);
        }
        return value;
    }

    private static Set<String> union(Set<String> first, Set<String> second) {
        var all = new TreeSet<>(first);
        all.addAll(second);
        return all;
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
