package dev.hangar.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.core.spi.engine.EngineNode;
import dev.hangar.core.spi.engine.EngineNode.State;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeStatesTest {

    @ParameterizedTest
    @CsvSource({
            "idle, idle", "idle~, idle", "planned, idle", "IDLE, idle",
            "allocated, running", "mixed, running", "completing, running", "mixed-, running", "allocated@, running",
            "down, unusable", "down*, unusable", "drained, unusable", "draining, unusable", "fail, unusable",
            "failing, unusable", "maint, unusable", "not_responding, unusable", "unknown, unusable",
            "inval, unusable", "idle*, unusable", "allocated*, unusable", "reboot^, unusable",
            "idle#, preparing", "powering_up, preparing",
            "idle%, leaving", "powering_down, leaving"})
    void slurmNodeStatesHaveAnAzureState(String slurm, State state) {
        assertThat(NodeStates.state(slurm)).isEqualTo(state);
    }

    @Test
    void sinfoLinesBecomeNodesWithTheirJobs() {
        assertThat(NodeStates.fromSinfo("vm|mixed|127.0.0.1|2", List.of("5", "6"))).contains(
                new EngineNode("vm", State.running, "mixed", "127.0.0.1", 2, List.of("5", "6")));
        assertThat(NodeStates.fromSinfo("gpu01|drained*|gpu01|64+\n", List.of())).contains(
                new EngineNode("gpu01", State.unusable, "drained*", "gpu01", 64, List.of()));
        assertThat(NodeStates.fromSinfo("", List.of())).isEmpty();
        assertThat(NodeStates.name("vm|idle|127.0.0.1|2")).isEqualTo("vm");
    }
}
