package dev.hangar.ssh.client;

/**
 * The engine's own error codes for what can go wrong over SSH, so that a user reads the kind of compute in each
 * (e.g. {@code SlurmHostKeyMismatch}, {@code VirtualMachineHostKeyMismatch}).
 *
 * @param invalidSetting       a key, host key or setting that cannot be read (not retryable)
 * @param unreachable          the host did not answer or the connection dropped (retryable)
 * @param commandFailed        a command did not end in time (retryable)
 * @param hostKeyMismatch      the host showed another key than the pinned one (not retryable)
 * @param authenticationFailed the host refused the credentials (not retryable)
 */
public record SshErrorCodes(String invalidSetting, String unreachable, String commandFailed, String hostKeyMismatch,
                            String authenticationFailed) {
}
