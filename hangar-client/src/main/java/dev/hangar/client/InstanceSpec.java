package dev.hangar.client;

import dev.hangar.api.Compute;
import dev.hangar.api.ComputeInstanceProperties;
import dev.hangar.api.ComputeInstanceProperties.AssignedUser;
import dev.hangar.api.ComputeInstanceProperties.ComputeSchedules;
import dev.hangar.api.ComputeInstanceProperties.ComputeStartStopSchedule;
import dev.hangar.api.ComputeInstanceProperties.PersonalComputeInstanceSettings;
import dev.hangar.api.ComputeInstanceProperties.ScriptReference;
import dev.hangar.api.ComputeInstanceProperties.ScriptsToExecute;
import dev.hangar.api.ComputeInstanceProperties.SetupScripts;
import dev.hangar.api.ComputeInstanceProperties.SshSettings;
import dev.hangar.api.ComputeResource;
import dev.hangar.api.CustomService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * What to create with {@link ComputeClient#createInstance}: a VM size and optionally a description, tags, the user the
 * instance is for, an SSH public key (which also turns SSH access on), setup scripts, an idle time before shutdown, and
 * start/stop schedules.
 *
 * <pre>{@code
 * InstanceSpec.of("Standard_DS3_v2").withDescription("notebooks").withSshPublicKey(Files.readString(key))
 *         .withCreationScript(InstanceSpec.scriptInShare("Users/alice/setup.sh", "--name 'a b'",
 *                 Duration.ofMinutes(10)))
 *         .withIdleTimeBeforeShutdown(Duration.ofMinutes(30))
 *         .withSchedules(List.of(new ComputeStartStopSchedule(null, null, "Enabled", "Stop", "Cron", null,
 *                 new Cron(null, "Pacific Standard Time", "0 18 * * *"))))
 * }</pre>
 *
 * <p>The server checks the scripts (400 {@code InvalidSetupScript}, {@code SetupScriptNotFound},
 * {@code InvalidScriptArguments}, {@code InvalidScriptTimeout}), the idle time (400 {@code InvalidIdleTime}) and the
 * schedules (400 {@code InvalidCronExpression}, {@code InvalidTimeZone}, {@code InvalidSchedule}); nothing is checked
 * here.
 *
 * @param vmSize                 required, e.g. {@code Standard_DS3_v2}
 * @param description            or {@code null}
 * @param tags                   never {@code null}; empty when none
 * @param assignedUser           the user the instance is created for, or {@code null} for the caller
 * @param sshPublicKey           an OpenSSH public key, or {@code null} for no SSH access
 * @param creationScript         run once when the instance is created, or {@code null}
 * @param startupScript          run on every start of the instance, or {@code null}
 * @param idleTimeBeforeShutdown the instance is stopped once nothing has used it for this long (15 minutes to 3
 *                               days); {@code null} for never
 * @param schedules              start/stop schedules ({@code id} and {@code provisioningStatus} are the server's);
 *                               they replace those of an instance that exists; {@code null} sends none and keeps them
 * @param customServices         containers of images the server's engine has, run beside the instance, each
 *                               endpoint one of its applications; {@code null} sends none (change them later with
 *                               {@link ComputeClient#updateCustomServices})
 */
public record InstanceSpec(String vmSize, String description, Map<String, String> tags, AssignedUser assignedUser,
                           String sshPublicKey, ScriptReference creationScript, ScriptReference startupScript,
                           Duration idleTimeBeforeShutdown, List<ComputeStartStopSchedule> schedules,
                           List<CustomService> customServices) {
    /** {@code scriptSource} of a script in the workspace's file share: {@code scriptData} is its path there. */
    public static final String SCRIPT_IN_SHARE = "workspaceStorage";
    /** {@code scriptSource} of a script sent whole: {@code scriptData} is its text in base64. */
    public static final String INLINE_SCRIPT = "inline";

    public InstanceSpec {
        if (vmSize == null || vmSize.isBlank()) {
            throw new IllegalArgumentException("a VM size is required");
        }
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        schedules = schedules == null ? null : List.copyOf(schedules);
        customServices = customServices == null ? null : List.copyOf(customServices);
    }

    public static InstanceSpec of(String vmSize) {
        return new InstanceSpec(vmSize, null, Map.of(), null, null, null, null, null, null, null);
    }

    /**
     * A script in the workspace's file share, e.g. {@code Users/alice/setup.sh}.
     *
     * @param arguments one line, split by the server as a shell splits words; or {@code null}
     * @param timeout   or {@code null} for the server's default (30 minutes)
     */
    public static ScriptReference scriptInShare(String path, String arguments, Duration timeout) {
        return new ScriptReference(SCRIPT_IN_SHARE, path, arguments, timeout(timeout));
    }

    /** A script sent whole, its {@code text} as base64 of UTF-8; arguments and timeout as for {@link #scriptInShare}. */
    public static ScriptReference inlineScript(String text, String arguments, Duration timeout) {
        return new ScriptReference(INLINE_SCRIPT, Base64.getEncoder().encodeToString(
                text.getBytes(StandardCharsets.UTF_8)), arguments, timeout(timeout));
    }

    public InstanceSpec withDescription(String description) {
        return new InstanceSpec(vmSize, description, tags, assignedUser, sshPublicKey, creationScript, startupScript,
                idleTimeBeforeShutdown, schedules, customServices);
    }

    public InstanceSpec withTags(Map<String, String> tags) {
        return new InstanceSpec(vmSize, description, tags, assignedUser, sshPublicKey, creationScript, startupScript,
                idleTimeBeforeShutdown, schedules, customServices);
    }

    /** Creates the instance for this user ({@code UserInfo.id()} and tenant) instead of the caller. */
    public InstanceSpec assignedTo(String objectId, String tenantId) {
        return new InstanceSpec(vmSize, description, tags, new AssignedUser(objectId, tenantId), sshPublicKey,
                creationScript, startupScript, idleTimeBeforeShutdown, schedules, customServices);
    }

    public InstanceSpec withSshPublicKey(String sshPublicKey) {
        return new InstanceSpec(vmSize, description, tags, assignedUser, sshPublicKey, creationScript, startupScript,
                idleTimeBeforeShutdown, schedules, customServices);
    }

    public InstanceSpec withCreationScript(ScriptReference creationScript) {
        return new InstanceSpec(vmSize, description, tags, assignedUser, sshPublicKey, creationScript, startupScript,
                idleTimeBeforeShutdown, schedules, customServices);
    }

    public InstanceSpec withStartupScript(ScriptReference startupScript) {
        return new InstanceSpec(vmSize, description, tags, assignedUser, sshPublicKey, creationScript, startupScript,
                idleTimeBeforeShutdown, schedules, customServices);
    }

    /** Stops the instance once nothing has used it for {@code idleTime}; {@code null} for never. */
    public InstanceSpec withIdleTimeBeforeShutdown(Duration idleTime) {
        return new InstanceSpec(vmSize, description, tags, assignedUser, sshPublicKey, creationScript, startupScript,
                idleTime, schedules, customServices);
    }

    /** Starts and stops the instance on these schedules, an empty list for none; {@code null} sends none. */
    public InstanceSpec withSchedules(List<ComputeStartStopSchedule> schedules) {
        return new InstanceSpec(vmSize, description, tags, assignedUser, sshPublicKey, creationScript, startupScript,
                idleTimeBeforeShutdown, schedules, customServices);
    }

    /** Runs these custom services beside the instance; {@code null} sends none. */
    public InstanceSpec withCustomServices(List<CustomService> customServices) {
        return new InstanceSpec(vmSize, description, tags, assignedUser, sshPublicKey, creationScript, startupScript,
                idleTimeBeforeShutdown, schedules, customServices);
    }

    /** The PUT body; {@code null} fields are left out on the wire. */
    ComputeResource toResource(String location) {
        var ssh = sshPublicKey == null ? null : new SshSettings("Enabled", null, null, sshPublicKey.strip());
        var personal = assignedUser == null ? null : new PersonalComputeInstanceSettings(assignedUser);
        var scripts = creationScript == null && startupScript == null ? null
                : new SetupScripts(new ScriptsToExecute(startupScript, creationScript));
        var instance = new ComputeInstanceProperties(vmSize, null, null, ssh, customServices, null, null, null, null,
                null, null,
                null, personal, scripts, null, schedules == null ? null : new ComputeSchedules(schedules), null, null,
                idleTimeBeforeShutdown == null ? null : isoMinutes(idleTimeBeforeShutdown));
        var compute = new Compute(null, description, null, null, null, null, null, null, null, instance);
        return new ComputeResource(null, null, null, location, tags.isEmpty() ? null : tags, null, compute);
    }

    /** {@code idleTimeBeforeShutdown} as az writes it, {@code PT30M}; as Java writes it when not whole minutes. */
    static String isoMinutes(Duration idleTime) {
        return idleTime.toSecondsPart() == 0 && idleTime.toNanosPart() == 0 ? "PT" + idleTime.toMinutes() + "M"
                : idleTime.toString();
    }

    /** {@code "<n>m"} as Azure's clients write a timeout of whole minutes; ISO-8601 otherwise. */
    private static String timeout(Duration timeout) {
        if (timeout == null) {
            return null;
        }
        return timeout.toSecondsPart() == 0 && timeout.toNanosPart() == 0 ? timeout.toMinutes() + "m"
                : timeout.toString();
    }
}
