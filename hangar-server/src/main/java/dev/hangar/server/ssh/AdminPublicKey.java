package dev.hangar.server.ssh;

import dev.hangar.core.error.ApiException;
import java.security.PublicKey;
import java.util.Set;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.KeyPairProvider;

/**
 * The public key an instance is created with for SSH: one OpenSSH public-key line, as in {@code ~/.ssh/id_ed25519.pub}
 * ({@code ssh-ed25519}, {@code ecdsa-sha2-nistp256/384/521}, or {@code ssh-rsa} of at least 2048 bits), without
 * {@code authorized_keys} options. Thread-safe.
 */
public final class AdminPublicKey {
    public static final String INVALID = "InvalidSshPublicKey";
    static final int MIN_RSA_BITS = 2048;
    private static final Set<String> TYPES = Set.of(KeyPairProvider.SSH_ED25519, KeyPairProvider.ECDSA_SHA2_NISTP256,
            KeyPairProvider.ECDSA_SHA2_NISTP384, KeyPairProvider.ECDSA_SHA2_NISTP521, KeyPairProvider.SSH_RSA);
    private static final String EXPECTED = "an OpenSSH public key line such as the contents of ~/.ssh/id_ed25519.pub"
            + " (ssh-ed25519, ecdsa-sha2-nistp256/384/521, or ssh-rsa of at least " + MIN_RSA_BITS + " bits)";

    private AdminPublicKey() {
    }

    /**
     * Checks {@code line} and returns it as one line {@code <type> <base64> [comment]}; refuses it with 400
     * {@value #INVALID} naming {@code target} when it is not a key this gateway accepts.
     */
    public static String check(String line, String target) {
        var text = line == null ? "" : line.strip();
        if (text.isEmpty()) {
            throw invalid("The SSH public key is empty; it must be " + EXPECTED + ".", target);
        }
        if (text.contains("\n") || text.contains("\r")) {
            throw invalid("The SSH public key must be one key on one line; it has several lines.", target);
        }
        AuthorizedKeyEntry entry;
        PublicKey key;
        try {
            entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(text);
            key = entry == null ? null : entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
        } catch (Exception e) {
            throw invalid("The SSH public key '" + abbreviate(text) + "' does not parse; it must be " + EXPECTED
                    + ".", target);
        }
        if (key == null) {
            throw invalid("The SSH public key '" + abbreviate(text) + "' is not " + EXPECTED + ".", target);
        }
        if (!entry.getLoginOptions().isEmpty()) {
            throw invalid("The SSH public key has authorized_keys options (" + String.join(", ",
                    entry.getLoginOptions().keySet()) + "); give the key alone.", target);
        }
        var type = entry.getKeyType();
        if (!TYPES.contains(type)) {
            throw invalid("SSH keys of type " + type + " are not accepted; use " + EXPECTED + ".", target);
        }
        if (type.equals(KeyPairProvider.SSH_RSA) && KeyUtils.getKeySize(key) < MIN_RSA_BITS) {
            throw invalid("The RSA key has " + KeyUtils.getKeySize(key) + " bits; at least " + MIN_RSA_BITS
                    + " are required (or use ssh-keygen -t ed25519).", target);
        }
        var comment = entry.getComment();
        return PublicKeyEntry.toString(key) + (comment == null || comment.isBlank() ? "" : " " + comment.strip());
    }

    /** Whether {@code offered} is the key {@code registered} holds; false when the registered key does not parse. */
    static boolean matches(String registered, PublicKey offered) {
        if (registered == null || offered == null) {
            return false;
        }
        try {
            var entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(registered.strip());
            return entry != null
                    && KeyUtils.compareKeys(entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING), offered);
        } catch (Exception e) {
            return false;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    private static ApiException invalid(String message, String target) {
        return ApiException.badRequest(INVALID, message, target);
    }
}
