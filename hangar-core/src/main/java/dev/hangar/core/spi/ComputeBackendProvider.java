package dev.hangar.core.spi;

import java.nio.file.Path;
import java.util.Map;

/**
 * Discovers a backend by its configuration name through {@link java.util.ServiceLoader}. A provider probes whether
 * its backend can run here and, when it cannot, fails with one message naming everything it tried and how to fix it.
 */
public interface ComputeBackendProvider {

    /** The configuration name, e.g. {@code local}. */
    String name();

    /**
     * Creates the backend. Throws {@link BackendException} with an actionable message when it cannot run here.
     */
    ComputeBackend create(Environment environment);

    /**
     * What a backend is given: the data directory it may keep state under, Hangar's install id (to tag what it
     * creates), and its own settings ({@code backend.<name>.*} keys without the prefix).
     */
    record Environment(Path dataDirectory, String installId, Map<String, String> settings) {
        public Environment {
            settings = Map.copyOf(settings);
        }
    }
}
