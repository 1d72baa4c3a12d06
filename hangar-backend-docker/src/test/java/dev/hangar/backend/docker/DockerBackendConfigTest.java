package dev.hangar.backend.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hangar.core.spi.BackendException;
import dev.hangar.core.spi.ComputeBackendProvider.Environment;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerBackendConfigTest {
    private static Environment with(Map<String, String> settings) {
        return new Environment(Path.of("/data/backends/docker"), "install-1", settings);
    }

    @Test
    void defaultsTalkToDockersSocketWithTheBuiltImage() {
        var config = DockerBackendConfig.from(with(Map.of()), null);

        assertThat(config.host()).isEqualTo(DockerBackendConfig.DOCKER_SOCKET);
        assertThat(config.image()).isEqualTo(DockerBackendConfig.DEFAULT_IMAGE);
        assertThat(config.installId()).isEqualTo("install-1");
        assertThat(config.readyTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.openFiles()).isEqualTo(4096);
        assertThat(config.processes()).isEqualTo(4096);
    }

    @Test
    void dockerHostVariableIsTheDefaultAndTheSettingWins() {
        assertThat(DockerBackendConfig.from(with(Map.of()), "unix:///run/podman/podman.sock").host())
                .isEqualTo(URI.create("unix:///run/podman/podman.sock"));
        assertThat(DockerBackendConfig.from(with(Map.of("host", "tcp://127.0.0.1:2375")), "unix:///x.sock").host())
                .isEqualTo(URI.create("tcp://127.0.0.1:2375"));
    }

    @Test
    void everySettingIsRead() {
        var config = DockerBackendConfig.from(with(Map.of("image", "localhost/mine:1", "ready-timeout", "PT2M",
                "stop-grace", "PT3S", "open-files", "2048", "processes", "1024")), null);

        assertThat(config.image()).isEqualTo("localhost/mine:1");
        assertThat(config.readyTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.stopGrace()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.openFiles()).isEqualTo(2048);
        assertThat(config.processes()).isEqualTo(1024);
    }

    @Test
    void badSettingsAreRefusedByName() {
        for (var bad : Map.of("imgae", "x", "host", "http://127.0.0.1:2375", "ready-timeout", "60",
                "open-files", "many", "processes", "10").entrySet()) {
            var failure = catchThrowableOfType(BackendException.class,
                    () -> DockerBackendConfig.from(with(Map.of(bad.getKey(), bad.getValue())), null));

            assertThat(failure.code()).as(bad.toString()).isEqualTo("InvalidDockerBackendSetting");
            assertThat(failure.getMessage()).as(bad.toString()).contains(bad.getKey());
        }
    }

    @Test
    void apiVersionsCompareNumerically() {
        assertThat(DockerBackendProvider.compareVersions("1.41", "1.41")).isZero();
        assertThat(DockerBackendProvider.compareVersions("1.40", "1.41")).isNegative();
        assertThat(DockerBackendProvider.compareVersions("1.100", "1.41")).isPositive();
        assertThat(DockerBackendProvider.compareVersions("2", "1.41")).isPositive();
    }
}
