package dev.hangar.core.cluster;

/** A node as {@code listNodes} shows it: the node, and the name of the job it runs (null when none). */
public record NodeView(ClusterNode node, String jobName) {
}
