package dev.hangar.backend.slurm;

/**
 * How a Slurm login node is reached over SSH. The secrets never show in {@link #toString()}.
 *
 * @param hostKey        the pinned host key as {@code <type> <base64>}, or null to trust the first key shown
 * @param privateKeyData an OpenSSH or PEM private key, or null
 * @param passphrase     the private key's passphrase, or null
 * @param password       the account's password, or null
 */
record SshSettings(String address, int port, String username, String hostKey, String privateKeyData,
                   String passphrase, String password) {

    @Override
    public String toString() {
        return "SshSettings[" + username + "@" + address + ":" + port + ", hostKey=" + hostKey + "]";
    }
}
