package dev.hangar.server.arm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.api.ComputeType;
import dev.hangar.core.attached.AttachRequest;
import dev.hangar.core.cluster.ClusterRequest;
import dev.hangar.core.cluster.ScaleSettings;
import dev.hangar.core.compute.AttachedCompute;
import dev.hangar.core.compute.ComputeInstance;
import dev.hangar.core.compute.InstanceRequest;
import dev.hangar.core.compute.UserRef;
import dev.hangar.core.custom.PrivilegedRequests;
import dev.hangar.core.error.ApiException;
import dev.hangar.core.error.ErrorCodes;
import dev.hangar.core.idle.IdleRules;
import dev.hangar.core.quota.VmPriority;
import dev.hangar.core.schedule.ComputeSchedule;
import dev.hangar.core.schedule.ScheduleTimes;
import dev.hangar.core.setup.SetupScript;
import dev.hangar.core.setup.SetupScriptRules;
import dev.hangar.core.setup.SetupScripts;
import dev.hangar.server.http.Json;
import dev.hangar.server.ssh.AdminPublicKey;
import dev.hangar.server.wire.WireSchema;
import dev.hangar.server.wire.WireSchemas;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Reads a compute PUT body into an {@link InstanceRequest} or a {@link ClusterRequest}, and a cluster's PATCH into
 * its new scale settings, refusing what Hangar cannot honour with a clear error.
 * Enum values are read case-insensitively (the v1 SDK sends lower case); field names as the schema spells them.
 */
final class ComputeRequests {
    static final String SSH_UNAVAILABLE = "SshAccessUnavailable";
    private static final String ADMIN_PUBLIC_KEY = "sshSettings.adminPublicKey";

    private ComputeRequests() {
    }

    /**
     * The computeType a PUT body names, in its canonical casing; refuses a body without a known one.
     *
     * @param attachable the canonical casing of a kind that can be attached here, if it is one
     */
    static String computeType(String rawBody, Function<String, Optional<String>> attachable) {
        var envelope = envelope(parse(rawBody, WireSchemas.COMPUTE));
        var computeType = text(envelope, "computeType");
        if (computeType == null) {
            throw ApiException.badRequest(ErrorCodes.UNKNOWN_COMPUTE_TYPE, "properties.computeType is required;"
                    + " this server creates 'ComputeInstance' and 'AmlCompute', and attaches Slurm, Spark and"
                    + " VirtualMachine.",
                    "properties.computeType");
        }
        var attached = attachable.apply(computeType);
        if (attached.isPresent()) {
            return attached.get();
        }
        var canonical = ComputeType.canonical(computeType).orElseThrow(() -> ApiException.badRequest(
                ErrorCodes.UNKNOWN_COMPUTE_TYPE, "Unknown computeType '" + computeType + "'; known types are "
                        + String.join(", ", ComputeType.ALL) + " and Slurm.", "properties.computeType"));
        if (!canonical.equals(ComputeType.COMPUTE_INSTANCE) && !canonical.equals(ComputeType.AML_COMPUTE)) {
            throw ApiException.badRequest("UnsupportedComputeType", "computeType '" + canonical + "' is not"
                    + " supported by this server yet; it creates 'ComputeInstance' and 'AmlCompute', and attaches"
                    + " Slurm, Spark and VirtualMachine." + (canonical.equals("HDInsight") || canonical.equals("SynapseSpark")
                    ? " A Spark standalone cluster is attached as computeType 'Spark', by its master's URL." : ""),
                    "properties.computeType");
        }
        return canonical;
    }

    /** Keys of an attachment a GET shows that are the engine's to say, ignored when a PUT sends them back. */
    private static final java.util.Set<String> READ_ONLY = java.util.Set.of("slurmVersion", "clusterName",
            "nodeCount", "cpusPerNode", "account", "switchesUsers", "sparkVersion");
    /** The secrets of an {@code administratorAccount}. */
    private static final java.util.Set<String> SECRETS = java.util.Set.of("password", "privateKeyData", "passphrase");
    /** The kind's own keys that are secrets: kept sealed, never shown by a GET. */
    private static final java.util.Set<String> SECRET_SETTINGS = java.util.Set.of("restToken");

    /**
     * An attach PUT body: the kind's own {@code properties} as settings (every scalar as text), the
     * {@code administratorAccount}'s user name among them and its password, private key and passphrase as secrets
     * (as is {@code restToken}), {@code jobUser} and {@code userMap}.
     */
    static AttachRequest attachment(String rawBody, String kind) {
        var body = parse(rawBody, WireSchemas.COMPUTE);
        var envelope = envelope(body);
        var properties = envelope.path("properties");
        refuseCustomServices(properties, "an attached " + kind);
        var settings = new java.util.LinkedHashMap<String, String>();
        var secrets = new java.util.LinkedHashMap<String, String>();
        AttachedCompute.JobUser jobUser = null;
        Map<String, String> userMap = null;
        if (!properties.isMissingNode() && !properties.isNull() && !properties.isObject()) {
            throw ApiException.badRequest(ErrorCodes.INVALID_BODY, "properties.properties must be an object of the "
                    + kind + " settings.", "properties.properties");
        }
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) properties::fields) {
            var key = field.getKey();
            var value = field.getValue();
            if (value.isNull() || READ_ONLY.contains(key) || key.equals("customServices")) {
                continue;
            }
            switch (key) {
                case "administratorAccount" -> {
                    if (!value.isObject()) {
                        throw invalidSetting(key, "an object with username and password or privateKeyData");
                    }
                    var username = text(value, "username");
                    if (username != null) {
                        settings.put("username", username);
                    }
                    for (var secret : SECRETS) {
                        var given = text(value, secret);
                        if (given != null && !given.isEmpty()) {
                            secrets.put(secret, given);
                        }
                    }
                }
                case "jobUser" -> jobUser = java.util.Arrays.stream(AttachedCompute.JobUser.values())
                        .filter(choice -> choice.name().equalsIgnoreCase(value.asText().strip())).findFirst()
                        .orElseThrow(() -> invalidSetting(key, "Connection or Requester"));
                case "userMap" -> {
                    if (!value.isObject()) {
                        throw invalidSetting(key, "an object naming each Hangar user's " + kind + " account");
                    }
                    var map = new java.util.LinkedHashMap<String, String>();
                    for (var entry : (Iterable<Map.Entry<String, JsonNode>>) value::fields) {
                        if (!entry.getValue().isTextual() || entry.getValue().asText().isBlank()) {
                            throw invalidSetting(key + "." + entry.getKey(), "an account name");
                        }
                        map.put(entry.getKey(), entry.getValue().asText().strip());
                    }
                    userMap = map;
                }
                default -> {
                    if (!value.isValueNode()) {
                        throw invalidSetting(key, "a single value");
                    }
                    (SECRET_SETTINGS.contains(key) ? secrets : settings).put(key, value.asText());
                }
            }
        }
        var request = new AttachRequest(kind, text(envelope, "description"), tags(body), text(envelope, "resourceId"),
                settings, secrets, jobUser, userMap);
        return VirtualMachineJson.is(kind) ? VirtualMachineJson.attachment(request) : request;
    }

    private static ApiException invalidSetting(String key, String expected) {
        return ApiException.badRequest("InvalidAttachSetting", "properties.properties." + key + " must be "
                + expected + ".", "properties.properties." + key);
    }

    /** An instance's PUT, on a server that refuses privileged custom services. */
    static InstanceRequest instance(String rawBody, boolean sshAvailable) {
        return instance(rawBody, sshAvailable, PrivilegedRequests.REFUSE);
    }

    /**
     * @param sshAvailable whether the SSH gateway is on, so that instances may enable SSH
     * @param privileged   what a custom service asking for a privileged container gets
     */
    static InstanceRequest instance(String rawBody, boolean sshAvailable, PrivilegedRequests privileged) {
        var body = parse(rawBody, WireSchemas.COMPUTE);
        var envelope = envelope(body);
        var properties = envelope.path("properties");
        return new InstanceRequest(text(properties, "vmSize"), text(envelope, "description"), tags(body),
                assignedUser(properties), sharingPolicy(properties), ssh(properties, sshAvailable),
                setupScripts(properties), customServices(properties, privileged), idleTime(text(properties, "idleTimeBeforeShutdown"),
                        "properties.properties.idleTimeBeforeShutdown"), schedules(properties));
    }

    private static final String SCHEDULES = "properties.properties.schedules.computeStartStop";
    private static final String CUSTOM_SERVICES = "properties.properties.customServices";

    /** {@code customServices}, read; null when the body has none. */
    private static java.util.List<dev.hangar.core.custom.CustomService> customServices(JsonNode properties,
                                                                                       PrivilegedRequests privileged) {
        var services = properties.get("customServices");
        return services == null || services.isNull() ? null
                : CustomServiceRequests.read(services, CUSTOM_SERVICES, privileged);
    }

    /** The body of {@code POST .../customServices}, on a server that refuses privileged custom services. */
    static java.util.List<dev.hangar.core.custom.CustomService> customServicesUpdate(String rawBody) {
        return customServicesUpdate(rawBody, PrivilegedRequests.REFUSE);
    }

    /** The body of {@code POST .../customServices}: the instance's custom services from now on. */
    static java.util.List<dev.hangar.core.custom.CustomService> customServicesUpdate(String rawBody,
                                                                                     PrivilegedRequests privileged) {
        return CustomServiceRequests.read(parse(rawBody, WireSchemas.CUSTOM_SERVICES), "customServices", privileged);
    }

    /** Refuses custom services on a compute that is no instance, rather than ignore them. */
    private static void refuseCustomServices(JsonNode properties, String kind) {
        var services = properties.get("customServices");
        if (services != null && !services.isNull() && !(services.isArray() && services.isEmpty())) {
            throw ApiException.badRequest(dev.hangar.core.custom.CustomServiceRules.UNSUPPORTED, "Custom services"
                    + " run beside a compute instance; " + kind + " runs jobs only. Remove customServices.",
                    CUSTOM_SERVICES);
        }
    }

    /** {@code schedules.computeStartStop}, read; null when the body has none. Times are checked by ScheduleTimes. */
    private static java.util.List<ComputeSchedule> schedules(JsonNode properties) {
        var schedules = properties.get("schedules");
        if (schedules == null || schedules.isNull()) {
            return null;
        }
        var list = schedules.get("computeStartStop");
        if (list == null || list.isNull()) {
            return java.util.List.of();
        }
        if (!list.isArray()) {
            throw ApiException.badRequest(ScheduleTimes.INVALID, "schedules.computeStartStop must be a list of"
                    + " schedules.", SCHEDULES);
        }
        var result = new java.util.ArrayList<ComputeSchedule>();
        for (int i = 0; i < list.size(); i++) {
            result.add(schedule(list.get(i), SCHEDULES + "[" + i + "]"));
        }
        return result;
    }

    private static ComputeSchedule schedule(JsonNode node, String field) {
        if (!node.isObject()) {
            throw ApiException.badRequest(ScheduleTimes.INVALID, "A schedule is an object with action, triggerType"
                    + " and cron or recurrence.", field);
        }
        var action = oneOf(ComputeSchedule.Action.class, text(node, "action"), field + ".action", "Start or Stop");
        var status = text(node, "status");
        if (status != null && !status.equalsIgnoreCase("Enabled") && !status.equalsIgnoreCase("Disabled")) {
            throw ApiException.badRequest(ScheduleTimes.INVALID, "A schedule's status is Enabled or Disabled, not '"
                    + status + "'.", field + ".status");
        }
        var enabled = status == null || status.equalsIgnoreCase("Enabled");
        var type = text(node, "triggerType");
        var cron = node.get("cron");
        var recurrence = node.get("recurrence");
        if (type == null) {
            type = cron != null && !cron.isNull() ? "Cron" : "Recurrence";
        }
        if (type.equalsIgnoreCase("Cron")) {
            if (cron == null || !cron.isObject()) {
                throw ApiException.badRequest(ScheduleTimes.INVALID, "A Cron schedule needs cron: {expression,"
                        + " timeZone, startTime}.", field + ".cron");
            }
            return new ComputeSchedule(null, enabled, action, new ComputeSchedule.Cron(text(cron, "expression"),
                    text(cron, "timeZone"), startTime(text(cron, "startTime"), field + ".cron.startTime")), null);
        }
        if (!type.equalsIgnoreCase("Recurrence")) {
            throw ApiException.badRequest(ScheduleTimes.INVALID, "A schedule's triggerType is Cron or Recurrence, not '"
                    + type + "'.", field + ".triggerType");
        }
        if (recurrence == null || !recurrence.isObject()) {
            throw ApiException.badRequest(ScheduleTimes.INVALID, "A Recurrence schedule needs recurrence: {frequency,"
                    + " interval, timeZone, schedule: {hours, minutes, weekDays, monthDays}}.", field + ".recurrence");
        }
        var frequency = oneOf(ComputeSchedule.Frequency.class, text(recurrence, "frequency"),
                field + ".recurrence.frequency", "Minute, Hour, Day, Week or Month");
        var interval = recurrence.path("interval");
        if (!interval.isMissingNode() && !interval.isNull() && !interval.canConvertToInt()) {
            throw ApiException.badRequest(ScheduleTimes.INVALID, "A recurrence's interval is a whole number.",
                    field + ".recurrence.interval");
        }
        var times = recurrence.path("schedule");
        var weekDays = new java.util.ArrayList<java.time.DayOfWeek>();
        for (var day : times.path("weekDays")) {
            weekDays.add(oneOf(java.time.DayOfWeek.class, day.asText().toUpperCase(java.util.Locale.ROOT),
                    field + ".recurrence.schedule.weekDays", "Monday to Sunday"));
        }
        return new ComputeSchedule(null, enabled, action, null, new ComputeSchedule.Recurrence(frequency,
                interval.isMissingNode() || interval.isNull() ? 1 : interval.asInt(),
                startTime(text(recurrence, "startTime"), field + ".recurrence.startTime"),
                text(recurrence, "timeZone"), numbers(times.path("hours"), field + ".recurrence.schedule.hours"),
                numbers(times.path("minutes"), field + ".recurrence.schedule.minutes"),
                numbers(times.path("monthDays"), field + ".recurrence.schedule.monthDays"), weekDays));
    }

    private static <E extends Enum<E>> E oneOf(Class<E> type, String text, String field, String expected) {
        for (var value : type.getEnumConstants()) {
            if (value.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return value;
            }
        }
        throw ApiException.badRequest(ScheduleTimes.INVALID, field.substring(field.lastIndexOf('.') + 1) + " must be "
                + expected + ", not '" + text + "'.", field);
    }

    private static java.util.List<Integer> numbers(JsonNode node, String field) {
        var result = new java.util.ArrayList<Integer>();
        if (node.isMissingNode() || node.isNull()) {
            return result;
        }
        if (!node.isArray()) {
            throw ApiException.badRequest(ScheduleTimes.INVALID, field + " must be a list of whole numbers.", field);
        }
        for (var value : node) {
            if (!value.canConvertToInt() || !value.isIntegralNumber()) {
                throw ApiException.badRequest(ScheduleTimes.INVALID, field + " must be a list of whole numbers, not "
                        + node + ".", field);
            }
            result.add(value.asInt());
        }
        return result;
    }

    /** A schedule's start: {@code yyyy-MM-ddTHH:mm:ss} on the schedule's wall clock (an offset, if given, is dropped). */
    private static java.time.LocalDateTime startTime(String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return java.time.LocalDateTime.parse(text.strip());
        } catch (java.time.format.DateTimeParseException local) {
            try {
                return java.time.OffsetDateTime.parse(text.strip()).toLocalDateTime();
            } catch (java.time.format.DateTimeParseException e) {
                throw ApiException.badRequest(ScheduleTimes.INVALID, "A schedule's startTime is"
                        + " yyyy-MM-ddTHH:mm:ss, not '" + text + "'.", field);
            }
        }
    }

    /** The body of {@code updateIdleShutdownSetting}: its {@code idleTimeBeforeShutdown}, null for off. */
    static java.time.Duration idleShutdownSetting(String rawBody) {
        var body = parse(rawBody, WireSchemas.IDLE_SHUTDOWN);
        if (!body.has("idleTimeBeforeShutdown")) {
            throw ApiException.badRequest(IdleRules.INVALID, "The body must be {\"idleTimeBeforeShutdown\":"
                    + " \"PT30M\"} (an ISO-8601 duration; empty turns idle shutdown off).", "idleTimeBeforeShutdown");
        }
        return idleTime(text(body, "idleTimeBeforeShutdown"), "idleTimeBeforeShutdown");
    }

    /** The body of {@code keepAlive}: {@code {"duration":"PT2H"}}. */
    static java.time.Duration keepAlive(String rawBody) {
        var text = text(parse(rawBody, WireSchemas.KEEP_ALIVE), "duration");
        try {
            return java.time.Duration.parse(String.valueOf(text).strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badRequest(IdleRules.INVALID_KEEP_ALIVE, "The body must be {\"duration\": \"PT2H\"}:"
                    + " how long the instance counts as in use, as an ISO-8601 duration; PT0S ends a keep-alive,"
                    + " not '" + text + "'.", "duration");
        }
    }

    /** An idle time: an ISO-8601 duration, as {@code "PT30M"}; null or empty for none. */
    private static java.time.Duration idleTime(String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return java.time.Duration.parse(text.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badRequest(IdleRules.INVALID, "idleTimeBeforeShutdown must be an ISO-8601 duration"
                    + " such as PT30M, not '" + text + "'.", field);
        }
    }

    private static final String SCRIPTS = "properties.properties.setupScripts.scripts";

    /** {@code setupScripts.scripts}, read; what the scripts hold is checked by {@link SetupScriptRules}. */
    private static SetupScripts setupScripts(JsonNode properties) {
        var setup = properties.get("setupScripts");
        if (setup == null || setup.isNull()) {
            return null;
        }
        var scripts = setup.get("scripts");
        if (!setup.isObject() || (scripts != null && !scripts.isNull() && !scripts.isObject())) {
            throw ApiException.badRequest(SetupScriptRules.INVALID, "setupScripts must be {\"scripts\":"
                    + " {\"creationScript\": {...}, \"startupScript\": {...}}}.", SCRIPTS);
        }
        if (scripts == null || scripts.isNull()) {
            return SetupScripts.NONE;
        }
        return new SetupScripts(script(scripts, SetupScripts.Kind.creation),
                script(scripts, SetupScripts.Kind.startup));
    }

    private static SetupScript script(JsonNode scripts, SetupScripts.Kind kind) {
        var node = scripts.get(kind.field());
        var field = SCRIPTS + "." + kind.field();
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw ApiException.badRequest(SetupScriptRules.INVALID, kind.field() + " must be an object with"
                    + " scriptSource and scriptData.", field);
        }
        var sourceText = text(node, "scriptSource");
        var source = java.util.Arrays.stream(SetupScript.Source.values())
                .filter(value -> value.name().equalsIgnoreCase(sourceText)).findFirst()
                .orElseThrow(() -> ApiException.badRequest(SetupScriptRules.INVALID, "scriptSource must be"
                        + " workspaceStorage (a script in the workspace's file share) or inline (the script's text"
                        + " in base64), not '" + sourceText + "'.", field + ".scriptSource"));
        var data = text(node, "scriptData");
        if (data == null || data.isBlank()) {
            throw ApiException.badRequest(SetupScriptRules.INVALID, "scriptData is required: "
                    + (source == SetupScript.Source.inline ? "the script's text in base64."
                    : "the script's path in the file share, e.g. Users/<you>/setup.sh."), field + ".scriptData");
        }
        return new SetupScript(source, data, text(node, "scriptArguments"), timeout(text(node, "timeout"),
                field + ".timeout"));
    }

    /** A script's timeout: {@code "<minutes>m"} as Azure's clients send it, minutes alone, or ISO-8601. */
    static java.time.Duration timeout(String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        var trimmed = text.strip();
        try {
            var minutes = java.util.regex.Pattern.compile("(\\d{1,6})\\s*m?", java.util.regex.Pattern.CASE_INSENSITIVE)
                    .matcher(trimmed);
            if (minutes.matches()) {
                return java.time.Duration.ofMinutes(Long.parseLong(minutes.group(1)));
            }
            return java.time.Duration.parse(trimmed);
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.badRequest(SetupScriptRules.INVALID_TIMEOUT, "A script's timeout is minutes as"
                    + " \"<n>m\" (e.g. \"30m\") or an ISO-8601 duration (e.g. \"PT30M\"), not '" + text + "'.", field);
        }
    }

    /** An AmlCompute PUT body: size, priority, scale settings, description, tags. */
    static ClusterRequest cluster(String rawBody) {
        var body = parse(rawBody, WireSchemas.COMPUTE);
        var envelope = envelope(body);
        var properties = envelope.path("properties");
        refuseCustomServices(properties, "an AmlCompute cluster");
        return new ClusterRequest(text(properties, "vmSize"), priority(properties), scale(properties),
                text(envelope, "description"), tags(body));
    }

    /**
     * A PATCH body's new scale settings ({@code {"properties":{"properties":{"scaleSettings":{...}}}}}), every key
     * the body leaves out kept from {@code current}.
     */
    static ScaleSettings rescale(String rawBody, ScaleSettings current) {
        var properties = parse(rawBody, WireSchemas.COMPUTE_PATCH).path("properties").path("properties");
        var settings = properties.get("scaleSettings");
        if (settings == null || !settings.isObject()) {
            throw ApiException.badRequest(ScaleSettings.INVALID, "A PATCH of a cluster changes its scale settings:"
                    + " send {\"properties\":{\"properties\":{\"scaleSettings\":{\"minNodeCount\":0,"
                    + "\"maxNodeCount\":4,\"nodeIdleTimeBeforeScaleDown\":\"PT2M\"}}}}.",
                    "properties.properties.scaleSettings");
        }
        var idle = text(settings, "nodeIdleTimeBeforeScaleDown");
        return new ScaleSettings(count(settings, "minNodeCount", current.minNodes()),
                count(settings, "maxNodeCount", current.maxNodes()),
                idle == null ? current.idleTimeBeforeScaleDown() : ScaleSettings.parseIdleTime(idle));
    }

    private static ScaleSettings scale(JsonNode properties) {
        var settings = properties.path("scaleSettings");
        if (!settings.isObject() || !settings.hasNonNull("maxNodeCount")) {
            throw ApiException.badRequest(ScaleSettings.INVALID, "A cluster needs scaleSettings with maxNodeCount"
                    + " (and optionally minNodeCount, default 0, and nodeIdleTimeBeforeScaleDown, default PT2M).",
                    "properties.properties.scaleSettings");
        }
        return new ScaleSettings(count(settings, "minNodeCount", 0), count(settings, "maxNodeCount", 0),
                ScaleSettings.parseIdleTime(text(settings, "nodeIdleTimeBeforeScaleDown")));
    }

    private static int count(JsonNode settings, String field, int otherwise) {
        var value = settings.get(field);
        if (value == null || value.isNull()) {
            return otherwise;
        }
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return value.intValue();
        }
        if (value.isTextual() && value.asText().strip().matches("-?\\d{1,9}")) {
            return Integer.parseInt(value.asText().strip());
        }
        throw ApiException.badRequest(ScaleSettings.INVALID, field + " must be a whole number, not '"
                + value.asText() + "'.", "properties.properties.scaleSettings." + field);
    }

    /** vmPriority, as azureml-core sends it (lower case) or as the schema spells it; null when absent. */
    private static VmPriority priority(JsonNode properties) {
        var priority = text(properties, "vmPriority");
        if (priority == null) {
            return null;
        }
        return switch (priority.toLowerCase(Locale.ROOT).replace("_", "")) {
            case "dedicated" -> VmPriority.Dedicated;
            case "lowpriority" -> VmPriority.LowPriority;
            default -> throw ApiException.badRequest("InvalidVmPriority", "vmPriority must be Dedicated or"
                    + " LowPriority, not '" + priority + "'.", "properties.properties.vmPriority");
        };
    }

    private static JsonNode envelope(JsonNode body) {
        var envelope = body.path("properties");
        if (!envelope.isObject()) {
            throw ApiException.badRequest(ErrorCodes.INVALID_BODY, "The body needs a 'properties' object with"
                    + " 'computeType' and the type's own 'properties'.", "properties");
        }
        return envelope;
    }

    /** The body, parsed and checked whole against {@code schema} before anything of it is read. */
    private static JsonNode parse(String rawBody, WireSchema schema) {
        if (rawBody == null || rawBody.isBlank()) {
            throw ApiException.badRequest(ErrorCodes.MISSING_BODY, "The request needs a JSON body describing the"
                    + " compute.");
        }
        try {
            return schema.validate(Json.MAPPER.readTree(rawBody));
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(ErrorCodes.INVALID_BODY, "The body is not valid JSON: "
                    + e.getOriginalMessage());
        }
    }

    private static Map<String, String> tags(JsonNode body) {
        var node = body.get("tags");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw ApiException.badRequest(ErrorCodes.INVALID_BODY, "'tags' must be an object of strings.", "tags");
        }
        var tags = new LinkedHashMap<String, String>();
        node.properties().forEach(entry -> tags.put(entry.getKey(), entry.getValue().asText()));
        return tags;
    }

    private static UserRef assignedUser(JsonNode properties) {
        var user = properties.path("personalComputeInstanceSettings").path("assignedUser");
        if (!user.isObject()) {
            return null;
        }
        var objectId = text(user, "objectId");
        try {
            return new UserRef(UUID.fromString(objectId), text(user, "tenantId"), null);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiException.badRequest(ErrorCodes.INVALID_ARGUMENT, "assignedUser.objectId must be a user's"
                    + " object id (a GUID), not '" + objectId + "'.",
                    "personalComputeInstanceSettings.assignedUser.objectId");
        }
    }

    private static String sharingPolicy(JsonNode properties) {
        var policy = text(properties, "applicationSharingPolicy");
        if (policy == null) {
            return null;
        }
        return switch (policy.toLowerCase(Locale.ROOT)) {
            case "personal" -> "Personal";
            case "shared" -> "Shared";
            default -> throw ApiException.badRequest(ErrorCodes.INVALID_ARGUMENT, "applicationSharingPolicy must be"
                    + " Personal or Shared, not '" + policy + "'.", "applicationSharingPolicy");
        };
    }

    /**
     * The SSH settings asked for, or null when the body has none (no change to an existing instance). A key sent with
     * access Disabled is not kept, as Azure's clients send one either way.
     */
    private static ComputeInstance.SshSettings ssh(JsonNode properties, boolean sshAvailable) {
        var settings = properties.get("sshSettings");
        if (settings == null || settings.isNull()) {
            return null;
        }
        var access = text(settings, "sshPublicAccess");
        if (access == null || access.equalsIgnoreCase("Disabled") || access.equalsIgnoreCase("NotSpecified")) {
            return ComputeInstance.SshSettings.DISABLED;
        }
        if (!access.equalsIgnoreCase("Enabled")) {
            throw ApiException.badRequest(ErrorCodes.INVALID_ARGUMENT, "sshPublicAccess must be Enabled or Disabled,"
                    + " not '" + access + "'.", "sshSettings.sshPublicAccess");
        }
        if (!sshAvailable) {
            throw ApiException.badRequest(SSH_UNAVAILABLE, "The SSH gateway is turned off on this server"
                    + " (ssh.enabled=false); create the instance with sshPublicAccess Disabled.",
                    "sshSettings.sshPublicAccess");
        }
        var key = text(settings, "adminPublicKey");
        if (key == null || key.isBlank()) {
            throw ApiException.badRequest(AdminPublicKey.INVALID, "sshPublicAccess Enabled needs the public key to"
                    + " log in with in sshSettings.adminPublicKey, e.g. the contents of ~/.ssh/id_ed25519.pub.",
                    ADMIN_PUBLIC_KEY);
        }
        return new ComputeInstance.SshSettings(true, AdminPublicKey.check(key, ADMIN_PUBLIC_KEY));
    }

    private static String text(JsonNode node, String field) {
        var value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
