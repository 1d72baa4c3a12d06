package dev.hangar.backend.slurm;

import dev.hangar.core.spi.engine.EngineConnection;
import dev.hangar.core.spi.engine.JobEngine;
import dev.hangar.core.spi.engine.JobEngineProvider;
import dev.hangar.ssh.client.SshShell;

/**
 * Provides {@link SlurmEngine} for attached computes of kind {@value #KIND}.
 *
 * <p>Settings: {@code connection} ({@code Local}; {@code Ssh}, the default when an address is given; or {@code Rest},
 * the default when a restUrl is given), {@code address}, {@code sshPort} (22), {@code username} and {@code hostKey}
 * (for Ssh), {@code restUrl} and {@code restUser} (for Rest), {@code slurmConf}, {@code partition} (the cluster's
 * default) and {@code workDirectory} ({@code ~/.hangar/jobs}). Secrets: {@code privateKeyData}, {@code passphrase},
 * {@code password} (for Ssh), {@code restToken} (for Rest). With Rest, the job folders are on Hangar's own host, on a
 * filesystem the nodes share (see {@link SlurmEngine}).
 */
public final class SlurmEngineProvider implements JobEngineProvider {
    public static final String KIND = "Slurm";

    @Override
    public String kind() {
        return KIND;
    }

    /**
     * Checks the settings (and reads the SSH keys) without reaching the cluster.
     *
     * @throws dev.hangar.core.spi.engine.EngineException {@code InvalidSlurmSetting} naming the setting that is wrong
     */
    @Override
    public JobEngine connect(EngineConnection connection) {
        var settings = SlurmSettings.from(connection);
        var shell = switch (settings.connection()) {
            case Local, Rest -> new LocalShell();
            case Ssh -> SshShell.of(settings.ssh(), SlurmFailures.SSH);
        };
        return new SlurmEngine(settings, shell);
    }

    /** See {@link SlurmSettings#resource()}. */
    @Override
    public String resource(EngineConnection connection) {
        return SlurmSettings.from(connection).resource();
    }
}
