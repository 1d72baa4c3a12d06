package dev.hangar.backend.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.hangar.core.spi.BackendException;
import dev.hangar.core.spi.ComputeBackendProvider.Environment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalBackendConfigTest {
    private static final Path DATA = Path.of("/var/lib/hangar");

    @Test
    void noSettingsGiveTheDefaults() {
        var config = LocalBackendConfig.from(new Environment(DATA, "install", Map.of()));

        assertThat(config).isEqualTo(LocalBackendConfig.defaults(DATA));
        assertThat(config.instancesDirectory()).isEqualTo(DATA.resolve("instances"));
        assertThat(config.jupyterCommand()).isEqualTo(Path.of("/usr/bin/jupyter"));
        assertThat(config.readyTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.stopGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.setupScriptsAsRoot()).isFalse();
        assertThat(config.sharedAccount()).isFalse();
    }

    @Test
    void everySettingIsRead() {
        var config = LocalBackendConfig.from(new Environment(DATA, "install", Map.of("jupyter", "/opt/jupyter/bin/jupyter",
                "ready-timeout", "PT2M", "stop-grace", " PT3S ", "setup-scripts-as-root", "true",
                "shared-account", "TRUE")));

        assertThat(config).isEqualTo(new LocalBackendConfig(DATA.resolve("instances"),
                Path.of("/opt/jupyter/bin/jupyter"), Duration.ofMinutes(2), Duration.ofSeconds(3), true, true));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "readytimeout|PT1S|Unknown setting(s) [readytimeout]",
            "ready-timeout|60|ready-timeout must be an ISO-8601 duration such as PT60S, not '60'",
            "stop-grace|PT0S|stop-grace must be a positive duration",
            "jupyter|jupyter|jupyter must be an absolute path",
            "shared-account|yes|backend.local.shared-account must be true or false, not 'yes'"})
    void badSettingsAreRefusedNamingTheKey(String key, String value, String message) {
        var failure = catchThrowableOfType(BackendException.class,
                () -> LocalBackendConfig.from(new Environment(DATA, "install", Map.of(key, value))));

        assertThat(failure.code()).isEqualTo("InvalidLocalBackendSetting");
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains(message);
    }
}
