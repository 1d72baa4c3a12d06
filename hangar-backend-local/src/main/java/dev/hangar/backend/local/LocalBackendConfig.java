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
 * @param setupScriptsAsRoot whether setup scripts run as root rather than as the instance's account, when Hangar runs
 *     as root (key {@value #SETUP_SCRIPTS_AS_ROOT})
 * @param sharedAccount whether instances of several users may run, when Hangar does not run as root and every
 *     instance therefore shares its account (key {@value #SHARED_ACCOUNT})
 */
public record LocalBackendConfig(Path instancesDirectory, Path jupyterCommand, Duration readyTimeout,
                                 Duration stopGrace, boolean setupScriptsAsRoot, boolean sharedAccount) {
    public static final String JUPYTER = "jupyter";
    public static final String READY_TIMEOUT = "ready-timeout";
    public static final String STOP_GRACE = "stop-grace";
    public static final String SETUP_SCRIPTS_AS_ROOT = "setup-scripts-as-root";
    public static final String SHARED_ACCOUNT = "shared-account";
    public static final Path DEFAULT_JUPYTER = Path.of("/usr/bin/jupyter");
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);

    private static final Set<String> KEYS = Set.of(JUPYTER, READY_TIMEOUT, STOP_GRACE, SETUP_SCRIPTS_AS_ROOT,
            SHARED_ACCOUNT);

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
                DEFAULT_STOP_GRACE, false, false);
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
                    settings.duration(STOP_GRACE, DEFAULT_STOP_GRACE),
                    settings.flag(SETUP_SCRIPTS_AS_ROOT, false), settings.flag(SHARED_ACCOUNT, false));
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
