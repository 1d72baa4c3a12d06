package dev.hangar.core.job.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.core.job.Job;
import dev.hangar.core.job.JobService;
import dev.hangar.core.job.JobStatus;
import dev.hangar.core.job.TargetKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Submissions and cancels go to the runner of the kind of compute a job was submitted to, without a store. */
class EngineJobRoutingTest {
    private static Job job(TargetKind kind) {
        return new Job(UUID.randomUUID(), UUID.randomUUID(), kind.name(), null, UUID.randomUUID(), "c", kind, "true",
                Map.of(), 1, 1, null, null, Job.MEDIUM, JobStatus.Queued, null, null, null, Instant.EPOCH, null,
                null, 1);
    }

    @Test
    void jobsOfInstancesAndClustersGoToTheOtherRunnerLocalRunsToNoneAndNoStoreIsRead() {
        var told = new ArrayList<String>();
        var others = new JobService.Listener() {
            @Override
            public void submitted(Job job) {
                told.add("submitted " + job.name());
            }

            @Override
            public void canceled(Job job) {
                told.add("canceled " + job.name());
            }
        };
        try (var engines = new EngineJobRunner(null, null, null, null, Clock.systemUTC(), Duration.ofMinutes(1))) {
            var routing = engines.routing(others);
            routing.submitted(job(TargetKind.Instance));
            routing.submitted(job(TargetKind.Cluster));
            routing.canceled(job(TargetKind.Cluster));
            routing.submitted(job(TargetKind.Attached));
            // A local run is its submitter's CLI's: no runner hears of it.
            routing.submitted(job(TargetKind.Local));
            routing.canceled(job(TargetKind.Local));
        }
        assertThat(told).isEqualTo(List.of("submitted Instance", "submitted Cluster", "canceled Cluster"));
    }
}
