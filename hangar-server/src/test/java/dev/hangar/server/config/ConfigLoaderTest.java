package dev.hangar.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hangar.core.custom.PrivilegedRequests;
import dev.hangar.core.job.local.LocalRunSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path data;

    @Test
    void theDataDirectoryFollowsTheHomeTheShellHasNotThePasswordDatabase() {
        assertThat(ConfigLoader.defaultDataDirectory(Map.of("HOME", "/tmp/fresh-home")))
                .isEqualTo(Path.of("/tmp/fresh-home/.local/share/hangar"));
        assertThat(ConfigLoader.defaultDataDirectory(Map.of("HOME", "/tmp/fresh-home", "XDG_DATA_HOME", "/srv/data")))
                .isEqualTo(Path.of("/srv/data/hangar"));
        assertThat(ConfigLoader.defaultDataDirectory(Map.of("XDG_DATA_HOME", "relative")))
                .isEqualTo(Path.of(System.getProperty("user.home"), ".local", "share", "hangar"));
        assertThat(new ConfigLoader(Map.of("HOME", "/tmp/fresh-home")).load(null).dataDirectory())
                .isEqualTo(Path.of("/tmp/fresh-home/.local/share/hangar"));
    }

    @Test
    void withoutAKeyFileTheDataDirectoryKeepsTheKey() {
        var config = new ConfigLoader(Map.of("HANGAR_DATA_DIRECTORY", data.toString())).load(null);
        assertThat(config.secrets().keyFile()).isNull();
        assertThat(config.secrets().previousKeyFiles()).isEmpty();
    }

    @Test
    void theOperatorsKeyAndTheKeysItReplacesComeFromTheFileOrTheEnvironment() throws Exception {
        var file = data.resolve("hangar.properties");
        Files.writeString(file, "secrets.key-file=/run/secrets/hangar.key\n"
                + "secrets.previous-key-files=/etc/hangar/old-1.key, /etc/hangar/old-2.key\n");
        var fromFile = new ConfigLoader(Map.of("HANGAR_DATA_DIRECTORY", data.toString())).load(null);
        assertThat(fromFile.secrets().keyFile()).isEqualTo(Path.of("/run/secrets/hangar.key"));
        assertThat(fromFile.secrets().previousKeyFiles()).containsExactly(Path.of("/etc/hangar/old-1.key"),
                Path.of("/etc/hangar/old-2.key"));

        var fromEnvironment = new ConfigLoader(Map.of("HANGAR_DATA_DIRECTORY", data.toString(),
                "HANGAR_SECRETS_KEY_FILE", "/other.key")).load(null);
        assertThat(fromEnvironment.secrets().keyFile()).isEqualTo(Path.of("/other.key"));
    }

    @Test
    void privilegedCustomServicesAreRefusedUnlessTheOperatorLetsThemRunUnprivileged() {
        var defaults = new ConfigLoader(Map.of("HANGAR_DATA_DIRECTORY", data.toString())).load(null);
        assertThat(defaults.privilegedCustomServices()).isEqualTo(PrivilegedRequests.REFUSE);
        var set = new ConfigLoader(Map.of("HANGAR_DATA_DIRECTORY", data.toString(),
                "HANGAR_CUSTOM_SERVICES_PRIVILEGED", "Unprivileged")).load(null);
        assertThat(set.privilegedCustomServices()).isEqualTo(PrivilegedRequests.RUN_UNPRIVILEGED);
        assertThatThrownBy(() -> new ConfigLoader(Map.of("HANGAR_DATA_DIRECTORY", data.toString(),
                "HANGAR_CUSTOM_SERVICES_PRIVILEGED", "allow")).load(null))
                .hasMessageContaining("custom-services.privileged must be refuse or unprivileged, not 'allow'");
    }

    @Test
    void theServersTimeoutsHaveDefaultsAndComeFromTheEnvironment() {
        var defaults = new ConfigLoader(Map.of("HANGAR_DATA_DIRECTORY", data.toString())).load(null);
        assertThat(defaults.timeouts().idle()).isEqualTo(ServerConfig.Timeouts.DEFAULT_IDLE);
        assertThat(defaults.timeouts().request()).isEqualTo(ServerConfig.Timeouts.DEFAULT_REQUEST);
        var set = new ConfigLoader(Map.of("HANGAR_DATA_DIRECTORY", data.toString(), "HANGAR_SERVER_IDLE_TIMEOUT",
                "PT2M", "HANGAR_SERVER_REQUEST_TIMEOUT", "PT20S")).load(null);
        assertThat(set.timeouts().idle()).isEqualTo(Duration.ofMinutes(2));
        assertThat(set.timeouts().request()).isEqualTo(Duration.ofSeconds(20));
        assertThatThrownBy(() -> new ConfigLoader(Map.of("HANGAR_DATA_DIRECTORY", data.toString(),
                "HANGAR_SERVER_IDLE_TIMEOUT", "PT0S")).load(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("server.idle-timeout");
    }

    @Test
    void localRunsHaveAReportTimeoutThatComesFromTheEnvironment() {
        var defaults = new ConfigLoader(Map.of("HANGAR_DATA_DIRECTORY", data.toString())).load(null);
        assertThat(defaults.localRuns().reportTimeout()).isEqualTo(LocalRunSettings.DEFAULT_REPORT_TIMEOUT);
        assertThat(defaults.localRuns().checkInterval()).isEqualTo(LocalRunSettings.DEFAULT_CHECK_INTERVAL);
        var set = new ConfigLoader(Map.of("HANGAR_DATA_DIRECTORY", data.toString(),
                "HANGAR_JOBS_LOCAL_REPORT_TIMEOUT", "PT30S", "HANGAR_JOBS_LOCAL_CHECK_INTERVAL", "PT2S")).load(null);
        assertThat(set.localRuns()).isEqualTo(new LocalRunSettings(Duration.ofSeconds(30), Duration.ofSeconds(2)));
        assertThatThrownBy(() -> new ConfigLoader(Map.of("HANGAR_DATA_DIRECTORY", data.toString(),
                "HANGAR_JOBS_LOCAL_REPORT_TIMEOUT", "PT0S")).load(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jobs.local-report-timeout");
    }
}
