package dev.hangar.core.reconcile;

import dev.hangar.core.spi.ComputeBackend;
import java.util.Collection;
import java.util.Map;

/** The backends this server runs, by configuration name; one is the default for new computes. */
public record Backends(Map<String, ComputeBackend> byName, String defaultName) implements AutoCloseable {

    public Backends {
        byName = Map.copyOf(byName);
        if (!byName.containsKey(defaultName)) {
            throw new IllegalArgumentException("The default backend '" + defaultName + "' is not loaded");
        }
    }

    public static Backends of(ComputeBackend only) {
        return new Backends(Map.of(only.name(), only), only.name());
    }

    public ComputeBackend get(String name) {
        var backend = byName.get(name == null ? defaultName : name);
        if (backend == null) {
            throw new IllegalStateException("Backend '" + name + "' is not configured on this server");
        }
        return backend;
    }

    public Collection<ComputeBackend> all() {
        return byName.values();
    }

    @Override
    public void close() {
        byName.values().forEach(ComputeBackend::close);
    }
}
