package dev.hangar.backend.local;

import dev.hangar.core.spi.BackendException;
import dev.hangar.core.spi.ComputeBackend;
import dev.hangar.core.spi.ComputeBackendProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

/**
 * Provides {@link LocalBackend} under the name {@code local}. It runs on Linux with {@code /proc} and
 * {@code /usr/bin/setsid} and a writable data directory; a missing Jupyter does not stop it (instances then run with
 * Jupyter reported unavailable, with the command that installs it).
 */
public final class LocalBackendProvider implements ComputeBackendProvider {

    @Override
    public String name() {
        return LocalBackend.NAME;
    }

    /**
     * @throws BackendException {@code InvalidLocalBackendSetting} for a bad setting; {@code LocalBackendUnavailable}
     *     naming everything this host lacks
     */
    @Override
    public ComputeBackend create(Environment environment) {
        var config = LocalBackendConfig.from(environment);
        var missing = new ArrayList<String>();
        if (!Files.isReadable(Path.of("/proc/self/stat"))) {
            missing.add("/proc (the local backend runs on Linux only)");
        }
        if (!Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            missing.add("/usr/bin/setsid (apt-get install -y util-linux)");
        }
        try {
            Files.createDirectories(config.instancesDirectory());
        } catch (IOException e) {
            missing.add("a writable " + config.instancesDirectory() + " (" + e + ")");
        }
        if (!missing.isEmpty()) {
            throw BackendException.fatal("LocalBackendUnavailable",
                    "The local backend cannot run on this host; it lacks " + String.join(", ", missing));
        }
        return new LocalBackend(config);
    }
}
