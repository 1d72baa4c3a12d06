package dev.hangar.ssh.client;

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

    @Override
    public String toString() {
        return "SshSettings[" + username + "@" + address + ":" + port + ", hostKey=" + hostKey + "]";
    }
}
