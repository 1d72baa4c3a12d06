package dev.hangar.core.quota;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Azure's names for core quotas: {@code Standard_DSv2_Family_Cluster_Dedicated_vCPUs} for the dedicated cores of VM
 * family {@code standardDSv2Family}, and {@code Total_Cluster_Dedicated_Regional_vCPUs} for all of a location's
 * dedicated cores. The display name (Azure's {@code localizedValue}) has spaces for the underscores.
 */
public final class QuotaName {
    /** Azure's families read {@code standard<X>Family}; their quota names read {@code Standard_<X>_Family}. */
    private static final Pattern AZURE_FAMILY = Pattern.compile("(?i)standard(.+)family");

    private QuotaName() {
    }

    /** The quota name of one family's cores of one priority. */
    public static String of(String family, VmPriority priority) {
        var matcher = AZURE_FAMILY.matcher(family);
        var stem = matcher.matches() ? "Standard_" + matcher.group(1) + "_Family" : family;
        return stem + "_Cluster_" + priority.name() + "_vCPUs";
    }

    /** The quota name of all families' cores of one priority in a location. */
    public static String total(VmPriority priority) {
        return "Total_Cluster_" + priority.name() + "_Regional_vCPUs";
    }

    /** The name of an attached compute's usage line, which counts against no quota: {@code Attached_Slurm_vCPUs}. */
    public static String attached(String kind) {
        return "Attached_" + kind + "_vCPUs";
    }

    /** The name as people read it: {@code Standard DSv2 Family Cluster Dedicated vCPUs}. */
    public static String display(String name) {
        return name.replace('_', ' ');
    }

    /**
     * What a quota name stands for, compared without regard to case and with spaces or underscores alike, among the
     * totals and the quotas of {@code families}.
     */
    public static Optional<Parsed> parse(String name, Collection<String> families) {
        var wanted = normal(name);
        for (var priority : VmPriority.values()) {
            if (normal(total(priority)).equals(wanted)) {
                return Optional.of(new Parsed(null, priority));
            }
            for (var family : families) {
                if (normal(of(family, priority)).equals(wanted)) {
                    return Optional.of(new Parsed(family, priority));
                }
            }
        }
        return Optional.empty();
    }

    private static String normal(String name) {
        return name.trim().replace(' ', '_').toLowerCase(Locale.ROOT);
    }

    /** A parsed quota name: a family's cores, or all families' ({@code family} null). */
    public record Parsed(String family, VmPriority priority) {
    }
}
