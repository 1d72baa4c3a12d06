package dev.hangar.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobStatusTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aJobGoesFromQueuedToItsEndAndNeverBack() {
        assertThat(JobStatus.Queued.canMoveTo(JobStatus.Starting)).isTrue();
        assertThat(JobStatus.Queued.canMoveTo(JobStatus.Canceled)).isTrue();
        assertThat(JobStatus.Starting.canMoveTo(JobStatus.Queued)).as("its preempted node's job runs again").isTrue();
        assertThat(JobStatus.Finalizing.canMoveTo(JobStatus.Queued)).as("its command ended").isFalse();
        assertThat(JobStatus.Failed.canMoveTo(JobStatus.Queued)).isFalse();
        assertThat(JobStatus.Running.canMoveTo(JobStatus.CancelRequested)).isTrue();
        assertThat(JobStatus.CancelRequested.canMoveTo(JobStatus.Completed)).as("it ended before the cancel").isTrue();
        for (var end : new JobStatus[] {JobStatus.Completed, JobStatus.Failed, JobStatus.Canceled}) {
            assertThat(end.isTerminal()).isTrue();
            for (var to : JobStatus.values()) {
                assertThat(end.canMoveTo(to)).isFalse();
            }
        }
        assertThat(JobStatus.Running.isActive()).isTrue();
        assertThat(JobStatus.Queued.isActive()).as("a queued job holds no cores").isFalse();
    }

    @Test
    void movingRecordsTheStartAndEndTimes() {
        var job = new Job(UUID.randomUUID(), UUID.randomUUID(), "j", null, UUID.randomUUID(), "ci", TargetKind.Instance,
                "true", Map.of(), 1, 1, null, null, Job.MEDIUM, JobStatus.Queued, null, null, null, T0, null, null, 1);
        var running = job.moveTo(JobStatus.Starting, T0.plusSeconds(1)).moveTo(JobStatus.Running, T0.plusSeconds(2));
        assertThat(running.startedOn()).isEqualTo(T0.plusSeconds(2));
        var ended = running.end(JobStatus.Failed, T0.plusSeconds(9), 3, null);
        assertThat(ended.endedOn()).isEqualTo(T0.plusSeconds(9));
        assertThat(ended.exitCode()).isEqualTo(3);
        assertThatThrownBy(() -> ended.moveTo(JobStatus.Running, T0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theCommandRunsInTheJobsOwnFolderAndNeverInItsWrappersText() {
        var job = new Job(UUID.randomUUID(), UUID.randomUUID(), "train-1", null, UUID.randomUUID(), "ci", TargetKind.Instance,
                "python train.py\necho 'done' \"$HOME\"", Map.of("A", "1"), 1, 1, null, null, Job.MEDIUM, JobStatus.Starting,
                null, null, null, T0, null, null, 1);
        assertThat(JobWrapper.line(job, true))
                .contains("mkdir -p \"$HOME/jobs/train-1\"/outputs && cd \"$HOME/jobs/train-1\"")
                .doesNotContain("python train.py");
        assertThat(JobWrapper.line(job, false)).contains("\ncd \"$HOME/jobs/train-1\" || exit 97\n")
                .doesNotContain("mkdir").doesNotContain("python train.py");
        assertThat(JobWrapper.outputs(job)).isEqualTo("jobs/train-1/outputs");
        assertThat(JobWrapper.environment(job)).containsEntry("A", "1").containsEntry("AZUREML_RUN_ID", "train-1")
                .containsEntry("HANGAR_JOB_COMMAND", "python train.py\necho 'done' \"$HOME\"")
                .containsEntry("HANGAR_JOB_ID", job.id().toString());
    }
}
