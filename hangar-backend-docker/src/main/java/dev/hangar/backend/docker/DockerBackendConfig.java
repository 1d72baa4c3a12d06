package dev.hangar.backend.docker;

import dev.hangar.core.spi.BackendException;
import dev.hangar.core.spi.BackendSettings;
import dev.hangar.core.spi.ComputeBackendProvider.Environment;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the container backend: {@code backend.docker.<key>} in the configuration file, or
 * {@code HANGAR_BACKEND_DOCKER_<KEY>} in the environment. Durations are ISO-8601 ({@code PT60S}).
 *
 * @param host the engine's API address (key {@value #HOST}): {@code unix:///run/podman/podman.sock},
 *     {@code unix:///var/run/docker.sock} or {@code tcp://127.0.0.1:2375}; by default {@code DOCKER_HOST}, else
 *     Docker's socket
 * @param image the instance image (key {@value #IMAGE}), built by {@code images/instance/build.sh}
 * @param installId Hangar's install id, put on every container and volume so two Hangars never take each other's
 * @param readyTimeout how long provision and start wait for Jupyter to answer (key {@value #READY_TIMEOUT})
 * @param stopGrace how long stop waits after SIGTERM before the engine kills (key {@value #STOP_GRACE})
 * @param openFiles the containers' open-file limit, soft and hard (key {@value #OPEN_FILES})
 * @param processes the containers' per-user process limit, soft and hard (key {@value #PROCESSES}); also their pids
 *     limit
 */
public record DockerBackendConfig(URI host, String image, String installId, Duration readyTimeout, Duration stopGrace,
                                  long openFiles, long processes) {
    public static final String HOST = "host";
    public static final String IMAGE = "image";
    public static final String READY_TIMEOUT = "ready-timeout";
    public static final String STOP_GRACE = "stop-grace";
    public static final String OPEN_FILES = "open-files";
    public static final String PROCESSES = "processes";

    public static final URI DOCKER_SOCKET = URI.create("unix:///var/run/docker.sock");
    public static final String DEFAULT_IMAGE = "localhost/hangar-instance:latest";
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);
    /**
     * Both limits are always set: an engine applies per-container ulimits instead of its defaults, not on top of
     * them, and a runtime without CAP_SYS_RESOURCE refuses any default above its own hard limit.
     */
    public static final long DEFAULT_OPEN_FILES = 4096;
    public static final long DEFAULT_PROCESSES = 4096;

    private static final long MINIMUM_LIMIT = 64;
    private static final Set<String> KEYS = Set.of(HOST, IMAGE, READY_TIMEOUT, STOP_GRACE, OPEN_FILES, PROCESSES);

    public DockerBackendConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(installId, "installId");
        if (!Set.of("unix", "tcp", "npipe").contains(String.valueOf(host.getScheme()))) {
            throw new IllegalArgumentException(HOST + " must be a unix://, tcp:// or npipe:// address, not '" + host
                    + "'");
        }
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException(IMAGE + " must name an image");
        }
        Objects.requireNonNull(readyTimeout, READY_TIMEOUT);
        Objects.requireNonNull(stopGrace, STOP_GRACE);
        if (openFiles < MINIMUM_LIMIT || processes < MINIMUM_LIMIT) {
            throw new IllegalArgumentException(OPEN_FILES + " and " + PROCESSES + " must be at least " + MINIMUM_LIMIT);
        }
    }

    /**
     * Reads the backend's settings. Unknown keys are refused so that a misspelt setting is not silently ignored.
     *
     * @throws BackendException {@code InvalidDockerBackendSetting} naming the key and what it accepts
     */
    public static DockerBackendConfig from(Environment environment) {
        return from(environment, System.getenv("DOCKER_HOST"));
    }

    static DockerBackendConfig from(Environment environment, String dockerHostVariable) {
        var settings = new BackendSettings("docker", "InvalidDockerBackendSetting", environment.settings(), KEYS);
        var fallbackHost = dockerHostVariable == null || dockerHostVariable.isBlank() ? DOCKER_SOCKET.toString()
                : dockerHostVariable;
        try {
            return new DockerBackendConfig(URI.create(settings.text(HOST, fallbackHost)),
                    settings.text(IMAGE, DEFAULT_IMAGE), environment.installId(),
                    settings.duration(READY_TIMEOUT, DEFAULT_READY_TIMEOUT),
                    settings.duration(STOP_GRACE, DEFAULT_STOP_GRACE),
                    settings.number(OPEN_FILES, DEFAULT_OPEN_FILES, MINIMUM_LIMIT),
                    settings.number(PROCESSES, DEFAULT_PROCESSES, MINIMUM_LIMIT));
        } catch (IllegalArgumentException e) {
            throw settings.invalid("backend.docker." + e.getMessage());
        }
    }
}
