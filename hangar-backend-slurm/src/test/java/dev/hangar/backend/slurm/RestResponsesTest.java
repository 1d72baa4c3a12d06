package dev.hangar.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hangar.core.spi.engine.EngineJobState;
import dev.hangar.core.spi.engine.EngineJobState.Phase;
import dev.hangar.core.spi.engine.EngineNode;
import dev.hangar.core.spi.engine.EngineNode.State;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** slurmrestd's recorded answers ({@link Recordings}) read into the engine's terms. */
class RestResponsesTest {

    @Test
    void pingSaysTheVersionAndWhetherTheControllerIsUp() {
        var ping = Recordings.json("ping.json");

        assertThat(RestResponses.version(ping)).isEqualTo("slurm 22.05.8");
        assertThat(RestResponses.cluster(ping)).isNull();
        assertThat(RestResponses.controllerUp(ping)).isTrue();
        assertThat(RestResponses.pings(ping)).containsExactly("vm UP");
        assertThat(RestResponses.errors(ping)).isEmpty();
    }

    @Test
    void laterPluginsGiveTheVersionAndClusterInLowerCaseMeta() {
        var ping = Recordings.json("ping.json");
        ((ObjectNode) ping).putObject("meta").putObject("slurm")
                .put("release", "24.05.1").put("cluster", "big");

        assertThat(RestResponses.version(ping)).isEqualTo("slurm 24.05.1");
        assertThat(RestResponses.cluster(ping)).isEqualTo("big");
    }

    @Test
    void aRefusedTokenIsAnUnspecifiedError() {
        var errors = RestResponses.errors(Recordings.json("ping-refused.json"));

        assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error).isEqualTo(new RestResponses.Error(-1, "Unspecified error",
                    "slurmctld config is unable to load", "slurm_load_ctl_conf"));
            assertThat(error.unspecified()).isTrue();
            assertThat(error.text()).isEqualTo("Unspecified error (slurmctld config is unable to load)"
                    + " [-1 from slurm_load_ctl_conf]");
        });
        assertThat(RestResponses.errors(Recordings.json("jobs-refused.json"))).singleElement()
                .extracting(RestResponses.Error::unspecified).isEqualTo(true);
    }

    @Test
    void theDefaultPartitionHasTheDefaultFlag() {
        assertThat(RestResponses.partitions(Recordings.json("partitions.json")))
                .isEqualTo(new Partitions(List.of("debug"), "debug"));
    }

    @Test
    void nodesOfThePartitionComeWithTheirJobsAndSinfosState() {
        assertThat(RestResponses.nodes(Recordings.json("nodes-mixed.json"), "debug", Map.of("vm", List.of("6"))))
                .containsExactly(new EngineNode("vm", State.running, "mixed", "127.0.0.1", 2, List.of("6")));
        assertThat(RestResponses.nodes(Recordings.json("nodes-drained.json"), "debug", Map.of()))
                .containsExactly(new EngineNode("vm", State.unusable, "drained", "127.0.0.1", 2, List.of()));
        assertThat(RestResponses.nodes(Recordings.json("nodes-mixed.json"), "gpu", Map.of())).isEmpty();
    }

    @Test
    void jobsAreListedWithTheirStateReasonNodesAndFolder() {
        var jobs = RestResponses.jobs(Recordings.json("jobs.json"));

        assertThat(jobs).containsExactly(
                new RestResponses.Job("6", "hangar-t7", "root", "RUNNING", "None", "vm", "debug",
                        "/tmp/rx/jobs/j7/code"),
                new RestResponses.Job("7", "hangar-t8", "root", "PENDING", "PartitionNodeLimit", "", "debug",
                        "/tmp/rx/jobs/j8/code"));
        assertThat(jobs.getFirst().running()).isTrue();
        assertThat(jobs.stream().map(job -> JobStates.of(job.id(), job.state(), job.reason(), job.nodes())))
                .containsExactly(new EngineJobState("6", Phase.Running, "RUNNING", null, "vm"),
                        new EngineJobState("7", Phase.Pending, "PENDING", "PartitionNodeLimit", null));
    }

    @Test
    void endedJobsHaveTheirPhase() {
        assertThat(RestResponses.jobs(Recordings.json("jobs-ended.json")).stream()
                .map(job -> JobStates.of(job.id(), job.state(), job.reason(), job.nodes()))).containsExactly(
                new EngineJobState("6", Phase.Canceled, "CANCELLED", null, "vm"),
                new EngineJobState("7", Phase.Canceled, "CANCELLED", "PartitionNodeLimit", null),
                new EngineJobState("8", Phase.Ended, "FAILED", "NonZeroExitCode", "vm"),
                new EngineJobState("9", Phase.Ended, "COMPLETED", null, "vm"));
    }

    @Test
    void aSubmissionGivesAnIdOrErrorsUnderAnotherKey() {
        assertThat(RestResponses.submittedId(Recordings.json("submit.json"))).contains("6");
        var queuedWithErrors = Recordings.json("submit-with-errors.json");
        assertThat(RestResponses.submittedId(queuedWithErrors)).contains("7");
        assertThat(RestResponses.errors(queuedWithErrors)).containsExactly(new RestResponses.Error(2015,
                "Requested partition configuration not available now", "", ""));
        var refused = Recordings.json("submit-bad-partition.json");
        assertThat(RestResponses.submittedId(refused)).isEmpty();
        assertThat(RestResponses.errors(refused)).singleElement().extracting(RestResponses.Error::text)
                .isEqualTo("Invalid partition name specified [2000]");
    }

    @Test
    void cancelingAJobSlurmForgotSaysSo() {
        assertThat(RestResponses.errors(Recordings.json("cancel.json"))).isEmpty();
        assertThat(RestResponses.errors(Recordings.json("cancel-unknown.json"))).singleElement()
                .extracting(RestResponses.Error::number).isEqualTo(2017);
    }

    @Test
    void theOpenApiDescriptionNamesThePluginsServed() {
        assertThat(RestResponses.plugins(Recordings.json("openapi-v0.0.37.json"))).containsExactly("slurm/v0.0.37");
    }
}
