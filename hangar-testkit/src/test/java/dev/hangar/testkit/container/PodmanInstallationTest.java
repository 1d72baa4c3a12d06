package dev.hangar.testkit.container;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodmanInstallationTest {
    @Test
    void namesWhatIsMissingAndTheLineThatInstallsIt() {
        var nowhere = new LinkedHashMap<String, List<String>>();
        PodmanInstallation.PROGRAMS.keySet().forEach(program -> nowhere.put(program, List.of("/nonexistent/" + program)));

        assertThatIllegalStateException()
                .isThrownBy(() -> PodmanInstallation.podman("/nonexistent/bin", nowhere))
                .withMessageContaining("podman, runc, catatonit, netavark, iptables are not installed")
                .withMessageContaining("Install with: apt-get install -y --no-install-recommends"
                        + " podman runc catatonit netavark aardvark-dns iptables");
    }
}
