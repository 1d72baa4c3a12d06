package dev.hangar.api;

/**
 * One node of a compute cluster, as {@code listNodes} answers: its id, its state ({@code idle}, {@code running},
 * {@code preparing}, {@code unusable}, {@code leaving}, {@code preempted}) and the job it runs, if any. Nodes are
 * reached only through Hangar, so their addresses are loopback and {@code port} is null.
 */
public record AmlComputeNodeInformation(String nodeId, String privateIpAddress, String publicIpAddress, Integer port,
                                        String nodeState, String runId) {
}
