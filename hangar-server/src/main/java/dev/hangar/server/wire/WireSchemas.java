package dev.hangar.server.wire;

import static dev.hangar.server.wire.WireSchema.Characters.FREE;
import static dev.hangar.server.wire.WireSchema.Characters.NAME;
import static dev.hangar.server.wire.WireSchema.flag;
import static dev.hangar.server.wire.WireSchema.list;
import static dev.hangar.server.wire.WireSchema.map;
import static dev.hangar.server.wire.WireSchema.object;
import static dev.hangar.server.wire.WireSchema.scalar;
import static dev.hangar.server.wire.WireSchema.text;

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
    public static final WireSchema TAGS = map(text(512, NAME), text(256, FREE), 50);
    public static final Text DESCRIPTION = text(5_000, FREE);
    /** A location: Azure's names (eastus, West Europe) and Hangar's own (local). */
    public static final Text LOCATION = text(64, NAME).matching("[A-Za-z0-9 _-]+",
            "a location (letters, digits, spaces, hyphens and underscores)");
    /** ISO 8601 durations and Azure's shorter forms ("20m"), read by the services that take them. */
    static final Text DURATION = text(64, NAME);
    static final Text ENUM = text(64, NAME);
    static final Text IDENTIFIER = text(256, NAME);
    static final Text KEY = text(16_384, FREE);
    static final Text ARM_ID = text(1_024, NAME);

    /** Counts as numbers or numeric strings; their ranges are the cluster service's to say ({@code InvalidScaleSettings}). */
    static final WireSchema SCALE_SETTINGS = object()
            .field("minNodeCount", scalar())
            .field("maxNodeCount", scalar())
            .field("nodeIdleTimeBeforeScaleDown", DURATION);

    /** {@code PUT .../computes/{name}} of any kind: the envelope and the kinds' shared and own properties. */
    public static final WireSchema COMPUTE = object()
            .field("location", LOCATION)
            .field("tags", TAGS)
            .required("properties", object()
                    .field("computeType", ENUM)
                    .field("description", DESCRIPTION)
                    .field("resourceId", ARM_ID)
                    .field("properties", object()
                            .field("vmSize", text(128, NAME))
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
                            .field("customServices", customServices())
                            .field("scaleSettings", SCALE_SETTINGS)));

    /** {@code POST .../customServices}: the instance's custom services, a list. */
    public static final WireSchema CUSTOM_SERVICES = customServices();

    /** {@code PATCH} of a cluster: new scale settings, description and tags. */
    public static final WireSchema COMPUTE_PATCH = object()
            .field("tags", TAGS)
            .field("properties", object()
                    .field("description", DESCRIPTION)
                    .field("properties", object().field("scaleSettings", SCALE_SETTINGS)));

    /** {@code POST .../updateIdleShutdownSetting}; "" turns idle shutdown off. */
    public static final WireSchema IDLE_SHUTDOWN = object()
            .field("idleTimeBeforeShutdown", text(64, NAME));

    /** {@code POST .../keepAlive}. */
    public static final WireSchema KEEP_ALIVE = object().field("duration", DURATION);

    /** {@code PUT .../jobs/{name}}: a command job, or a Spark job (its entry, args, files and conf). */
    public static final WireSchema JOB = object()
            .required("properties", object()
                    .field("jobType", ENUM)
                    .field("command", text(65_536, FREE))
                    .field("entry", object()
                            .field("sparkJobEntryType", ENUM)
                            .field("file", text(1_024, NAME))
                            .field("className", text(1_024, NAME)))
                    .field("args", text(65_536, FREE))
                    .field("jars", list(text(1_024, NAME), 100))
                    .field("pyFiles", list(text(1_024, NAME), 100))
                    .field("files", list(text(1_024, NAME), 100))
                    .field("archives", list(text(1_024, NAME), 100))
                    .field("conf", map(text(256, NAME), text(4_096, FREE), 200))
                    .field("computeId", ARM_ID)
                    .field("environmentId", ARM_ID)
                    .field("codeId", ARM_ID)
                    .field("displayName", text(256, FREE))
                    .field("experimentName", text(256, NAME))
                    .field("description", DESCRIPTION)
                    .field("tags", TAGS)
                    .field("properties", map(text(512, NAME), text(1_024, FREE), 100))
                    .field("environmentVariables", map(text(1_024, NAME), text(32_768, FREE), 500))
                    .field("resources", object()
                            .field("instanceCount", scalar())
                            .field("instanceType", text(128, NAME))
                            .field("runtimeVersion", text(64, NAME))
                            .field("properties", object()))
                    .field("limits", object().field("timeout", DURATION)));

    /** {@code POST .../jobs/{name}/local/end}: how a local run's command ended. */
    public static final WireSchema LOCAL_RUN_END = object()
            .required("exitCode", scalar());

    /** {@code PUT .../environments/{name}/versions/{version}}. */
    public static final WireSchema ENVIRONMENT_VERSION = object()
            .required("properties", object()
                    .field("image", text(512, NAME))
                    .field("description", DESCRIPTION)
                    .field("tags", TAGS)
                    .field("properties", map(text(512, NAME), text(1_024, FREE), 100)));

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
                    .field("roleName", text(256, NAME))
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

    /** {@code PUT /hangar/v1/vmSizes/{name}}: one element of the vmSizes list; its numbers' ranges are the service's. */
    public static final WireSchema VM_SIZE = object()
            .field("name", text(128, NAME))
            .field("family", text(64, NAME))
            .field("vCPUs", scalar())
            .field("gpus", scalar())
            .field("memoryGB", scalar())
            .field("maxResourceVolumeMB", scalar())
            .field("osVhdSizeMB", scalar())
            .field("lowPriorityCapable", flag())
            .field("premiumIO", flag())
            .field("supportedComputeTypes", list(ENUM, 20));

    /** {@code POST .../updateQuotas}. */
    public static final WireSchema QUOTA_UPDATE = object()
            .required("value", list(object()
                    .field("id", ARM_ID)
                    .field("type", text(256, NAME))
                    .field("limit", scalar())
                    .field("unit", ENUM), 1_000));

    /** {@code POST /hangar/v1/users}. */
    public static final WireSchema USER = object()
            .required("name", text(256, NAME))
            .field("admin", flag())
            .field("role", text(256, NAME));

    /** {@code POST /hangar/v1/tokens}. */
    public static final WireSchema TOKEN = object()
            .field("name", text(256, NAME))
            .field("expiresOn", text(1, 64, NAME));

    /** {@code POST .../checkComputeNameAvailability}. */
    public static final WireSchema NAME_AVAILABILITY = object()
            .field("name", text(256, NAME))
            .field("type", text(256, NAME));

    private WireSchemas() {
    }

    /** Azure's {@code CustomService}; what its values may be is {@code CustomServiceRules}' to say. */
    private static WireSchema customServices() {
        return list(object()
                .field("name", IDENTIFIER)
                .field("image", object()
                        .field("type", ENUM)
                        .field("reference", text(512, NAME)))
                .field("environmentVariables", map(text(256, NAME), object()
                        .field("type", ENUM)
                        .field("value", text(32_768, FREE)), 100))
                .field("docker", object().field("privileged", flag()))
                .field("endpoints", list(object()
                        .field("protocol", ENUM)
                        .field("name", IDENTIFIER)
                        .field("target", scalar())
                        .field("published", scalar())
                        .field("hostIp", text(64, NAME)), 10))
                .field("volumes", list(object()
                        .field("type", ENUM)
                        .field("readOnly", flag())
                        .field("source", text(1_024, NAME))
                        .field("target", text(1_024, NAME)), 10)), 10);
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
                        .field("expression", text(256, NAME))
                        .field("timeZone", text(128, NAME))
                        .field("startTime", text(64, NAME)))
                .field("recurrence", object()
                        .field("frequency", ENUM)
                        .field("interval", scalar())
                        .field("timeZone", text(128, NAME))
                        .field("startTime", text(64, NAME))
                        .field("schedule", object()
                                .field("hours", list(scalar(), 24))
                                .field("minutes", list(scalar(), 60))
                                .field("weekDays", list(ENUM, 7))
                                .field("monthDays", list(scalar(), 32))));
    }

    private static Text action() {
        return text(512, NAME);
    }

    /** A scope: an ARM path, never one that climbs ({@code ..}). */
    private static Text scope() {
        return text(1_024, NAME).matching("/|(/[^/.][^/]*|/\\.[^/.][^/]*)+",
                "an ARM scope (a path of segments, none '.' or '..')");
    }
}
