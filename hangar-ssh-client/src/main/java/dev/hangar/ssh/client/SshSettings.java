package dev.hangar.ssh.client;

import dev.hangar.core.spi.engine.EngineException;
import java.util.regex.Pattern;

/**
 * How a host is reached over SSH. The secrets never show in {@link #toString()}.
 *
 * @param hostKey        the pinned host key as {@code <type> <base64>}, or null to trust the first key shown
 * @param privateKeyData an OpenSSH or PEM private key, or null
 * @param passphrase     the private key's passphrase, or null
 * @param password       the account's password, or null
 */
public record SshSettings(String address, int port, String username, String hostKey, String privateKeyData,
                          String passphrase, String password) {
    /** The names of the settings and secrets, as the API and the messages name them. */
    public static final String HOST_KEY = "hostKey";
    public static final String PRIVATE_KEY_DATA = "privateKeyData";
    public static final String PASSPHRASE = "passphrase";
    public static final String PASSWORD = "password";
    public static final String ADDRESS = "address";
    public static final String SSH_PORT = "sshPort";
    public static final String USERNAME = "username";
    public static final int DEFAULT_PORT = 22;
    // A leading '-' would turn a host or user name into an option of whatever reads it.
    private static final Pattern ADDRESS_PATTERN = Pattern.compile("[A-Za-z0-9_.:\\[\\]%][A-Za-z0-9_.:\\[\\]%-]*");
    private static final Pattern USER_PATTERN = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.@-]*");

    /**
     * Checks the address, port and user name as the settings give them (the port as text, 22 when null) and makes
     * the settings of them; the host key and the private key are read when the shell is made.
     *
     * @throws EngineException {@code invalidSetting} naming the setting that is wrong and what it accepts
     */
    public static SshSettings checked(String address, String port, String username, String hostKey,
                                      String privateKeyData, String passphrase, String password,
                                      String invalidSetting) {
        if (!ADDRESS_PATTERN.matcher(address).matches()) {
            throw EngineException.fatal(invalidSetting, ADDRESS + " must be a host name or an IP address, not '"
                    + address + "'");
        }
        if (!USER_PATTERN.matcher(username).matches()) {
            throw EngineException.fatal(invalidSetting, USERNAME + " must be an account name, not '" + username
                    + "'");
        }
        return new SshSettings(address, port(port, invalidSetting), username, hostKey, privateKeyData, passphrase,
                password);
    }

    private static int port(String value, String invalidSetting) {
        if (value == null) {
            return DEFAULT_PORT;
        }
        try {
            var port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // Refused below, with the same message as a number out of range.
        }
        throw EngineException.fatal(invalidSetting, SSH_PORT + " must be a whole number from 1 to 65535, not '"
                + value + "'");
    }

    /** {@code ssh://host:port}, the host in lower case: two settings reaching one SSH server share it. */
    public String resource() {
        return "ssh://" + address.toLowerCase(java.util.Locale.ROOT) + ":" + port;
    }

    @Override
    public String toString() {
        return "SshSettings[" + username + "@" + address + ":" + port + ", hostKey=" + hostKey + "]";
    }
}
