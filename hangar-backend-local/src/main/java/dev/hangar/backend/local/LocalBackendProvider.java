package dev.hangar.backend.local;

import dev.hangar.core.spi.BackendException;
import dev.hangar.core.spi.ComputeBackend;
import dev.hangar.core.spi.ComputeBackendProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides {@link LocalBackend} under the name {@code local}. It runs on Linux with {@code /proc} and
 * {@code /usr/bin/setsid} and a writable data directory, and as root also with {@code useradd}, {@code userdel} and
 * {@code setpriv}, by which each instance runs as an account of its own; a missing Jupyter does not stop it (instances then run with
 * Jupyter reported unavailable, with the command that installs it).
 */
public final class LocalBackendProvider implements ComputeBackendProvider {
    private static final Logger LOG = LoggerFactory.getLogger(LocalBackendProvider.class);

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
        if (InstanceAccounts.runsAsRoot()) {
            for (var tool : InstanceAccounts.TOOLS) {
                if (!Files.isExecutable(tool)) {
                    missing.add(tool + " (apt-get install -y " + (tool.endsWith("setpriv") ? "util-linux" : "passwd")
                            + ")");
                }
            }
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
        var accounts = InstanceAccounts.forThisProcess();
        if (accounts.separate()) {
            // Passable to reach one's own folder, but no account lists which instances there are.
            try {
                Files.setPosixFilePermissions(config.instancesDirectory(),
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
            } catch (IOException e) {
                throw BackendException.fatal("LocalBackendUnavailable", "Cannot set the mode of "
                        + config.instancesDirectory() + ": " + e);
            }
            var opened = SearchPath.open(config.instancesDirectory());
            if (!opened.isEmpty()) {
                LOG.info("The instances' accounts may now pass through (search, not list) {}, to reach their homes",
                        opened);
            }
        } else {
            LOG.warn("Hangar does not run as root: every instance of the local backend runs as Hangar's own account"
                    + " ({}), so each can read the others' files and Hangar's; instances of only one user run unless"
                    + " backend.local.{} is true", System.getProperty("user.name"), LocalBackendConfig.SHARED_ACCOUNT);
        }
        return new LocalBackend(config, accounts);
    }
}
