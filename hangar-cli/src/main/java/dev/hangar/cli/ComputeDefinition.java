package dev.hangar.cli;

import dev.hangar.client.ClusterSpec;
import dev.hangar.client.InstanceSpec;
import java.nio.file.Path;
import java.time.Duration;
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
 */
record ComputeDefinition(String type, String name, String size, String description, Map<String, String> tags,
                         String sshKey, Integer minInstances, Integer maxInstances, Integer idleTimeBeforeScaleDown,
                         String tier) {

    static final String INSTANCE = "computeinstance";
    static final String CLUSTER = "amlcompute";
    private static final Set<String> KEYS = Set.of("$schema", "type", "name", "size", "description", "tags",
            "ssh_settings", "min_instances", "max_instances", "idle_time_before_scale_down", "tier");

    ComputeDefinition {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** Reads a compute's YAML as {@code az ml compute create -f} does; {@code note} hears of keys Hangar does not use. */
    static ComputeDefinition read(Path yaml, Consumer<String> note) {
        var file = AzYaml.read(yaml, "InvalidComputeFile");
        file.noteUnused(KEYS, note);
        var ssh = file.tree().path("ssh_settings");
        return new ComputeDefinition(file.text("type"), file.text("name"), file.text("size"),
                file.text("description"), file.tags(), ssh.hasNonNull("ssh_key_value")
                        ? ssh.get("ssh_key_value").asText() : null,
                file.integer("min_instances"), file.integer("max_instances"),
                file.integer("idle_time_before_scale_down"), file.text("tier"));
    }

    /** This definition with every field {@code options} gives replaced; tags are merged, the options' winning. */
    ComputeDefinition overriddenBy(ComputeDefinition options) {
        var merged = new LinkedHashMap<>(tags);
        merged.putAll(options.tags());
        return new ComputeDefinition(either(options.type(), type), either(options.name(), name),
                either(options.size(), size), either(options.description(), description), merged,
                either(options.sshKey(), sshKey), either(options.minInstances(), minInstances),
                either(options.maxInstances(), maxInstances),
                either(options.idleTimeBeforeScaleDown(), idleTimeBeforeScaleDown), either(options.tier(), tier));
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
        var spec = InstanceSpec.of(size).withDescription(description).withTags(tags);
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
}
