package dev.hangar.client;

import dev.hangar.api.Compute;
import dev.hangar.api.ComputeResource;
import dev.hangar.api.SlurmProperties;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What to attach with {@link ComputeClient#attachSlurm}: how Slurm is reached ({@link #local()}, its commands on the
 * Hangar server's own host; {@link #ssh(String)}, its commands on a login node; or
 * {@link #rest(String, String, String)}, slurmrestd), and optionally the SSH port and account, the pinned host key, the
 * slurm.conf, the partition, the folder jobs are made in, whose account jobs run as, a description and tags. What is
 * not given is left out of the request: the server uses Slurm's defaults (the default partition, port 22,
 * {@code ~/.hangar/jobs}, the host key the login node shows at attach) and, when the attachment exists, keeps the
 * recorded job user, user map and secrets (the account's password, key and passphrase, the REST token).
 *
 * <pre>{@code
 * SlurmSpec.ssh("login1.example").withAccount(SlurmSpec.Account.privateKey("svc", Files.readString(key)))
 *         .withPartition("gpu").withJobUser(SlurmSpec.JobUser.REQUESTER).withUserMap(Map.of("alice", "alice1"))
 * SlurmSpec.rest("http://slurm-api.example:6820", "hangar", token).withWorkDirectory("/shared/hangar")
 * }</pre>
 *
 * <p>The server reaches Slurm before it records anything and checks the values there: an unreachable login node,
 * controller or slurmrestd, a refused account or token, a host key that does not match or an unknown partition is 400
 * ({@code SlurmControllerUnreachable}, {@code SlurmAuthenticationFailed}, {@code SlurmHostKeyMismatch},
 * {@code SlurmPartitionNotFound}, {@code InvalidSlurmSetting}, {@code EngineCannotSwitchUsers}).
 *
 * <p>{@link #toString()} never shows the secrets.
 *
 * @param connection    never {@code null}
 * @param address       the login node's host name or IP address; required for {@link Connection#SSH}, none for the
 *                      others, like {@code sshPort}, {@code account} and {@code hostKey}
 * @param sshPort       or {@code null} for 22
 * @param account       the SSH account, or {@code null}
 * @param slurmConf     an absolute path, or {@code null} for Slurm's own
 * @param partition     or {@code null} for the cluster's default partition
 * @param workDirectory where each job's folder is made, on a filesystem the nodes share: absolute or {@code ~/...}; or
 *                      {@code null}
 * @param hostKey       the login node's host key, {@code <type> <base64>}; or {@code null} to pin the one it shows
 * @param restUrl       slurmrestd's base URL, {@code http(s)://host:port}; required for {@link Connection#REST}, none
 *                      for the others, like {@code restUser} and {@code restToken}
 * @param restUser      the Slurm account the token is for; required for {@link Connection#REST}
 * @param restToken     a JWT of {@code scontrol token username=<restUser>}, or {@code null} to keep the recorded one
 * @param jobUser       or {@code null}: {@link JobUser#CONNECTION} at attach, the recorded choice after
 * @param userMap       Hangar user (name or object id) → Slurm account, in the given order; or {@code null} (the
 *                      recorded map)
 * @param description   or {@code null}
 * @param tags          never {@code null}; empty when none
 */
public record SlurmSpec(Connection connection, String address, Integer sshPort, Account account, String slurmConf,
                        String partition, String workDirectory, String hostKey, String restUrl, String restUser,
                        String restToken, JobUser jobUser, Map<String, String> userMap, String description,
                        Map<String, String> tags) {

    /** How Slurm is reached: where its commands ({@code sbatch}, {@code squeue}...) run, or its REST API. */
    public enum Connection {
        /** On the Hangar server's own host, as the account the server runs as. */
        LOCAL("Local"),
        /** On a login node, over SSH. */
        SSH("Ssh"),
        /**
         * slurmrestd, Slurm's REST API, with a JWT; the job folders are made on the Hangar server's host, so the work
         * directory must be on a filesystem that host shares with the nodes.
         */
        REST("Rest");

        private final String wireName;

        Connection(String wireName) {
            this.wireName = wireName;
        }

        /** As the wire writes it: {@code Local}, {@code Ssh}, {@code Rest}. */
        public String wireName() {
            return wireName;
        }
    }

    /** Whose Slurm account a job runs as. */
    public enum JobUser {
        /** The account Hangar reaches Slurm as, for every job. */
        CONNECTION("Connection"),
        /**
         * The account {@link #userMap()} names for the job's requester (a requester it does not name is refused); the
         * connection's account must be allowed to run jobs as others (root, or sudo without a password).
         */
        REQUESTER("Requester");

        private final String wireName;

        JobUser(String wireName) {
            this.wireName = wireName;
        }

        /** As the wire writes it: {@code Connection}, {@code Requester}. */
        public String wireName() {
            return wireName;
        }
    }

    /**
     * Azure's {@code administratorAccount}: the account Hangar logs in to the login node as, with a password or a
     * private key (and the key's passphrase). A secret left {@code null} keeps the one recorded for an existing
     * attachment. {@link #toString()} never shows the secrets.
     *
     * @param privateKeyData an OpenSSH or PEM private key, the file's text
     */
    public record Account(String username, String password, String privateKeyData, String passphrase) {

        /** The account alone: the recorded secrets stay. */
        public static Account username(String username) {
            return new Account(username, null, null, null);
        }

        public static Account privateKey(String username, String privateKeyData) {
            return new Account(username, null, privateKeyData, null);
        }

        public static Account password(String username, String password) {
            return new Account(username, password, null, null);
        }

        public Account withPassphrase(String passphrase) {
            return new Account(username, password, privateKeyData, passphrase);
        }

        @Override
        public String toString() {
            return "Account[username=" + username + (password == null ? "" : ", password=***")
                    + (privateKeyData == null ? "" : ", privateKeyData=***")
                    + (passphrase == null ? "" : ", passphrase=***") + "]";
        }
    }

    public SlurmSpec {
        if (connection == null) {
            throw new IllegalArgumentException("a connection is required: Local, Ssh or Rest");
        }
        var sshGiven = address != null || sshPort != null || account != null || hostKey != null;
        var restGiven = restUrl != null || restUser != null || restToken != null;
        if (connection != Connection.SSH && sshGiven) {
            throw new IllegalArgumentException("the address, SSH port, account and host key apply only to an Ssh"
                    + " connection");
        }
        if (connection != Connection.REST && restGiven) {
            throw new IllegalArgumentException("the REST URL, user and token apply only to a Rest connection");
        }
        if (connection == Connection.SSH && isBlank(address)) {
            throw new IllegalArgumentException("an Ssh connection needs the login node's address");
        }
        if (connection == Connection.REST && (isBlank(restUrl) || isBlank(restUser))) {
            throw new IllegalArgumentException("a Rest connection needs slurmrestd's URL and the user its token is"
                    + " for");
        }
        if (userMap != null) {
            // in the caller's order, as it goes on the wire
            var copy = new LinkedHashMap<String, String>();
            userMap.forEach((user, slurmAccount) -> copy.put(Objects.requireNonNull(user, "user"),
                    Objects.requireNonNull(slurmAccount, "account of " + user)));
            userMap = Collections.unmodifiableMap(copy);
        }
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** Slurm's commands on the Hangar server's own host. */
    public static SlurmSpec local() {
        return new SlurmSpec(Connection.LOCAL, null, null, null, null, null, null, null, null, null, null, null, null,
                null, Map.of());
    }

    /** Slurm's commands on the login node {@code address}, over SSH; give it an {@link #withAccount account}. */
    public static SlurmSpec ssh(String address) {
        return new SlurmSpec(Connection.SSH, address, null, null, null, null, null, null, null, null, null, null, null,
                null, Map.of());
    }

    /**
     * slurmrestd at {@code restUrl} ({@code http://slurm-api.example:6820}), as {@code restUser} with
     * {@code restToken}, the JWT {@code scontrol token username=<restUser>} prints after {@code SLURM_JWT=}; a
     * {@code null} token keeps the one recorded for an existing attachment.
     */
    public static SlurmSpec rest(String restUrl, String restUser, String restToken) {
        return new SlurmSpec(Connection.REST, null, null, null, null, null, null, null, restUrl, restUser, restToken,
                null, null, null, Map.of());
    }

    public SlurmSpec withSshPort(Integer sshPort) {
        return new SlurmSpec(connection, address, sshPort, account, slurmConf, partition, workDirectory, hostKey,
                restUrl, restUser, restToken, jobUser, userMap, description, tags);
    }

    public SlurmSpec withAccount(Account account) {
        return new SlurmSpec(connection, address, sshPort, account, slurmConf, partition, workDirectory, hostKey,
                restUrl, restUser, restToken, jobUser, userMap, description, tags);
    }

    public SlurmSpec withSlurmConf(String slurmConf) {
        return new SlurmSpec(connection, address, sshPort, account, slurmConf, partition, workDirectory, hostKey,
                restUrl, restUser, restToken, jobUser, userMap, description, tags);
    }

    public SlurmSpec withPartition(String partition) {
        return new SlurmSpec(connection, address, sshPort, account, slurmConf, partition, workDirectory, hostKey,
                restUrl, restUser, restToken, jobUser, userMap, description, tags);
    }

    public SlurmSpec withWorkDirectory(String workDirectory) {
        return new SlurmSpec(connection, address, sshPort, account, slurmConf, partition, workDirectory, hostKey,
                restUrl, restUser, restToken, jobUser, userMap, description, tags);
    }

    public SlurmSpec withHostKey(String hostKey) {
        return new SlurmSpec(connection, address, sshPort, account, slurmConf, partition, workDirectory, hostKey,
                restUrl, restUser, restToken, jobUser, userMap, description, tags);
    }

    public SlurmSpec withJobUser(JobUser jobUser) {
        return new SlurmSpec(connection, address, sshPort, account, slurmConf, partition, workDirectory, hostKey,
                restUrl, restUser, restToken, jobUser, userMap, description, tags);
    }

    public SlurmSpec withUserMap(Map<String, String> userMap) {
        return new SlurmSpec(connection, address, sshPort, account, slurmConf, partition, workDirectory, hostKey,
                restUrl, restUser, restToken, jobUser, userMap, description, tags);
    }

    public SlurmSpec withDescription(String description) {
        return new SlurmSpec(connection, address, sshPort, account, slurmConf, partition, workDirectory, hostKey,
                restUrl, restUser, restToken, jobUser, userMap, description, tags);
    }

    public SlurmSpec withTags(Map<String, String> tags) {
        return new SlurmSpec(connection, address, sshPort, account, slurmConf, partition, workDirectory, hostKey,
                restUrl, restUser, restToken, jobUser, userMap, description, tags);
    }

    /** The fields, with {@code restToken=***} for a token: the account shows none of its secrets either. */
    @Override
    public String toString() {
        return "SlurmSpec[connection=" + connection + ", address=" + address + ", sshPort=" + sshPort + ", account="
                + account + ", slurmConf=" + slurmConf + ", partition=" + partition + ", workDirectory="
                + workDirectory + ", hostKey=" + hostKey + ", restUrl=" + restUrl + ", restUser=" + restUser
                + ", restToken=" + (restToken == null ? null : "***") + ", jobUser=" + jobUser + ", userMap=" + userMap
                + ", description=" + description + ", tags=" + tags + "]";
    }

    /** The PUT body; {@code null} fields are left out on the wire. */
    ComputeResource toResource(String location) {
        var credentials = account == null ? null : new SlurmProperties.Credentials(account.username(),
                account.password(), null, account.privateKeyData(), account.passphrase());
        var slurm = new SlurmProperties(connection.wireName(), address, sshPort, credentials, slurmConf, partition,
                workDirectory, hostKey, jobUser == null ? null : jobUser.wireName(), userMap, null, null, null, null,
                null, null, restUrl, restUser, restToken);
        var compute = new Compute(null, description, null, null, null, null, null, null, null, slurm);
        return new ComputeResource(null, null, null, location, tags.isEmpty() ? null : tags, null, compute);
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
