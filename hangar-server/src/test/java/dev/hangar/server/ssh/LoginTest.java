package dev.hangar.server.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoginTest {

    @Test
    void theFirstDotSplitsTheComputeFromItsWorkspace() {
        assertThat(Login.parse("ci1.team-a")).contains(new Login("ci1", "team-a"));
        assertThat(Login.parse("ci1")).contains(new Login("ci1", null));
        assertThat(Login.of("ci1", "team-a")).isEqualTo("ci1.team-a");
    }

    @Test
    void whatCannotNameAnInstanceIsNoLogin() {
        for (var user : new String[] {null, "", " ", ".ws", "ci1.", "ci1.ws.extra"}) {
            assertThat(Login.parse(user)).as(user).isEqualTo(Optional.empty());
        }
    }
}
