package dev.hangar.core.compute;

import dev.hangar.api.ComputeType;
import dev.hangar.core.custom.CustomService;
import dev.hangar.core.idle.IdleShutdown;
import dev.hangar.core.schedule.ComputeSchedule;
import dev.hangar.core.setup.SetupScripts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The compute-instance aggregate: what the user asked for, the state it is in, and what its backend reported.
 * Immutable; every change is a new value whose {@link #version()} the store checks on write.
 *
 * @param apps the app endpoints the backend reported when the instance last reached Running
 * @param setupScripts the scripts the instance runs as it is created and started; {@link SetupScripts#NONE} for none
 * @param customServices the containers that run beside it, each endpoint one of its apps; they take effect as it starts
 * @param idleShutdown when the instance is stopped for want of use, and any keep-alive lease
 * @param schedules when the instance is started and stopped by the clock
 * @param owner the user who owns the instance's apps: the assigned user when one is set, else the creator
 */
public record ComputeInstance(
        UUID id,
        UUID workspaceId,
        String name,
        String vmSize,
        InstanceState state,
        String description,
        Map<String, String> tags,
        UserRef createdBy,
        UserRef assignedUser,
        String applicationSharingPolicy,
        SshSettings ssh,
        SetupScripts setupScripts,
        List<CustomService> customServices,
        IdleShutdown idleShutdown,
        List<ComputeSchedule> schedules,
        List<ComputeError> errors,
        List<AppEndpoint> apps,
        String backend,
        Instant createdOn,
        Instant modifiedOn,
        long version) implements Compute {

    public ComputeInstance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        tags = tags == null ? null : Map.copyOf(tags);
        errors = errors == null ? List.of() : List.copyOf(errors);
        apps = apps == null ? List.of() : List.copyOf(apps);
        ssh = ssh == null ? SshSettings.DISABLED : ssh;
        setupScripts = setupScripts == null ? SetupScripts.NONE : setupScripts;
        customServices = customServices == null ? List.of() : List.copyOf(customServices);
        idleShutdown = idleShutdown == null ? IdleShutdown.NEVER : idleShutdown;
        schedules = schedules == null ? List.of() : List.copyOf(schedules);
    }

    /** The user whose instance this is: the assigned user, else the creator. */
    public UserRef owner() {
        return assignedUser != null ? assignedUser : createdBy;
    }

    /** This instance moved to {@code to}, as the transition table allows. */
    public ComputeInstance withState(InstanceState to, Instant at) {
        return new ComputeInstance(id, workspaceId, name, vmSize, state.moveTo(to), description, tags, createdBy,
                assignedUser, applicationSharingPolicy, ssh, setupScripts, customServices, idleShutdown, schedules, errors, apps,
                backend, createdOn, at, version);
    }

    public ComputeInstance withErrors(List<ComputeError> newErrors) {
        return new ComputeInstance(id, workspaceId, name, vmSize, state, description, tags, createdBy, assignedUser,
                applicationSharingPolicy, ssh, setupScripts, customServices, idleShutdown, schedules, newErrors, apps, backend,
                createdOn, modifiedOn, version);
    }

    public ComputeInstance withApps(List<AppEndpoint> newApps) {
        return new ComputeInstance(id, workspaceId, name, vmSize, state, description, tags, createdBy, assignedUser,
                applicationSharingPolicy, ssh, setupScripts, customServices, idleShutdown, schedules, errors, newApps, backend,
                createdOn, modifiedOn, version);
    }

    /** The mutable fields a PUT on an existing instance may change. */
    public ComputeInstance withUpdate(String newDescription, Map<String, String> newTags, Instant at) {
        return new ComputeInstance(id, workspaceId, name, vmSize, state, newDescription, newTags, createdBy,
                assignedUser, applicationSharingPolicy, ssh, setupScripts, customServices, idleShutdown, schedules, errors, apps,
                backend, createdOn, at, version);
    }

    public ComputeInstance withIdleShutdown(IdleShutdown newIdleShutdown, Instant at) {
        return new ComputeInstance(id, workspaceId, name, vmSize, state, description, tags, createdBy, assignedUser,
                applicationSharingPolicy, ssh, setupScripts, customServices, newIdleShutdown, schedules, errors, apps, backend,
                createdOn, at, version);
    }

    public ComputeInstance withCustomServices(List<CustomService> newServices, Instant at) {
        return new ComputeInstance(id, workspaceId, name, vmSize, state, description, tags, createdBy, assignedUser,
                applicationSharingPolicy, ssh, setupScripts, newServices, idleShutdown, schedules, errors, apps,
                backend, createdOn, at, version);
    }

    public ComputeInstance withSchedules(List<ComputeSchedule> newSchedules, Instant at) {
        return new ComputeInstance(id, workspaceId, name, vmSize, state, description, tags, createdBy, assignedUser,
                applicationSharingPolicy, ssh, setupScripts, customServices, idleShutdown, newSchedules, errors, apps, backend,
                createdOn, at, version);
    }

    public ComputeInstance withVersion(long newVersion) {
        return new ComputeInstance(id, workspaceId, name, vmSize, state, description, tags, createdBy, assignedUser,
                applicationSharingPolicy, ssh, setupScripts, customServices, idleShutdown, schedules, errors, apps, backend,
                createdOn, modifiedOn, newVersion);
    }

    /**
     * SSH access settings; off unless enabled at creation with a public key.
     *
     * @param adminPublicKey one OpenSSH public-key line, {@code <type> <base64> [comment]}
     */
    public record SshSettings(boolean publicAccess, String adminPublicKey) {
        public static final SshSettings DISABLED = new SshSettings(false, null);

        /** Whether {@code other} grants the same access: both off, or both on with the same key (comments aside). */
        public boolean sameAccessAs(SshSettings other) {
            if (publicAccess != other.publicAccess) {
                return false;
            }
            return !publicAccess || keyMaterial(adminPublicKey).equals(keyMaterial(other.adminPublicKey));
        }

        private static String keyMaterial(String key) {
            var parts = key == null ? new String[0] : key.strip().split("\\s+");
            return parts.length < 2 ? String.join(" ", parts) : parts[0] + " " + parts[1];
        }
    }

    @Override
    public String computeType() {
        return ComputeType.COMPUTE_INSTANCE;
    }
}
