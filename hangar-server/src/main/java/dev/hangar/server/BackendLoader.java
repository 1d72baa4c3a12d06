package dev.hangar.server;

import dev.hangar.core.reconcile.Backends;
import dev.hangar.core.spi.ComputeBackendProvider;
import dev.hangar.server.config.ServerConfig;
import dev.hangar.server.metrics.MeteredBackend;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Finds the configured backend among those on the class path ({@link ServiceLoader}) and starts it, its calls timed
 * ({@link MeteredBackend}).
 */
final class BackendLoader {
    private BackendLoader() {
    }

    static Backends load(ServerConfig config, Path data, MeterRegistry registry) {
        var providers = ServiceLoader.load(ComputeBackendProvider.class).stream().map(ServiceLoader.Provider::get)
                .collect(Collectors.toMap(ComputeBackendProvider::name, provider -> provider));
        var wanted = config.defaultBackend();
        var provider = providers.get(wanted);
        if (provider == null) {
            throw new IllegalArgumentException("backend.default is '" + wanted + "', but the backends on this server"
                    + " are: " + String.join(", ", providers.keySet()));
        }
        var settings = config.backendSettings().getOrDefault(wanted, Map.of());
        var backend = provider.create(new ComputeBackendProvider.Environment(data.resolve("backends").resolve(wanted),
                installId(data), settings));
        return Backends.of(new MeteredBackend(backend, registry));
    }

    /** A stable id of this installation, tagged on what backends create so two Hangars never adopt each other's. */
    private static String installId(Path data) {
        var file = data.resolve("install-id");
        try {
            if (java.nio.file.Files.exists(file)) {
                return java.nio.file.Files.readString(file).strip();
            }
            var id = UUID.randomUUID().toString();
            java.nio.file.Files.writeString(file, id);
            return id;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot read or write " + file + ": " + e, e);
        }
    }
}
