package dev.hangar.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.core.compute.AppEndpoint;
import dev.hangar.testkit.time.TestClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A pass holds for its own caller, instance and app, until the next commit and never past its lifetime. */
class AppPassesTest {
    final TestClock clock = new TestClock(Instant.parse("2026-12-07T09:00:00Z"));
    final AtomicLong commits = new AtomicLong();
    final AppPasses passes = new AppPasses(commits::get, clock);
    final UUID alice = UUID.randomUUID();
    final AppPasses.Key alicesJupyter = new AppPasses.Key(alice, "ws", "box", "jupyter");
    final AppPasses.Pass pass = new AppPasses.Pass(UUID.randomUUID(), AppEndpoint.available("jupyter", "Jupyter",
            URI.create("http://127.0.0.1:8888"), Map.of("Authorization", "token t")));

    @Test
    void aPassHoldsForItsOwnCallerInstanceAndAppOnly() {
        passes.remember(alicesJupyter, passes.stamp(), pass);

        assertThat(passes.find(alicesJupyter)).isEqualTo(pass);
        assertThat(passes.find(new AppPasses.Key(UUID.randomUUID(), "ws", "box", "jupyter"))).isNull();
        assertThat(passes.find(new AppPasses.Key(alice, "ws", "other", "jupyter"))).isNull();
        assertThat(passes.find(new AppPasses.Key(alice, "ws", "box", "terminal"))).isNull();
        assertThat(passes.find(new AppPasses.Key(alice, "ws2", "box", "jupyter"))).isNull();
    }

    @Test
    void anyCommitEndsEveryPass() {
        passes.remember(alicesJupyter, passes.stamp(), pass);

        commits.incrementAndGet();

        assertThat(passes.find(alicesJupyter)).isNull();
    }

    @Test
    void aCommitMadeWhileTheCheckReadTheStoreLeavesItsPassLapsed() {
        var stamp = passes.stamp();
        commits.incrementAndGet(); // e.g. the instance was stopped between the check's reads and its pass

        passes.remember(alicesJupyter, stamp, pass);

        assertThat(passes.find(alicesJupyter)).isNull();
    }

    @Test
    void withoutACommitAPassEndsAtItsLifetime() {
        passes.remember(alicesJupyter, passes.stamp(), pass);

        clock.advance(AppPasses.LIFETIME.minus(Duration.ofMillis(1)));
        assertThat(passes.find(alicesJupyter)).isEqualTo(pass);
        clock.advance(Duration.ofMillis(1));
        assertThat(passes.find(alicesJupyter)).isNull();
    }

    @Test
    void lapsedPassesAreDroppedWhenTheyAreMany() {
        for (int i = 0; i < AppPasses.MOST; i++) {
            passes.remember(new AppPasses.Key(UUID.randomUUID(), "ws", "box", "jupyter"), passes.stamp(), pass);
        }
        commits.incrementAndGet();

        passes.remember(alicesJupyter, passes.stamp(), pass);

        assertThat(passes.find(alicesJupyter)).isEqualTo(pass);
        assertThat(passes.size()).isOne();
    }
}
