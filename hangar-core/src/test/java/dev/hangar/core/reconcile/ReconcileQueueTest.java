package dev.hangar.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReconcileQueueTest {
    @Test
    void neverRunsOneResourceTwiceAtOnceAndCoalescesRequestsMadeMeanwhile() throws Exception {
        var running = new ConcurrentHashMap<UUID, AtomicInteger>();
        var maxConcurrent = new AtomicInteger();
        var runs = new AtomicInteger();
        var release = new CountDownLatch(1);
        var id = UUID.randomUUID();
        try (var queue = new ReconcileQueue(resource -> {
            var now = running.computeIfAbsent(resource, key -> new AtomicInteger()).incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            runs.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.get(resource).decrementAndGet();
        })) {
            queue.request(id);
            await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 1);
            for (int i = 0; i < 20; i++) {
                queue.request(id);
            }
            assertThat(queue.isBusy(id)).isTrue();
            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> !queue.isBusy(id));
            assertThat(maxConcurrent.get()).isEqualTo(1);
            assertThat(runs.get()).as("twenty requests during a run coalesce into one more run").isEqualTo(2);
        }
    }

    @Test
    void differentResourcesRunInParallel() {
        var started = new CountDownLatch(2);
        var release = new CountDownLatch(1);
        try (var queue = new ReconcileQueue(resource -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })) {
            queue.request(UUID.randomUUID());
            queue.request(UUID.randomUUID());
            await().atMost(Duration.ofSeconds(5)).until(() -> started.getCount() == 0);
            release.countDown();
        }
    }
}
