package dev.hangar.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Map;

/**
 * {@code properties.properties} of an attached Slurm cluster ({@code computeType: Slurm}, Hangar's own type; Azure's
 * clients list it as a compute of a type they do not know). The connection keys follow Azure's attached
 * {@code VirtualMachine} ({@code address}, {@code sshPort}, {@code administratorAccount}); a GET never shows the
 * account's password or keys ({@code listKeys} does). The engine's own keys are read-only: what Slurm said of itself
 * when it was last reached.
 *
 * @param connection    {@code Local} (Slurm's commands on Hangar's host), {@code Ssh} (on a login node) or {@code Rest}
 *                      (slurmrestd, Slurm's REST API)
 * @param slurmConf     the slurm.conf the commands use, where it is not the default
 * @param partition     where jobs go; the cluster's default partition when null
 * @param workDirectory where each job's folder is made, on a filesystem the nodes share ({@code ~/} is the home of
 *                      the account the job runs as)
 * @param hostKey       the login node's SSH host key, pinned at attach when not given
 * @param jobUser       {@code Connection} (jobs run as the account Hangar connects as) or {@code Requester} (each as
 *                      the account {@code userMap} names for its requester)
 * @param userMap       Hangar user (name or object id) → Slurm account
 * @param restUrl       slurmrestd's base URL ({@code Rest})
 * @param restUser      the account the token is for ({@code Rest})
 * @param restToken     a JWT of {@code scontrol token} ({@code Rest}); a GET never shows it
 */
public record SlurmProperties(
        String connection,
        String address,
        Integer sshPort,
        Credentials administratorAccount,
        String slurmConf,
        String partition,
        String workDirectory,
        String hostKey,
        String jobUser,
        Map<String, String> userMap,
        String slurmVersion,
        String clusterName,
        Integer nodeCount,
        Integer cpusPerNode,
        String account,
        Boolean switchesUsers,
        String restUrl,
        String restUser,
        String restToken) implements ComputeProperties {

    public static final String TYPE = "Slurm";

    @Override
    @JsonIgnore
    public String computeType() {
        return TYPE;
    }

    /**
     * Azure's {@code VirtualMachineSshCredentials}, with the passphrase of an encrypted private key beside them; on a
     * GET only {@code username} has a value.
     */
    public record Credentials(String username, String password, String publicKeyData, String privateKeyData,
                              String passphrase) {
    }
}
