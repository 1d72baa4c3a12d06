package dev.hangar.backend.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.hangar.core.spi.BackendException;
import dev.hangar.core.spi.ComputeBackend;
import dev.hangar.core.spi.ComputeBackendProvider;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * Provides {@link DockerBackend} under the name {@code docker}. Its probe connects to the engine and says exactly what
 * is missing: an engine that does not answer (and how to start one), an API older than Hangar needs, an instance image
 * the engine does not have (and how to build it).
 */
public final class DockerBackendProvider implements ComputeBackendProvider {
    /** The oldest Engine API Hangar drives: Docker 20.10 and Podman 4 speak 1.41. */
    static final String MINIMUM_API_VERSION = "1.41";

    @Override
    public String name() {
        return DockerBackend.NAME;
    }

    /**
     * @throws BackendException {@code InvalidDockerBackendSetting} for a bad setting; {@code DockerBackendUnavailable}
     *     saying what the engine lacks and how to fix it
     */
    @Override
    public ComputeBackend create(Environment environment) {
        var config = DockerBackendConfig.from(environment);
        var docker = connect(config);
        try {
            var capacity = probe(docker, config);
            return new DockerBackend(docker, config, capacity);
        } catch (RuntimeException e) {
            closeQuietly(docker);
            throw e;
        }
    }

    static DockerClient connect(DockerBackendConfig config) {
        return connect(config.host());
    }

    /** A client of the engine at {@code host}, as the backend makes it (also what {@code bin/bench} uses). */
    public static DockerClient connect(URI host) {
        var clientConfig = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host.toString()).build();
        var http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(clientConfig.getDockerHost())
                .sslConfig(clientConfig.getSSLConfig())
                .maxConnections(64)
                .connectionTimeout(Duration.ofSeconds(5))
                // A stop waits up to its grace; logs and pulls may take longer still.
                .responseTimeout(Duration.ofMinutes(5))
                .build();
        return DockerClientImpl.getInstance(clientConfig, http);
    }

    private static EngineCapacity probe(DockerClient docker, DockerBackendConfig config) {
        try {
            docker.pingCmd().exec();
        } catch (RuntimeException e) {
            throw unavailable("the engine at " + config.host() + " does not answer ("
                    + EngineErrors.translate(e, config.host(), config.image()).getMessage() + ")");
        }
        var version = docker.versionCmd().exec();
        if (compareVersions(version.getApiVersion(), MINIMUM_API_VERSION) < 0) {
            throw unavailable("the engine at " + config.host() + " speaks Engine API " + version.getApiVersion()
                    + "; Hangar needs " + MINIMUM_API_VERSION + " or newer (Docker 20.10+, Podman 4+)");
        }
        try {
            docker.inspectImageCmd(config.image()).exec();
        } catch (NotFoundException e) {
            throw unavailable("the engine at " + config.host() + " has no image " + config.image()
                    + "; build it with images/instance/build.sh (or set backend.docker.image)");
        }
        var info = docker.infoCmd().exec();
        var cpus = info.getNCPU() == null ? Runtime.getRuntime().availableProcessors() : info.getNCPU();
        var memory = info.getMemTotal() == null ? Long.MAX_VALUE : info.getMemTotal();
        return new EngineCapacity(cpus, memory);
    }

    static int compareVersions(String left, String right) {
        var a = String.valueOf(left).split("\\.");
        var b = right.split("\\.");
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            var x = i < a.length ? parse(a[i]) : 0;
            var y = i < b.length ? parse(b[i]) : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }

    private static int parse(String part) {
        try {
            return Integer.parseInt(part.replaceAll("\\D.*$", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static BackendException unavailable(String why) {
        return BackendException.fatal("DockerBackendUnavailable", "The docker backend cannot run: " + why + ".");
    }

    private static void closeQuietly(DockerClient docker) {
        try {
            docker.close();
        } catch (IOException ignored) {
            // Nothing more to release.
        }
    }
}
