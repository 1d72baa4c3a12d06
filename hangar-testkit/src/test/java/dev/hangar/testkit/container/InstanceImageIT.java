package dev.hangar.testkit.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.List;
import org.junit.jupiter.api.Test;

class InstanceImageIT {
    @Test
    void namesAnImageOfTheRecipeThatPodmanHas() {
        assertThat(InstanceImage.reference()).matches("localhost/hangar-instance:[0-9a-f]{12}");
        assertThat(InstanceImage.withR()).isEqualTo(InstanceImage.reference() + "-r");
    }

    @Test
    void tellsHowToBuildAnImageThatIsMissing() {
        assertThatIllegalStateException()
                .isThrownBy(() -> InstanceImage.requirePresent("localhost/hangar-instance:000000000000", null,
                        List.of()))
                .withMessageContaining("Podman has no image localhost/hangar-instance:000000000000")
                .withMessageContaining("Build it (2 to 3 minutes, as root) with: /")
                .withMessageContaining("images/instance/build.sh   (bin/test");
        assertThatIllegalStateException()
                .isThrownBy(() -> InstanceImage.requirePresent("localhost/hangar-instance:000000000000-r",
                        InstanceImage.R_VARIABLE, List.of("--with-r")))
                .withMessageContaining("(named by HANGAR_TEST_INSTANCE_IMAGE_R)")
                .withMessageContaining("images/instance/build.sh --with-r");
    }
}
