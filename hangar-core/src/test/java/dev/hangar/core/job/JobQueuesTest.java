package dev.hangar.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobQueuesTest {
    private static final UUID COMPUTE = UUID.randomUUID();

    private final Set<UUID> running = new HashSet<>();
    private final JobQueues queues = new JobQueues(running::contains);

    private static Job job(String name, int priority, int nodes) {
        return new Job(UUID.randomUUID(), UUID.randomUUID(), name, null, COMPUTE, "gpu", TargetKind.Cluster, "true",
                Map.of(), 1, nodes, null, null, priority, JobStatus.Queued, null, null, null, Instant.EPOCH, null,
                null, 1);
    }

    private Job take() {
        return queues.takeFirst(COMPUTE, job -> job);
    }

    @Test
    void higherPriorityGoesFirstAndFirstComeFirstWithinAPriority() {
        var low = job("low", Job.LOW, 1);
        var first = job("first", Job.MEDIUM, 1);
        var second = job("second", Job.MEDIUM, 2);
        var high = job("high", Job.HIGH, 1);
        for (var job : new Job[] {low, first, second, high}) {
            queues.add(job);
        }
        assertThat(queues.nodesWanted(COMPUTE)).isEqualTo(5);
        assertThat(take()).isSameAs(high);
        assertThat(take()).isSameAs(first);
        assertThat(take()).isSameAs(second);
        assertThat(take()).isSameAs(low);
        assertThat(take()).isNull();
        assertThat(queues.computes()).as("an empty queue is let go").isEmpty();
    }

    @Test
    void aJobIsQueuedOnceAndNeverWhileItRuns() {
        var job = job("once", Job.MEDIUM, 1);
        queues.add(job);
        queues.add(job);
        assertThat(queues.nodesWanted(COMPUTE)).isEqualTo(1);
        var runs = job("runs", Job.MEDIUM, 1);
        running.add(runs.id());
        queues.add(runs);
        assertThat(queues.nodesWanted(COMPUTE)).isEqualTo(1);
    }

    @Test
    void aJobLeftAtTheHeadStaysThereAndNothingBehindItJumpsIt() {
        var big = job("big", Job.HIGH, 4);
        var small = job("small", Job.LOW, 1);
        queues.add(small);
        queues.add(big);
        Job taken = queues.takeFirst(COMPUTE, head -> head.instanceCount() <= 2 ? head : null);
        assertThat(taken).isNull();
        assertThat(queues.first(COMPUTE)).isSameAs(big);
        queues.remove(big);
        assertThat(queues.first(COMPUTE)).isSameAs(small);
        assertThat(queues.clear(COMPUTE)).containsExactly(small);
        assertThat(queues.first(COMPUTE)).isNull();
    }
}
