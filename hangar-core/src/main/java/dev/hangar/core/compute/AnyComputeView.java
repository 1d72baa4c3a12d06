package dev.hangar.core.compute;

import dev.hangar.core.operation.Operation;

/**
 * A compute of any kind as the API shows it, read in one transaction: its record, its newest lifecycle operation (null
 * before the first), and what its kind shows beside them (a cluster's nodes).
 */
public sealed interface AnyComputeView permits ComputeView, ClusterView, AttachedView {

    Compute compute();

    Operation lastOperation();
}
