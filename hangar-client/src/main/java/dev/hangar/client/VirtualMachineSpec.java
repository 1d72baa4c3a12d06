package dev.hangar.client;

import dev.hangar.api.Compute;
import dev.hangar.api.ComputeResource;
import dev.hangar.api.SlurmProperties;
import dev.hangar.api.VirtualMachineProperties;
import java.util.Map;
import java.util.Objects;

/**
 * What to attach with {@link ComputeClient#attachVirtualMachine}: a Linux machine reached over SSH, Azure's attached
 * {@code VirtualMachine}, by its address, the account Hangar logs in as (a password, or a private key with its
 * passphrase when it is encrypted), and optionally its SSH port (22), its pinned host key (else the one it shows at
 * attach), its size (a label), a description and tags. The server logs in and probes the machine before it records
 * anything: an unreachable machine, a refused account, a host key that does not match or a machine that lacks what jobs
 * need is 400 ({@code VirtualMachineUnreachable}, {@code VirtualMachineAuthenticationFailed},
 * {@code VirtualMachineHostKeyMismatch}, {@code VirtualMachineUnsuitable}, {@code InvalidVirtualMachineSetting}).
 *
 * <pre>{@code
 * VirtualMachineSpec.of("10.0.0.5", SlurmSpec.Account.privateKey("azureuser", Files.readString(key))).withSshPort(2222)
 * }</pre>
 *
 * <p>{@link #toString()} never shows the secrets.
 *
 * @param account    the SSH account ({@link SlurmSpec.Account}, Azure's {@code administratorAccount})
 * @param sshPort    or {@code null} for 22
 * @param hostKey    {@code <type> <base64>}, or {@code null} to pin the one the machine shows at attach
 * @param resourceId the machine's Azure resource id, kept as a label, or {@code null}
 * @param tags       never {@code null}
 */
public record VirtualMachineSpec(String address, Integer sshPort, SlurmSpec.Account account, String hostKey,
                                 String virtualMachineSize, String resourceId, String description,
                                 Map<String, String> tags) {

    public VirtualMachineSpec {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(account, "account");
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public static VirtualMachineSpec of(String address, SlurmSpec.Account account) {
        return new VirtualMachineSpec(address, null, account, null, null, null, null, Map.of());
    }

    public VirtualMachineSpec withSshPort(Integer port) {
        return new VirtualMachineSpec(address, port, account, hostKey, virtualMachineSize, resourceId, description,
                tags);
    }

    public VirtualMachineSpec withHostKey(String key) {
        return new VirtualMachineSpec(address, sshPort, account, key, virtualMachineSize, resourceId, description,
                tags);
    }

    public VirtualMachineSpec withVirtualMachineSize(String size) {
        return new VirtualMachineSpec(address, sshPort, account, hostKey, size, resourceId, description, tags);
    }

    public VirtualMachineSpec withResourceId(String id) {
        return new VirtualMachineSpec(address, sshPort, account, hostKey, virtualMachineSize, id, description, tags);
    }

    public VirtualMachineSpec withDescription(String text) {
        return new VirtualMachineSpec(address, sshPort, account, hostKey, virtualMachineSize, resourceId, text, tags);
    }

    public VirtualMachineSpec withTags(Map<String, String> newTags) {
        return new VirtualMachineSpec(address, sshPort, account, hostKey, virtualMachineSize, resourceId, description,
                newTags);
    }

    /** The PUT body, as Azure's clients send it; {@code null} fields are left out on the wire. */
    ComputeResource toResource(String location) {
        var credentials = new SlurmProperties.Credentials(account.username(), account.password(), null,
                account.privateKeyData(), account.passphrase());
        var properties = new VirtualMachineProperties(virtualMachineSize, sshPort, null, address, credentials, null,
                hostKey, null, null, null, null, null, null);
        var compute = new Compute(null, description, null, null, resourceId, null, null, null, null, properties);
        return new ComputeResource(null, null, null, location, tags.isEmpty() ? null : tags, null, compute);
    }
}
