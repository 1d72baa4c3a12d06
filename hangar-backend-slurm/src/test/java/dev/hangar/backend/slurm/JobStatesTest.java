package dev.hangar.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.core.spi.engine.EngineJobState;
import dev.hangar.core.spi.engine.EngineJobState.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobStatesTest {

    @ParameterizedTest
    @CsvSource({
            "PENDING, Pending", "CONFIGURING, Pending", "REQUEUED, Pending", "REQUEUE_HOLD, Pending",
            "REQUEUE_FED, Pending", "RESV_DEL_HOLD, Pending", "SUSPENDED, Pending", "STOPPED, Pending",
            "SPECIAL_EXIT, Pending", "SOME_FUTURE_STATE, Pending",
            "RUNNING, Running", "COMPLETING, Running", "STAGE_OUT, Running", "SIGNALING, Running",
            "RESIZING, Running",
            "COMPLETED, Ended", "FAILED, Ended",
            "CANCELLED, Canceled", "CANCELLED by 0, Canceled", "cancelled by 1000, Canceled",
            "TIMEOUT, Aborted", "NODE_FAIL, Aborted", "OUT_OF_MEMORY, Aborted", "BOOT_FAIL, Aborted",
            "DEADLINE, Aborted", "PREEMPTED, Aborted", "REVOKED, Aborted"})
    void slurmStatesHaveAPhase(String state, Phase phase) {
        assertThat(JobStates.phase(state)).isEqualTo(phase);
    }

    @Test
    void squeueLinesKeepSlurmsWordsAndDropNone() {
        assertThat(JobStates.fromSqueue("42|PENDING|Priority|")).contains(
                new EngineJobState("42", Phase.Pending, "PENDING", "Priority", null));
        assertThat(JobStates.fromSqueue("43|RUNNING|None|node[1-2]\n")).contains(
                new EngineJobState("43", Phase.Running, "RUNNING", null, "node[1-2]"));
        assertThat(JobStates.fromSqueue("44|TIMEOUT|TimeLimit|vm")).contains(
                new EngineJobState("44", Phase.Aborted, "TIMEOUT", "TimeLimit", "vm"));
    }

    @Test
    void sacctLinesKeepAnExitThatWasNotCleanAsTheReason() {
        assertThat(JobStates.fromSacct("7|COMPLETED|0:0|vm")).contains(
                new EngineJobState("7", Phase.Ended, "COMPLETED", null, "vm"));
        assertThat(JobStates.fromSacct("8|FAILED|3:0|vm")).contains(
                new EngineJobState("8", Phase.Ended, "FAILED", "ExitCode 3:0", "vm"));
        assertThat(JobStates.fromSacct("9|CANCELLED by 0|0:15|None assigned")).contains(
                new EngineJobState("9", Phase.Canceled, "CANCELLED", "ExitCode 0:15", null));
    }

    @Test
    void slurmrestdsFieldsReadAsSqueuesColumns() {
        assertThat(JobStates.of("5", "PENDING", "Priority", "")).isEqualTo(
                new EngineJobState("5", Phase.Pending, "PENDING", "Priority", null));
        assertThat(JobStates.of("6", "RUNNING", "None", "node[1-2]")).isEqualTo(
                new EngineJobState("6", Phase.Running, "RUNNING", null, "node[1-2]"));
        assertThat(JobStates.of("7", "OUT_OF_MEMORY", "OutOfMemory", "vm")).isEqualTo(
                new EngineJobState("7", Phase.Aborted, "OUT_OF_MEMORY", "OutOfMemory", "vm"));
    }

    @Test
    void linesThatAreNotJobsAreSkipped() {
        assertThat(JobStates.fromSqueue("")).isEmpty();
        assertThat(JobStates.fromSqueue("slurm_load_jobs error: Invalid job id specified")).isEmpty();
        assertThat(JobStates.fromSacct("1|COMPLETED")).isEmpty();
    }
}
