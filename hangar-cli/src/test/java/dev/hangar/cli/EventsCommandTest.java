package dev.hangar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventsCommandTest {
    @Test
    void aTargetInAWorkspaceIsShownFromTheWorkspacesNameOn() {
        assertThat(EventsCommand.shortTarget("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/"
                + "hangar/providers/Microsoft.MachineLearningServices/workspaces/default/computes/ci1/stop"))
                .isEqualTo("default/computes/ci1/stop");
        assertThat(EventsCommand.shortTarget("/hangar/v1/tokens")).isEqualTo("/hangar/v1/tokens");
        assertThat(EventsCommand.shortTarget("ci1")).as("a compute whose state changed").isEqualTo("ci1");
        assertThat(EventsCommand.shortTarget(null)).isEmpty();
    }
}
