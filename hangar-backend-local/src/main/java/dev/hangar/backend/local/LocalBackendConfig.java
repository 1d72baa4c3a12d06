package dev.hangar.backend.local;

import dev.hangar.core.spi.BackendException;
import dev.hangar.core.spi.BackendSettings;
import dev.hangar.core.spi.ComputeBackendProvider.Environment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the local backend: {@code backend.local.<key>} in the configuration file, or
 * {@code HANGAR_BACKEND_LOCAL_<KEY>} in the environment. Durations are ISO-8601 ({@code PT60S}).
 *
 * @param instancesDirectory where instance directories live, {@code <dataDirectory>/instances}
 * @param jupyterCommand the {@code jupyter} launcher (key {@value #JUPYTER})
 * @param readyTimeout how long provision and start wait for an app to answer (key {@value #READY_TIMEOUT})
 * @param stopGrace how long stop waits after SIGTERM before it sends SIGKILL (key {@value #STOP_GRACE})
 */
public record LocalBackendConfig(Path instancesDirectory, Path jupyterCommand, Duration readyTimeout,
                                 Duration stopGrace) {
    public static final String JUPYTER = "jupyter";
    public static final String READY_TIMEOUT = "ready-timeout";
    public static final String STOP_GRACE = "stop-grace";
    public static final Path DEFAULT_JUPYTER = Path.of("/usr/bin/jupyter");
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);

    private static final Set<String> KEYS = Set.of(JUPYTER, READY_TIMEOUT, STOP_GRACE);

    public LocalBackendConfig {
        Objects.requireNonNull(instancesDirectory, "instancesDirectory");
        if (!jupyterCommand.isAbsolute()) {
            throw new IllegalArgumentException(JUPYTER + " must be an absolute path, not '" + jupyterCommand + "'");
        }
        requirePositive(READY_TIMEOUT, readyTimeout);
        requirePositive(STOP_GRACE, stopGrace);
    }

    /** The defaults, for instances under {@code dataDirectory}. */
    public static LocalBackendConfig defaults(Path dataDirectory) {
        return new LocalBackendConfig(dataDirectory.resolve("instances"), DEFAULT_JUPYTER, DEFAULT_READY_TIMEOUT,
                DEFAULT_STOP_GRACE);
    }

    /**
     * Reads the backend's settings. Unknown keys are refused so that a misspelt setting is not silently ignored.
     *
     * @throws BackendException {@code InvalidLocalBackendSetting} naming the key and what it accepts
     */
    public static LocalBackendConfig from(Environment environment) {
        var settings = new BackendSettings("local", "InvalidLocalBackendSetting", environment.settings(), KEYS);
        try {
            return new LocalBackendConfig(environment.dataDirectory().resolve("instances"),
                    Path.of(settings.text(JUPYTER, DEFAULT_JUPYTER.toString())),
                    settings.duration(READY_TIMEOUT, DEFAULT_READY_TIMEOUT),
                    settings.duration(STOP_GRACE, DEFAULT_STOP_GRACE));
        } catch (IllegalArgumentException e) {
            throw settings.invalid("backend.local." + e.getMessage());
        }
    }

    private static void requirePositive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be a positive duration, not " + value);
        }
    }
}
