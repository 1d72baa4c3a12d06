package dev.hangar.testkit.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import org.junit.jupiter.api.Test;

class InstanceImageIT {
    @Test
    void namesAnImageOfTheRecipeThatPodmanHas() {
        assertThat(InstanceImage.reference()).matches("localhost/hangar-instance:[0-9a-f]{12}");
    }

    @Test
    void tellsHowToBuildAnImageThatIsMissing() {
        assertThatIllegalStateException()
                .isThrownBy(() -> InstanceImage.requirePresent("localhost/hangar-instance:000000000000", false))
                .withMessageContaining("Podman has no image localhost/hangar-instance:000000000000")
                .withMessageContaining("Build it (2 to 3 minutes, as root) with: /")
                .withMessageContaining("images/instance/build.sh");
    }
}
