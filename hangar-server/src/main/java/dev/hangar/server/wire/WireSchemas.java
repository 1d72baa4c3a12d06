package dev.hangar.server.wire;

import static dev.hangar.server.wire.WireSchema.Characters.FREE;
import static dev.hangar.server.wire.WireSchema.Characters.NAME;
import static dev.hangar.server.wire.WireSchema.flag;
import static dev.hangar.server.wire.WireSchema.list;
import static dev.hangar.server.wire.WireSchema.map;
import static dev.hangar.server.wire.WireSchema.object;
import static dev.hangar.server.wire.WireSchema.text;
import static dev.hangar.server.wire.WireSchema.whole;

import dev.hangar.server.wire.WireSchema.Obj;
import dev.hangar.server.wire.WireSchema.Text;

/**
 * One schema per wire type Hangar takes, as Azure's clients send it: the JSON types, lengths (within the database's
 * columns), characters and ranges of every field Hangar reads. Finer rules that need the store or the configuration
 * (a VM size that exists, an idle time within the configured bounds, a cron expression) stay with the services that
 * know them; this is what no valid request ever breaks.
 */
public final class WireSchemas {
    /** Azure's limits on tags: 50 of them, names of up to 512 characters, values of up to 256. */
    public static final WireSchema TAGS = map(text(1, 512, NAME), text(256, FREE), 50);
    public static final Text DESCRIPTION = text(5_000, FREE);
    /** A location: Azure's names (eastus, West Europe) and Hangar's own (local). */
    public static final Text LOCATION = text(1, 64, NAME).matching("[A-Za-z0-9 _-]+",
            "a location (letters, digits, spaces, hyphens and underscores)");
    /** ISO 8601 durations and Azure's shorter forms ("20m"), read by the services that take them. */
    static final Text DURATION = text(1, 64, NAME);
    static final Text ENUM = text(1, 64, NAME);
    static final Text IDENTIFIER = text(1, 256, NAME);
    static final Text KEY = text(16_384, FREE);
    static final Text ARM_ID = text(1, 1_024, NAME);

    /** {@code PUT .../computes/{name}} of any kind: the envelope and the kinds' shared and own properties. */
    public static final WireSchema COMPUTE = object()
            .field("location", LOCATION)
            .field("tags", TAGS)
            .required("properties", object()
                    .field("computeType", ENUM)
                    .field("description", DESCRIPTION)
                    .field("resourceId", ARM_ID)
                    .field("properties", object()
                            .field("vmSize", text(1, 128, NAME))
                            .field("vmPriority", ENUM)
                            .field("applicationSharingPolicy", ENUM)
                            .field("idleTimeBeforeShutdown", DURATION)
                            .field("sshSettings", object()
                                    .field("sshPublicAccess", ENUM)
                                    .field("adminPublicKey", KEY)
                                    .field("adminUserName", IDENTIFIER))
                            .field("personalComputeInstanceSettings", object()
                                    .field("assignedUser", object()
                                            .field("objectId", IDENTIFIER)
                                            .field("tenantId", IDENTIFIER)))
                            .field("setupScripts", object()
                                    .field("scripts", object()
                                            .field("creationScript", script())
                                            .field("startupScript", script())))
                            .field("schedules", object()
                                    .field("computeStartStop", list(schedule(), 4)))
                            .field("scaleSettings", object()
                                    .field("minNodeCount", whole(0, 10_000))
                                    .field("maxNodeCount", whole(0, 10_000))
                                    .field("nodeIdleTimeBeforeScaleDown", DURATION))));

    /** {@code PATCH} of a cluster: new scale settings, description and tags. */
    public static final WireSchema COMPUTE_PATCH = object()
            .field("tags", TAGS)
            .field("properties", object()
                    .field("description", DESCRIPTION)
                    .field("scaleSettings", object()
                            .field("minNodeCount", whole(0, 10_000))
                            .field("maxNodeCount", whole(0, 10_000))
                            .field("nodeIdleTimeBeforeScaleDown", DURATION)));

    /** {@code POST .../updateIdleShutdownSetting}; "" turns idle shutdown off. */
    public static final WireSchema IDLE_SHUTDOWN = object()
            .field("idleTimeBeforeShutdown", text(64, NAME));

    /** {@code POST .../keepAlive}. */
    public static final WireSchema KEEP_ALIVE = object().field("duration", DURATION);

    /** {@code PUT .../jobs/{name}}: a command job. */
    public static final WireSchema JOB = object()
            .required("properties", object()
                    .field("jobType", ENUM)
                    .field("command", text(1, 65_536, FREE))
                    .field("computeId", ARM_ID)
                    .field("environmentId", ARM_ID)
                    .field("codeId", ARM_ID)
                    .field("displayName", text(256, FREE))
                    .field("experimentName", text(256, NAME))
                    .field("description", DESCRIPTION)
                    .field("tags", TAGS)
                    .field("properties", map(text(1, 512, NAME), text(1_024, FREE), 100))
                    .field("environmentVariables", map(text(1, 1_024, NAME).matching("[A-Za-z_][A-Za-z0-9_]*",
                            "a variable name (letters, digits and underscores, not starting with a digit)"),
                            text(32_768, FREE), 500))
                    .field("resources", object()
                            .field("instanceCount", whole(1, 10_000))
                            .field("instanceType", text(128, NAME))
                            .field("properties", object()))
                    .field("limits", object().field("timeout", DURATION)));

    /** {@code PUT .../environments/{name}/versions/{version}}. */
    public static final WireSchema ENVIRONMENT_VERSION = object()
            .required("properties", object()
                    .field("image", text(1, 512, NAME))
                    .field("description", DESCRIPTION)
                    .field("tags", TAGS)
                    .field("properties", map(text(1, 512, NAME), text(1_024, FREE), 100)));

    /** {@code PUT .../workspaces/{ws}}. */
    public static final WireSchema WORKSPACE = object()
            .field("location", LOCATION)
            .field("tags", TAGS)
            .field("properties", object()
                    .field("description", DESCRIPTION)
                    .field("friendlyName", text(256, FREE)));

    /** {@code PUT .../roleDefinitions/{id}}. */
    public static final WireSchema ROLE_DEFINITION = object()
            .required("properties", object()
                    .field("roleName", text(1, 256, NAME))
                    .field("description", DESCRIPTION)
                    .field("type", ENUM)
                    .field("permissions", list(object()
                            .field("actions", list(action(), 1_000))
                            .field("notActions", list(action(), 1_000))
                            .field("dataActions", list(action(), 1_000))
                            .field("notDataActions", list(action(), 1_000)), 10))
                    .field("assignableScopes", list(scope(), 100)));

    /** {@code PUT .../roleAssignments/{id}}. */
    public static final WireSchema ROLE_ASSIGNMENT = object()
            .required("properties", object()
                    .field("roleDefinitionId", ARM_ID)
                    .field("principalId", IDENTIFIER)
                    .field("principalType", ENUM)
                    .field("scope", scope()));

    /** {@code PUT /hangar/v1/vmSizes/{name}}: one element of the vmSizes list. */
    public static final WireSchema VM_SIZE = object()
            .field("name", text(1, 128, NAME))
            .field("family", text(1, 64, NAME))
            .field("vCPUs", whole(1, 4_096))
            .field("gpus", whole(0, 1_024))
            .field("memoryGB", WireSchema.whole(0, 1_048_576))
            .field("maxResourceVolumeMB", whole(0, Integer.MAX_VALUE))
            .field("osVhdSizeMB", whole(0, Integer.MAX_VALUE))
            .field("lowPriorityCapable", flag())
            .field("premiumIO", flag())
            .field("supportedComputeTypes", list(ENUM, 20));

    /** {@code POST .../updateQuotas}. */
    public static final WireSchema QUOTA_UPDATE = object()
            .required("value", list(object()
                    .field("id", ARM_ID)
                    .field("type", text(256, NAME))
                    .field("limit", whole(-1, 100_000))
                    .field("unit", ENUM), 1_000));

    /** {@code POST /hangar/v1/users}. */
    public static final WireSchema USER = object()
            .required("name", text(1, 256, NAME))
            .field("admin", flag())
            .field("role", text(1, 256, NAME));

    /** {@code POST /hangar/v1/tokens}. */
    public static final WireSchema TOKEN = object()
            .field("name", text(1, 256, NAME))
            .field("expiresOn", text(1, 64, NAME));

    /** {@code POST .../checkComputeNameAvailability}. */
    public static final WireSchema NAME_AVAILABILITY = object()
            .field("name", text(1, 256, NAME))
            .field("type", text(1, 256, NAME));

    private WireSchemas() {
    }

    private static Obj script() {
        return object()
                .field("scriptSource", ENUM)
                .field("scriptData", text(1_048_576, FREE))
                .field("scriptArguments", text(8_192, FREE))
                .field("timeout", DURATION);
    }

    private static Obj schedule() {
        return object()
                .field("action", ENUM)
                .field("triggerType", ENUM)
                .field("status", ENUM)
                .field("provisioningStatus", ENUM)
                .field("cron", object()
                        .field("expression", text(1, 256, NAME))
                        .field("timeZone", text(1, 128, NAME))
                        .field("startTime", text(1, 64, NAME)))
                .field("recurrence", object()
                        .field("frequency", ENUM)
                        .field("interval", whole(1, 1_000))
                        .field("timeZone", text(1, 128, NAME))
                        .field("startTime", text(1, 64, NAME))
                        .field("schedule", object()
                                .field("hours", list(whole(0, 23), 24))
                                .field("minutes", list(whole(0, 59), 60))
                                .field("weekDays", list(ENUM, 7))
                                .field("monthDays", list(whole(-1, 31), 32))));
    }

    private static Text action() {
        return text(1, 512, NAME);
    }

    /** A scope: an ARM path, never one that climbs ({@code ..}). */
    private static Text scope() {
        return text(1, 1_024, NAME).matching("/|(/[^/.][^/]*|/\\.[^/.][^/]*)+",
                "an ARM scope (a path of segments, none '.' or '..')");
    }
}
