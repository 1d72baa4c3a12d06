package dev.hangar.core.job;

/**
 * The kind of compute a job was submitted to, as {@link JobService#submit} resolved it, kept with the job: which runner
 * takes it, without reading the compute again, also after a restart and after the compute is gone.
 */
public enum TargetKind {
    /** A compute instance: {@link JobRunner} runs it in a session of the instance. */
    Instance,
    /** A cluster: {@link JobRunner} runs it on the nodes it takes. */
    Cluster,
    /** An attached compute: its engine queues and runs it, followed by the engine runner. */
    Attached,
    /**
     * The submitter's own machine ({@code compute: local}): no runner takes it; the submitter's {@code hangar} CLI
     * runs it and reports its moves, log and outputs through {@link dev.hangar.core.job.local.LocalRuns}.
     */
    Local;

    /** Whether an attached engine, not Hangar, queues and runs the job. */
    public boolean queuedByEngine() {
        return this == Attached;
    }

    /** Whether Hangar's own {@link JobRunner} queues and runs the job on its compute. */
    public boolean runByHangar() {
        return this == Instance || this == Cluster;
    }
}
