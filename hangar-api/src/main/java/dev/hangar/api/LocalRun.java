package dev.hangar.api;

/**
 * The bodies of Hangar's local-run reports ({@code POST {ws}/jobs/{name}/local/start|log|end},
 * {@code PUT .../local/outputs}): Hangar's extension through which the {@code hangar} CLI that runs a job on its
 * submitter's machine ({@code compute: local}) records it in the workspace. Azure ML's own local runs report to
 * MLflow and run history instead.
 */
public final class LocalRun {
    private LocalRun() {
    }

    /**
     * What every report answers: the job's status now, how many bytes of its log the server holds (where the next
     * log piece starts), and whether the CLI is to end the command because the job was canceled.
     */
    public record Report(String status, long logLength, boolean cancelRequested) {
    }

    /**
     * What {@code POST .../local/start} answers: a {@link Report}, and the variables the command runs with (the job's
     * own and those Hangar sets on every compute), so that a local run reads the same names as any job.
     */
    public record Start(String status, long logLength, boolean cancelRequested,
                        java.util.Map<String, String> environment) {
    }

    /** {@code POST .../local/end}: the command's exit code. */
    public record End(Integer exitCode) {
    }
}
