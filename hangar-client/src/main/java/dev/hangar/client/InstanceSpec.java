package dev.hangar.client;

import dev.hangar.api.Compute;
import dev.hangar.api.ComputeInstanceProperties;
import dev.hangar.api.ComputeInstanceProperties.AssignedUser;
import dev.hangar.api.ComputeInstanceProperties.PersonalComputeInstanceSettings;
import dev.hangar.api.ComputeInstanceProperties.SshSettings;
import dev.hangar.api.ComputeResource;
import java.util.Map;

/**
 * What to create with {@link ComputeClient#createInstance}: a VM size and optionally a description, tags, the user the
 * instance is for, and an SSH public key (which also turns SSH access on).
 *
 * <pre>{@code
 * InstanceSpec.of("Standard_DS3_v2").withDescription("notebooks").withSshPublicKey(Files.readString(key))
 * }</pre>
 *
 * @param vmSize        required, e.g. {@code Standard_DS3_v2}
 * @param description   or {@code null}
 * @param tags          never {@code null}; empty when none
 * @param assignedUser  the user the instance is created for, or {@code null} for the caller
 * @param sshPublicKey  an OpenSSH public key, or {@code null} for no SSH access
 */
public record InstanceSpec(String vmSize, String description, Map<String, String> tags, AssignedUser assignedUser,
                           String sshPublicKey) {

    public InstanceSpec {
        if (vmSize == null || vmSize.isBlank()) {
            throw new IllegalArgumentException("a VM size is required");
        }
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public static InstanceSpec of(String vmSize) {
        return new InstanceSpec(vmSize, null, Map.of(), null, null);
    }

    public InstanceSpec withDescription(String description) {
        return new InstanceSpec(vmSize, description, tags, assignedUser, sshPublicKey);
    }

    public InstanceSpec withTags(Map<String, String> tags) {
        return new InstanceSpec(vmSize, description, tags, assignedUser, sshPublicKey);
    }

    /** Creates the instance for this user ({@code UserInfo.id()} and tenant) instead of the caller. */
    public InstanceSpec assignedTo(String objectId, String tenantId) {
        return new InstanceSpec(vmSize, description, tags, new AssignedUser(objectId, tenantId), sshPublicKey);
    }

    public InstanceSpec withSshPublicKey(String sshPublicKey) {
        return new InstanceSpec(vmSize, description, tags, assignedUser, sshPublicKey);
    }

    /** The PUT body; {@code null} fields are left out on the wire. */
    ComputeResource toResource(String location) {
        var ssh = sshPublicKey == null ? null : new SshSettings("Enabled", null, null, sshPublicKey.strip());
        var personal = assignedUser == null ? null : new PersonalComputeInstanceSettings(assignedUser);
        var instance = new ComputeInstanceProperties(vmSize, null, null, ssh, null, null, null, null, null, null, null,
                null, personal, null, null, null, null, null, null);
        var compute = new Compute(null, description, null, null, null, null, null, null, null, instance);
        return new ComputeResource(null, null, null, location, tags.isEmpty() ? null : tags, null, compute);
    }
}
