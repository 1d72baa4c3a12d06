package dev.hangar.ssh.client;

import dev.hangar.core.spi.engine.EngineException;
import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.Optional;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * The host key rule of a host reached over SSH: with a pinned key, only that key is accepted; without one, the first key shown is
 * trusted (and then pinned for this engine's life) and offered to Hangar to keep, so that later connections pin it.
 *
 * <p>Thread-safe; sessions are opened one at a time, so {@link #refused()} speaks of the latest one.
 */
final class HostKeyCheck implements ServerKeyVerifier {
    private final boolean pinnedBySettings;
    private volatile PublicKey trusted;
    private volatile PublicKey refused;

    private HostKeyCheck(PublicKey pinned) {
        this.pinnedBySettings = pinned != null;
        this.trusted = pinned;
    }

    /**
     * @param hostKey {@code <type> <base64>}, or null to trust the first key shown
     * @throws EngineException {@code invalidSetting} when the key cannot be read
     */
    static HostKeyCheck of(String hostKey, String invalidSetting) {
        if (hostKey == null) {
            return new HostKeyCheck(null);
        }
        try {
            return new HostKeyCheck(PublicKeyEntry.parsePublicKeyEntry(hostKey).resolvePublicKey(null, null, null));
        } catch (Exception e) {
            throw EngineException.fatal(invalidSetting, SshSettings.HOST_KEY + " must be an SSH public host key as"
                    + " '<type> <base64>' (e.g. 'ssh-ed25519 AAAA...'), not '" + hostKey + "': " + e.getMessage());
        }
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        var expected = trusted;
        if (expected == null) {
            trusted = serverKey;
            return true;
        }
        if (KeyUtils.compareKeys(expected, serverKey)) {
            return true;
        }
        refused = serverKey;
        return false;
    }

    /** The key trusted on first use, when no key was pinned by the settings. */
    Optional<String> learned() {
        var key = trusted;
        return pinnedBySettings || key == null ? Optional.empty() : Optional.of(PublicKeyEntry.toString(key));
    }

    /** Forgets the key refused by an earlier session, before a new one is opened. */
    void forgetRefused() {
        refused = null;
    }

    /** A message naming the key the latest session refused and the one expected, if it refused one. */
    Optional<String> refused() {
        var key = refused;
        if (key == null) {
            return Optional.empty();
        }
        return Optional.of("the server showed the host key " + KeyUtils.getFingerPrint(key) + " ("
                + PublicKeyEntry.toString(key) + ") but " + KeyUtils.getFingerPrint(trusted) + " is pinned"
                + (pinnedBySettings ? " by the setting " + SshSettings.HOST_KEY : " since it was first trusted"));
    }
}
