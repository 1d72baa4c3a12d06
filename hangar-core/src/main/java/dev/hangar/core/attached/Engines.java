package dev.hangar.core.attached;

import dev.hangar.core.compute.AttachedCompute;
import dev.hangar.core.spi.engine.EngineConnection;
import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.core.spi.engine.JobEngine;
import dev.hangar.core.spi.engine.JobEngineProvider;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engines Hangar can attach (one {@link JobEngineProvider} per kind, found on the class path), and one connected
 * {@link JobEngine} per attached compute, made when first needed and kept while the compute's settings and credentials
 * stay as they were: a changed attachment gets a new one, a detached compute's is closed.
 */
public final class Engines implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engines.class);

    private final Map<String, JobEngineProvider> providers;
    private final Path dataDirectory;
    private final Map<UUID, Connected> connected = new ConcurrentHashMap<>();

    /** An engine and what it was made of: other settings or credentials need another. */
    private record Connected(Map<String, String> settings, Map<String, String> secrets, JobEngine engine) {
    }

    /** @param dataDirectory where engines may keep files of their own, a folder per attached compute */
    public Engines(Collection<JobEngineProvider> providers, Path dataDirectory) {
        var byKind = new TreeMap<String, JobEngineProvider>(String.CASE_INSENSITIVE_ORDER);
        providers.forEach(provider -> byKind.put(provider.kind(), provider));
        this.providers = byKind;
        this.dataDirectory = dataDirectory;
    }

    /** The kinds that can be attached, in the API's casing. */
    public List<String> kinds() {
        return providers.values().stream().map(JobEngineProvider::kind).sorted().toList();
    }

    /** Azure's {@code jobType}s a kind runs ({@link JobEngineProvider#jobTypes()}); none for a kind not here. */
    public java.util.Set<String> jobTypes(String kind) {
        var provider = providers.get(kind);
        return provider == null ? java.util.Set.of() : provider.jobTypes();
    }

    /** The API's casing of a kind given in any case, if an engine of it is here. */
    public Optional<String> kind(String given) {
        return Optional.ofNullable(given).map(String::strip).map(providers::get).map(JobEngineProvider::kind);
    }

    /**
     * A new engine for settings not recorded yet (an attach checks it before anything is recorded); the caller
     * closes it. Throws {@link EngineException} when the settings are wrong.
     */
    public JobEngine connect(UUID computeId, String kind, String name, Map<String, String> settings,
                             Map<String, String> secrets) {
        return provider(kind).connect(connection(computeId, name, settings, secrets));
    }

    /**
     * The outside resource these settings reach, as its engine names it ({@link JobEngineProvider#resource}), without
     * reaching it. Throws {@link EngineException} when the settings are wrong.
     */
    public String resource(UUID computeId, String kind, String name, Map<String, String> settings,
                           Map<String, String> secrets) {
        return provider(kind).resource(connection(computeId, name, settings, secrets));
    }

    private JobEngineProvider provider(String kind) {
        var provider = providers.get(kind);
        if (provider == null) {
            throw EngineException.fatal("UnsupportedComputeType", "No engine of kind '" + kind + "' is here; kinds: "
                    + kinds() + ".");
        }
        return provider;
    }

    private EngineConnection connection(UUID computeId, String name, Map<String, String> settings,
                                        Map<String, String> secrets) {
        return new EngineConnection(name, settings, secrets, dataDirectory.resolve(computeId.toString()));
    }

    /** The engine of an attached compute as recorded now. */
    public JobEngine of(AttachedCompute compute) {
        return connected.compute(compute.id(), (id, current) -> {
            if (current != null && current.settings().equals(compute.settings())
                    && current.secrets().equals(compute.secrets())) {
                return current;
            }
            if (current != null) {
                closeQuietly(current.engine());
            }
            return new Connected(compute.settings(), compute.secrets(), connect(compute.id(), compute.kind(),
                    compute.name(), compute.settings(), compute.secrets()));
        }).engine();
    }

    /** Closes the engine of a compute that was detached. */
    public void forget(UUID computeId) {
        var previous = connected.remove(computeId);
        if (previous != null) {
            closeQuietly(previous.engine());
        }
    }

    @Override
    public void close() {
        connected.values().forEach(held -> closeQuietly(held.engine()));
        connected.clear();
    }

    private static void closeQuietly(JobEngine engine) {
        try {
            engine.close();
        } catch (RuntimeException e) {
            LOG.warn("Closing an engine failed", e);
        }
    }
}
