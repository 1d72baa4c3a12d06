package dev.hangar.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreferWaitTest {
    @Test
    void readsTheWaitAmongOtherPreferences() {
        assertThat(PreferWait.parse(List.of("wait=10"))).contains(Duration.ofSeconds(10));
        assertThat(PreferWait.parse(List.of("respond-async, Wait = 5"))).contains(Duration.ofSeconds(5));
        assertThat(PreferWait.parse(List.of("return=minimal", "wait=\"7\"; x=y"))).contains(Duration.ofSeconds(7));
    }

    @Test
    void ignoresWhatIsNotAWaitInSeconds() {
        assertThat(PreferWait.parse(List.of())).isEmpty();
        assertThat(PreferWait.parse(List.of("respond-async"))).isEmpty();
        assertThat(PreferWait.parse(List.of("wait=-1, wait=soon, wait=1.5, wait="))).isEmpty();
        assertThat(PreferWait.parse(List.of("waiting=3, nowait=3"))).isEmpty();
        assertThat(PreferWait.parse(List.of("wait=99999999999999999999"))).isEmpty();
    }
}
