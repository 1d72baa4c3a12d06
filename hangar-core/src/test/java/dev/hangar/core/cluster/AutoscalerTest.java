package dev.hangar.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hangar.core.error.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AutoscalerTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final UUID CLUSTER = UUID.randomUUID();
    static final ScaleSettings ZERO_TO_FOUR = new ScaleSettings(0, 4, Duration.ofMinutes(2));

    static ClusterNode node(NodeState state, Duration since) {
        return ClusterNode.preparing(CLUSTER, NOW.minus(since)).moveTo(state,
                state == NodeState.Running ? UUID.randomUUID() : null, NOW.minus(since));
    }

    static List<ClusterNode> nodes(int count, NodeState state, Duration since) {
        var nodes = new ArrayList<ClusterNode>();
        for (int i = 0; i < count; i++) {
            nodes.add(node(state, since));
        }
        return nodes;
    }

    @Test
    void anEmptyClusterGrowsANodeForEachWaitingJobUpToItsMaximum() {
        assertThat(Autoscaler.plan(ZERO_TO_FOUR, List.of(), 0, NOW)).isEqualTo(
                new Autoscaler.Plan(0, List.of(), 0));
        assertThat(Autoscaler.plan(ZERO_TO_FOUR, List.of(), 3, NOW).add()).isEqualTo(3);
        var many = Autoscaler.plan(ZERO_TO_FOUR, List.of(), 100, NOW);
        assertThat(many.add()).as("never beyond the maximum").isEqualTo(4);
        assertThat(many.target()).isEqualTo(4);
    }

    @Test
    void nodesBeingPreparedOrRunningCountTowardWhatIsNeeded() {
        var nodes = new ArrayList<ClusterNode>();
        nodes.addAll(nodes(2, NodeState.Running, Duration.ofSeconds(5)));
        nodes.addAll(nodes(1, NodeState.Preparing, Duration.ofSeconds(1)));
        var plan = Autoscaler.plan(ZERO_TO_FOUR, nodes, 1, NOW);
        assertThat(plan.add()).as("the preparing node will take the waiting job").isZero();
        assertThat(Autoscaler.plan(ZERO_TO_FOUR, nodes, 5, NOW).add()).isEqualTo(1);
    }

    @Test
    void theMinimumIsKeptWithoutJobs() {
        var plan = Autoscaler.plan(new ScaleSettings(2, 4, Duration.ZERO), List.of(), 0, NOW);
        assertThat(plan.add()).isEqualTo(2);
        var idle = nodes(2, NodeState.Idle, Duration.ofHours(1));
        assertThat(Autoscaler.plan(new ScaleSettings(2, 4, Duration.ZERO), idle, 0, NOW).isEmpty()).isTrue();
    }

    @Test
    void idleNodesGoOnlyAfterTheIdleTimeLongestIdleFirst() {
        var recent = node(NodeState.Idle, Duration.ofSeconds(30));
        var old = node(NodeState.Idle, Duration.ofMinutes(5));
        var older = node(NodeState.Idle, Duration.ofMinutes(10));
        var plan = Autoscaler.plan(ZERO_TO_FOUR, List.of(recent, old, older), 0, NOW);
        assertThat(plan.remove()).containsExactly(older, old);
        assertThat(plan.target()).isEqualTo(1);
        assertThat(Autoscaler.plan(ZERO_TO_FOUR, List.of(recent, old, older), 2, NOW).remove())
                .as("two waiting jobs keep two of them").containsExactly(older);
        var exactly = node(NodeState.Idle, Duration.ofMinutes(2));
        assertThat(Autoscaler.plan(ZERO_TO_FOUR, List.of(exactly), 0, NOW).remove()).containsExactly(exactly);
    }

    @Test
    void aLoweredMaximumRemovesIdleNodesAtOnceButNeverARunningOne() {
        var nodes = new ArrayList<ClusterNode>();
        nodes.addAll(nodes(2, NodeState.Running, Duration.ofSeconds(5)));
        nodes.addAll(nodes(2, NodeState.Idle, Duration.ofSeconds(1)));
        var plan = Autoscaler.plan(new ScaleSettings(0, 1, Duration.ofHours(1)), nodes, 0, NOW);
        assertThat(plan.remove()).hasSize(2).allMatch(node -> node.state() == NodeState.Idle);
        assertThat(plan.target()).as("the running nodes finish their jobs first").isEqualTo(2);
    }

    @Test
    void unusableAndPreemptedNodesAreRemovedAndReplaced() {
        var broken = node(NodeState.Unusable, Duration.ofSeconds(1));
        var taken = node(NodeState.Preempted, Duration.ofSeconds(1));
        var leaving = node(NodeState.Leaving, Duration.ofSeconds(1));
        var plan = Autoscaler.plan(ZERO_TO_FOUR, List.of(broken, taken, leaving), 2, NOW);
        assertThat(plan.remove()).containsExactly(broken, taken);
        assertThat(plan.add()).isEqualTo(2);
    }

    @Test
    void aLostNodeGoesOnlyOnceItsJobLetGoOfIt() {
        var held = node(NodeState.Running, Duration.ofSeconds(5)).moveTo(NodeState.Preempted, UUID.randomUUID(), NOW);
        var plan = Autoscaler.plan(ZERO_TO_FOUR, List.of(held), 1, NOW);
        assertThat(plan.remove()).isEmpty();
        assertThat(plan.add()).as("a node for the job that goes back to the queue").isEqualTo(1);
        var letGo = held.moveTo(NodeState.Preempted, null, NOW);
        assertThat(Autoscaler.plan(ZERO_TO_FOUR, List.of(letGo), 0, NOW).remove()).containsExactly(letGo);
    }

    @Test
    void scaleSettingsRefuseWhatCannotBe() {
        assertThatThrownBy(() -> new ScaleSettings(3, 2, null)).isInstanceOf(ApiException.class)
                .hasMessageContaining("minNodeCount (3) is greater than maxNodeCount (2)");
        assertThatThrownBy(() -> new ScaleSettings(0, 0, null)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> new ScaleSettings(-1, 2, null)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> new ScaleSettings(0, 2, Duration.ofSeconds(-1))).isInstanceOf(ApiException.class);
        assertThat(new ScaleSettings(0, 2, null).idleTimeBeforeScaleDown()).isEqualTo(ScaleSettings.DEFAULT_IDLE);
        assertThat(ScaleSettings.parseIdleTime("PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThat(ScaleSettings.parseIdleTime("")).as("azureml-core sends '' when unset")
                .isEqualTo(ScaleSettings.DEFAULT_IDLE);
        assertThatThrownBy(() -> ScaleSettings.parseIdleTime("120")).isInstanceOf(ApiException.class);
        assertThat(new ScaleSettings(0, 2, Duration.ofMinutes(2)).idleTimeText()).isEqualTo("PT120S");
    }
}
