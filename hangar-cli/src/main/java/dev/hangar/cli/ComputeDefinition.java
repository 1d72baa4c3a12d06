package dev.hangar.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hangar.api.ComputeInstanceProperties.ComputeStartStopSchedule;
import dev.hangar.api.ComputeInstanceProperties.ScriptReference;
import dev.hangar.client.ClusterSpec;
import dev.hangar.client.InstanceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What {@code hangar compute create} is asked for, in the keys of az's compute YAML ({@code -f}); the command line's
 * options override the file's keys one by one. Every field is {@code null} when not given, so that a key of one
 * compute type given for the other is refused rather than ignored.
 *
 * @param type                    {@code computeinstance} (the default) or {@code amlcompute}, in any case
 * @param sshKey                  an OpenSSH public key (instances)
 * @param idleTimeBeforeScaleDown seconds (clusters)
 * @param tier                    {@code dedicated} or {@code low_priority} (clusters)
 * @param creationScript          {@code setup_scripts.creation_script} (instances)
 * @param startupScript           {@code setup_scripts.startup_script} (instances)
 * @param idleTimeBeforeShutdown  {@code idle_time_before_shutdown} or {@code idle_time_before_shutdown_minutes}
 *                                (instances)
 * @param schedules               {@code schedules.compute_start_stop} on the wire, empty when it lists none (instances;
 *                                the YAML's only)
 * @param customServices          {@code custom_applications} on the wire (instances; the YAML's only)
 */
record ComputeDefinition(String type, String name, String size, String description, Map<String, String> tags,
                         String sshKey, Integer minInstances, Integer maxInstances, Integer idleTimeBeforeScaleDown,
                         String tier, Script creationScript, Script startupScript, Duration idleTimeBeforeShutdown,
                         List<ComputeStartStopSchedule> schedules,
                         List<dev.hangar.api.CustomService> customServices) {

    static final String INSTANCE = "computeinstance";
    static final String CLUSTER = "amlcompute";
    private static final String IDLE_TIME = "idle_time_before_shutdown";
    private static final String IDLE_MINUTES = "idle_time_before_shutdown_minutes";
    private static final Set<String> KEYS = Set.of("$schema", "type", "name", "size", "description", "tags",
            "ssh_settings", "min_instances", "max_instances", "idle_time_before_scale_down", "tier", "setup_scripts",
            IDLE_TIME, IDLE_MINUTES, StartStopSchedules.KEY, CustomApplications.KEY);

    ComputeDefinition {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        schedules = schedules == null ? null : List.copyOf(schedules);
        customServices = customServices == null ? null : List.copyOf(customServices);
    }

    /** Reads a compute's YAML as {@code az ml compute create -f} does; {@code note} hears of keys Hangar does not use. */
    static ComputeDefinition read(Path yaml, Consumer<String> note) {
        var file = AzYaml.read(yaml, "InvalidComputeFile");
        file.noteUnused(KEYS, note);
        var ssh = file.tree().path("ssh_settings");
        var scripts = file.tree().path("setup_scripts");
        if (!scripts.isMissingNode() && !scripts.isNull() && !scripts.isObject()) {
            throw file.invalid("setup_scripts is a mapping of creation_script and startup_script");
        }
        return new ComputeDefinition(file.text("type"), file.text("name"), file.text("size"),
                file.text("description"), file.tags(), ssh.hasNonNull("ssh_key_value")
                        ? ssh.get("ssh_key_value").asText() : null,
                file.integer("min_instances"), file.integer("max_instances"),
                file.integer("idle_time_before_scale_down"), file.text("tier"),
                Script.read(file, scripts, "creation_script"), Script.read(file, scripts, "startup_script"),
                idleTime(file), StartStopSchedules.read(file), CustomApplications.read(file));
    }

    /** {@code idle_time_before_shutdown} (ISO-8601) or {@code idle_time_before_shutdown_minutes}, as az has them. */
    private static Duration idleTime(AzYaml file) {
        var iso = file.text(IDLE_TIME);
        var minutes = file.integer(IDLE_MINUTES);
        if (iso != null && minutes != null) {
            throw file.invalid(IDLE_TIME + " and " + IDLE_MINUTES + " exclude each other: give the idle time once");
        }
        if (iso == null) {
            return minutes == null ? null : Duration.ofMinutes(minutes);
        }
        try {
            return Duration.parse(iso.strip());
        } catch (DateTimeParseException e) {
            throw file.invalid(IDLE_TIME + " is an ISO-8601 duration such as PT30M, not '" + iso + "'"
                    + (iso.strip().matches("\\d+") ? "; minutes are " + IDLE_MINUTES : ""));
        }
    }

    /** This definition with every field {@code options} gives replaced; tags are merged, the options' winning. */
    ComputeDefinition overriddenBy(ComputeDefinition options) {
        var merged = new LinkedHashMap<>(tags);
        merged.putAll(options.tags());
        return new ComputeDefinition(either(options.type(), type), either(options.name(), name),
                either(options.size(), size), either(options.description(), description), merged,
                either(options.sshKey(), sshKey), either(options.minInstances(), minInstances),
                either(options.maxInstances(), maxInstances),
                either(options.idleTimeBeforeScaleDown(), idleTimeBeforeScaleDown), either(options.tier(), tier),
                Script.merged(creationScript, options.creationScript()),
                Script.merged(startupScript, options.startupScript()),
                either(options.idleTimeBeforeShutdown(), idleTimeBeforeShutdown),
                either(options.schedules(), schedules), either(options.customServices(), customServices));
    }

    /**
     * Whether this is a cluster; checks the type and that no key of the other type is given.
     *
     * @throws CliException {@code UnsupportedComputeType}, {@code InvalidComputeOption}
     */
    boolean isCluster() {
        var cluster = switch (type == null ? INSTANCE : type.strip().toLowerCase(Locale.ROOT)) {
            case INSTANCE -> false;
            case CLUSTER -> true;
            default -> throw new CliException("UnsupportedComputeType", "Hangar creates " + INSTANCE + " and "
                    + CLUSTER + " computes, not '" + type + "'", ExitCodes.USAGE);
        };
        var foreign = new ArrayList<String>();
        if (cluster) {
            given(foreign, sshKey, "--ssh-key (ssh_settings.ssh_key_value)");
            given(foreign, creationScript, "--setup-script (setup_scripts.creation_script)");
            given(foreign, startupScript, "--startup-script (setup_scripts.startup_script)");
            given(foreign, idleTimeBeforeShutdown, "--idle-time-before-shutdown[-minutes] (" + IDLE_TIME
                    + "[_minutes])");
            given(foreign, schedules, StartStopSchedules.KEY);
            given(foreign, customServices, CustomApplications.KEY);
        } else {
            given(foreign, minInstances, "--min-instances (min_instances)");
            given(foreign, maxInstances, "--max-instances (max_instances)");
            given(foreign, idleTimeBeforeScaleDown, "--idle-time-before-scale-down (idle_time_before_scale_down)");
            given(foreign, tier, "--tier (tier)");
        }
        if (!foreign.isEmpty()) {
            throw new CliException("InvalidComputeOption", String.join(", ", foreign) + (foreign.size() == 1
                    ? " applies" : " apply") + " to type " + (cluster ? INSTANCE : CLUSTER) + " only, not to "
                    + (cluster ? CLUSTER : INSTANCE), ExitCodes.USAGE);
        }
        return cluster;
    }

    InstanceSpec instance() {
        requireNameAndSize();
        var spec = InstanceSpec.of(size).withDescription(description).withTags(tags)
                .withCreationScript(creationScript == null ? null : creationScript.reference())
                .withStartupScript(startupScript == null ? null : startupScript.reference())
                .withIdleTimeBeforeShutdown(idleTimeBeforeShutdown).withSchedules(schedules)
                .withCustomServices(customServices);
        return sshKey == null ? spec : spec.withSshPublicKey(sshKey);
    }

    /** az's defaults for what is not given: 0 to {@value ClusterSpec#DEFAULT_MAX_NODES} dedicated nodes, 120 s idle. */
    ClusterSpec cluster() {
        requireNameAndSize();
        var spec = ClusterSpec.of(size).withDescription(description).withTags(tags);
        if (minInstances != null) {
            spec = spec.withMinNodes(minInstances);
        }
        if (maxInstances != null) {
            spec = spec.withMaxNodes(maxInstances);
        }
        if (tier != null) {
            spec = spec.withVmPriority(tier(tier));
        }
        if (idleTimeBeforeScaleDown != null) {
            if (idleTimeBeforeScaleDown < 0) {
                throw new CliException("InvalidComputeOption", "the idle time before scale down is 0 seconds or more,"
                        + " not " + idleTimeBeforeScaleDown, ExitCodes.USAGE);
            }
            spec = spec.withIdleTimeBeforeScaleDown(Duration.ofSeconds(idleTimeBeforeScaleDown));
        }
        return spec;
    }

    /** A tier as az writes it ({@code dedicated}, {@code low_priority}) or as ARM does ({@code LowPriority}). */
    static ClusterSpec.VmPriority tier(String text) {
        return switch (text.strip().replace("_", "").toLowerCase(Locale.ROOT)) {
            case "dedicated" -> ClusterSpec.VmPriority.DEDICATED;
            case "lowpriority" -> ClusterSpec.VmPriority.LOW_PRIORITY;
            default -> throw new CliException("InvalidComputeOption", "a tier is dedicated or low_priority, not '"
                    + text + "'", ExitCodes.USAGE);
        };
    }

    private void requireNameAndSize() {
        if (name == null || size == null) {
            throw new CliException("MissingComputeField", "a compute needs a name and a size (-n and --size, or name"
                    + " and size in the YAML)", ExitCodes.USAGE);
        }
    }

    private static void given(List<String> foreign, Object value, String what) {
        if (value != null) {
            foreign.add(what);
        }
    }

    private static <T> T either(T preferred, T fallback) {
        return preferred != null ? preferred : fallback;
    }

    /**
     * One setup script of an instance, in the keys of az's {@code setup_scripts.creation_script} or
     * {@code startup_script}; every field {@code null} when not given. The server checks what it holds.
     *
     * @param path           {@code path}: the script's path in the workspace's file share
     * @param inline         the script's text, read from a local file (the command line's {@code --*-script-inline})
     * @param command        {@code command}: its arguments, one line
     * @param timeoutMinutes {@code timeout_minutes}
     */
    record Script(String path, String inline, String command, Integer timeoutMinutes) {
        private static final Set<String> KEYS = Set.of("path", "command", "timeout_minutes");

        /** A script from options, {@code null} when none of them is given. */
        static Script of(String path, String inline, String command, Integer timeoutMinutes) {
            return path == null && inline == null && command == null && timeoutMinutes == null ? null
                    : new Script(path, inline, command, timeoutMinutes);
        }

        /** {@code setup_scripts.<key>} of {@code file}, or {@code null}. */
        static Script read(AzYaml file, JsonNode scripts, String key) {
            var node = scripts.path(key);
            if (node.isMissingNode() || node.isNull()) {
                return null;
            }
            var where = "setup_scripts." + key;
            if (!node.isObject()) {
                throw file.invalid(where + " is a mapping of path, command and timeout_minutes");
            }
            node.fieldNames().forEachRemaining(field -> {
                if (!KEYS.contains(field)) {
                    throw file.invalid(where + " has path, command and timeout_minutes, not '" + field + "'");
                }
            });
            var timeout = node.path("timeout_minutes");
            if (!timeout.isMissingNode() && !timeout.isNull()
                    && (!timeout.isIntegralNumber() || !timeout.canConvertToInt())) {
                throw file.invalid(where + ".timeout_minutes is a whole number, not '" + timeout.asText() + "'");
            }
            return of(text(node, "path"), null, text(node, "command"),
                    timeout.isIntegralNumber() ? timeout.intValue() : null);
        }

        /** {@code file}'s script with what {@code options} give replaced; where the script is, path or text, whole. */
        static Script merged(Script file, Script options) {
            if (file == null || options == null) {
                return options != null ? options : file;
            }
            var located = options.path() != null || options.inline() != null;
            return new Script(located ? options.path() : file.path(), located ? options.inline() : file.inline(),
                    either(options.command(), file.command()),
                    either(options.timeoutMinutes(), file.timeoutMinutes()));
        }

        /** As the wire has it: inline when the text was given, else from the share; the timeout as {@code "<n>m"}. */
        ScriptReference reference() {
            var timeout = timeoutMinutes == null ? null : Duration.ofMinutes(timeoutMinutes);
            return inline != null ? InstanceSpec.inlineScript(inline, command, timeout)
                    : InstanceSpec.scriptInShare(path, command, timeout);
        }

        private static String text(JsonNode node, String key) {
            return node.hasNonNull(key) ? node.get(key).asText() : null;
        }
    }
}
