package dev.hangar.client;

import dev.hangar.api.AmlComputeProperties;
import dev.hangar.api.AmlComputeProperties.ScaleSettings;
import dev.hangar.api.Compute;
import dev.hangar.api.ComputeResource;
import java.time.Duration;
import java.util.Map;

/**
 * What to create with {@link ComputeClient#createCluster}: a VM size, the tier of its nodes, how many nodes it keeps at
 * least and at most, how long an idle node stays before it is removed, and optionally a description and tags.
 * {@link #of} starts from az's defaults: dedicated nodes, 0 to 4 of them, removed after 120 s idle.
 *
 * <pre>{@code
 * ClusterSpec.of("Standard_DS3_v2").withMaxNodes(8).withVmPriority(ClusterSpec.VmPriority.LOW_PRIORITY)
 * }</pre>
 *
 * <p>The server checks the numbers: a minimum above the maximum, a negative count or a maximum of 0 is 400
 * {@code InvalidScaleSettings}; more cores than the quota allows is 409 {@code QuotaExceeded}.
 *
 * @param vmSize                  required, e.g. {@code Standard_DS3_v2}; fixed once the cluster exists
 * @param vmPriority              never {@code null}; fixed once the cluster exists
 * @param minNodes                the nodes kept even when idle
 * @param maxNodes                the most nodes the cluster grows to
 * @param idleTimeBeforeScaleDown how long a node above the minimum stays idle before it is removed; whole seconds
 * @param description             or {@code null}
 * @param tags                    never {@code null}; empty when none
 */
public record ClusterSpec(String vmSize, VmPriority vmPriority, int minNodes, int maxNodes,
                          Duration idleTimeBeforeScaleDown, String description, Map<String, String> tags) {

    /** az's default of {@code max_instances}. */
    public static final int DEFAULT_MAX_NODES = 4;
    /** az's default of {@code idle_time_before_scale_down}. */
    public static final Duration DEFAULT_IDLE_TIME_BEFORE_SCALE_DOWN = Duration.ofSeconds(120);

    /** {@code vmPriority}: dedicated nodes, or low-priority ones that may be preempted. */
    public enum VmPriority {
        DEDICATED("Dedicated"), LOW_PRIORITY("LowPriority");

        private final String wireName;

        VmPriority(String wireName) {
            this.wireName = wireName;
        }

        /** As ARM writes it: {@code Dedicated}, {@code LowPriority}. */
        public String wireName() {
            return wireName;
        }
    }

    public ClusterSpec {
        if (vmSize == null || vmSize.isBlank()) {
            throw new IllegalArgumentException("a VM size is required");
        }
        if (vmPriority == null) {
            throw new IllegalArgumentException("a VM priority is required");
        }
        checkIdleTime(idleTimeBeforeScaleDown);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public static ClusterSpec of(String vmSize) {
        return new ClusterSpec(vmSize, VmPriority.DEDICATED, 0, DEFAULT_MAX_NODES, DEFAULT_IDLE_TIME_BEFORE_SCALE_DOWN,
                null, Map.of());
    }

    public ClusterSpec withVmPriority(VmPriority vmPriority) {
        return new ClusterSpec(vmSize, vmPriority, minNodes, maxNodes, idleTimeBeforeScaleDown, description, tags);
    }

    public ClusterSpec withMinNodes(int minNodes) {
        return new ClusterSpec(vmSize, vmPriority, minNodes, maxNodes, idleTimeBeforeScaleDown, description, tags);
    }

    public ClusterSpec withMaxNodes(int maxNodes) {
        return new ClusterSpec(vmSize, vmPriority, minNodes, maxNodes, idleTimeBeforeScaleDown, description, tags);
    }

    public ClusterSpec withIdleTimeBeforeScaleDown(Duration idleTimeBeforeScaleDown) {
        return new ClusterSpec(vmSize, vmPriority, minNodes, maxNodes, idleTimeBeforeScaleDown, description, tags);
    }

    public ClusterSpec withDescription(String description) {
        return new ClusterSpec(vmSize, vmPriority, minNodes, maxNodes, idleTimeBeforeScaleDown, description, tags);
    }

    public ClusterSpec withTags(Map<String, String> tags) {
        return new ClusterSpec(vmSize, vmPriority, minNodes, maxNodes, idleTimeBeforeScaleDown, description, tags);
    }

    /** The PUT body; {@code null} fields are left out on the wire. */
    ComputeResource toResource(String location) {
        var cluster = new AmlComputeProperties(null, vmSize, vmPriority.wireName(), null, null,
                new ScaleSettings(maxNodes, minNodes, isoSeconds(idleTimeBeforeScaleDown)), null, null, null, null,
                null, null, null, null, null, null, null);
        var compute = new Compute(null, description, null, null, null, null, null, null, null, cluster);
        return new ComputeResource(null, null, null, location, tags.isEmpty() ? null : tags, null, compute);
    }

    /** {@code nodeIdleTimeBeforeScaleDown} as az writes it, {@code PT120S}. */
    static String isoSeconds(Duration idleTime) {
        checkIdleTime(idleTime);
        return "PT" + idleTime.toSeconds() + "S";
    }

    private static void checkIdleTime(Duration idleTime) {
        if (idleTime == null || idleTime.isNegative() || idleTime.getNano() != 0) {
            throw new IllegalArgumentException("the idle time before scale down is a whole number of seconds, 0 or"
                    + " more: " + idleTime);
        }
    }
}
