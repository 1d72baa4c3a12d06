package dev.hangar.api;

import java.util.List;

/** The answer of {@code listNodes}: a page of a cluster's nodes, with a {@code nextLink} only when more remain. */
public record AmlComputeNodesInformation(List<AmlComputeNodeInformation> nodes, String nextLink) {
}
