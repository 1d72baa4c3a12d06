package dev.hangar.backend.vm;

import dev.hangar.core.spi.engine.EngineConnection;
import dev.hangar.core.spi.engine.JobEngine;
import dev.hangar.core.spi.engine.JobEngineProvider;
import dev.hangar.ssh.client.SshShell;

/**
 * Provides {@link VirtualMachineEngine} for attached computes of kind {@value #KIND}, Azure's attached Linux machine
 * reached over SSH. Settings: {@code address}, {@code sshPort} (22), {@code username}, {@code hostKey} (pinned at
 * attach when not given), {@code virtualMachineSize}; secrets: {@code password} or {@code privateKeyData}, and
 * {@code passphrase} for an encrypted key.
 */
public final class VirtualMachineEngineProvider implements JobEngineProvider {
    public static final String KIND = "VirtualMachine";

    @Override
    public String kind() {
        return KIND;
    }

    /**
     * Checks the settings and reads the keys without reaching the machine.
     *
     * @throws dev.hangar.core.spi.engine.EngineException {@code InvalidVirtualMachineSetting} naming what is wrong
     */
    @Override
    public JobEngine connect(EngineConnection connection) {
        var settings = VmSettings.from(connection);
        return new VirtualMachineEngine(settings, new VmHost(SshShell.of(settings.ssh(), VmFailures.SSH)));
    }

    /** {@code ssh://host:port} of the machine, see {@link VmSettings#resource()}. */
    @Override
    public String resource(EngineConnection connection) {
        return VmSettings.from(connection).resource();
    }
}
