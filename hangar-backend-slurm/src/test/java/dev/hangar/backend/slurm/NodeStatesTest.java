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

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "idle||idle", "IDLE||idle", "mixed||mixed", "allocated||allocated", "down||down", "unknown||unknown",
            "future||future", "idle|NOT_RESPONDING|idle*", "down|NOT_RESPONDING|down*", "idle|DRAIN|drained",
            "mixed|DRAIN|draining", "allocated|DRAIN,NOT_RESPONDING|draining*", "idle|DRAIN,COMPLETING|draining",
            "idle|COMPLETING|completing", "allocated|COMPLETING|allocated+", "idle|POWERING_UP|idle#",
            "idle|POWERING_DOWN|idle%", "idle|POWERED_DOWN|idle~", "idle|POWER_DOWN|idle!", "idle|PLANNED|planned",
            "mixed|PLANNED|mixed-", "idle|MAINTENANCE|maint", "allocated|MAINTENANCE|allocated$",
            "idle|REBOOT_REQUESTED|reboot", "idle|REBOOT_ISSUED|reboot^", "mixed|REBOOT_REQUESTED|mixed@",
            "idle|FAIL|fail", "allocated|FAIL|failing", "idle|INVALID_REG|inval", "idle|CLOUD|idle"})
    void slurmrestdsStateAndFlagsReadAsSinfoPrintsThem(String base, String flags, String sinfo) {
        var flagList = flags == null ? List.<String>of() : List.of(flags.split(","));

        assertThat(NodeStates.sinfoState(base, flagList)).isEqualTo(sinfo);
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
