package dev.hangar.core.cluster;

import dev.hangar.core.quota.VmPriority;
import java.util.Map;

/** A cluster as a PUT asks for it; on an existing cluster only the scale, description and tags may change. */
public record ClusterRequest(String vmSize, VmPriority vmPriority, ScaleSettings scale, String description,
                             Map<String, String> tags) {
}
