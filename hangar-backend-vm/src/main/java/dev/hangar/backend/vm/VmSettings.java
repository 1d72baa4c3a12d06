package dev.hangar.backend.vm;

import dev.hangar.core.spi.engine.EngineConnection;
import dev.hangar.core.spi.engine.EngineException;
import dev.hangar.ssh.client.SshSettings;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A virtual machine attachment's settings, in Azure's {@code VirtualMachine} terms, checked once when the engine is
 * made so that a wrong one fails with its name: {@code address}, {@code sshPort} (22), {@code username} (of
 * {@code administratorAccount}), {@code virtualMachineSize} (a label, shown back), {@code hostKey} (Hangar's: the
 * pinned host key); secrets {@code password} or {@code privateKeyData}, and {@code passphrase} for an encrypted key.
 * What {@link VmFacts} learned at attach ({@link VmFacts#KEYS}) is kept with the settings and accepted back, but never
 * read: each check probes the machine again.
 *
 * @param ssh                how the machine is reached
 * @param virtualMachineSize the size the caller named, or null
 */
record VmSettings(SshSettings ssh, String virtualMachineSize) {
    static final String ERROR_CODE = "InvalidVirtualMachineSetting";
    static final String VIRTUAL_MACHINE_SIZE = "virtualMachineSize";
    private static final Set<String> KEYS = Set.of(SshSettings.ADDRESS, SshSettings.SSH_PORT, SshSettings.USERNAME,
            SshSettings.HOST_KEY, VIRTUAL_MACHINE_SIZE);
    private static final Set<String> SECRETS = Set.of(SshSettings.PASSWORD, SshSettings.PRIVATE_KEY_DATA,
            SshSettings.PASSPHRASE);

    /**
     * Reads and checks an attachment's settings and secrets; unknown keys are refused so that a misspelt setting is
     * never silently ignored.
     *
     * @throws EngineException {@value #ERROR_CODE} (not retryable) naming the setting and what it accepts
     */
    static VmSettings from(EngineConnection attachment) {
        var settings = attachment.settings();
        var secrets = attachment.secrets();
        refuseUnknown("setting", settings.keySet(), KEYS, VmFacts.KEYS);
        refuseUnknown("secret", secrets.keySet(), SECRETS, Set.of());
        var address = required(settings, SshSettings.ADDRESS, "the machine's host name or IP address (Hangar does"
                + " not look up an Azure resource id)");
        var username = required(settings, SshSettings.USERNAME, "administratorAccount.username");
        var password = text(secrets, SshSettings.PASSWORD);
        var privateKey = text(secrets, SshSettings.PRIVATE_KEY_DATA);
        var ssh = SshSettings.checked(address, text(settings, SshSettings.SSH_PORT), username,
                text(settings, SshSettings.HOST_KEY), privateKey, secrets.get(SshSettings.PASSPHRASE), password,
                ERROR_CODE);
        if (password == null && privateKey == null) {
            throw invalid("administratorAccount needs a password or privateKeyData");
        }
        if (privateKey == null && text(secrets, SshSettings.PASSPHRASE) != null) {
            throw invalid("passphrase applies only with privateKeyData, the key it opens");
        }
        return new VmSettings(ssh, text(settings, VIRTUAL_MACHINE_SIZE));
    }

    /** The machine's SSH server, {@code ssh://host:port}: another account of it is still the same machine. */
    String resource() {
        return ssh.resource();
    }

    static EngineException invalid(String message) {
        return EngineException.fatal(ERROR_CODE, message);
    }

    private static void refuseUnknown(String kind, Set<String> given, Set<String> known, Set<String> learned) {
        var unknown = new TreeSet<>(given);
        unknown.removeAll(known);
        unknown.removeAll(learned);
        if (!unknown.isEmpty()) {
            throw invalid("Unknown VirtualMachine " + kind + "(s) " + unknown + "; known: " + new TreeSet<>(known));
        }
    }

    private static String required(Map<String, String> settings, String key, String what) {
        var value = text(settings, key);
        if (value == null) {
            throw invalid(key + " is required: " + what);
        }
        return value;
    }

    private static String text(Map<String, String> settings, String key) {
        var value = settings.get(key);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
