package dev.hangar.server.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hangar.core.error.ApiException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdminPublicKeyTest {
    private static final String TARGET = "sshSettings.adminPublicKey";

    @ParameterizedTest(name = "{0} of {1} bits")
    @CsvSource({"ssh-ed25519, 256", "ecdsa-sha2-nistp256, 256", "ecdsa-sha2-nistp384, 384", "ssh-rsa, 2048"})
    void acceptsTheUsualKeysAsOneNormalisedLine(String type, int bits) throws GeneralSecurityException {
        var key = generate(type, bits);
        var line = "  " + PublicKeyEntry.toString(key.getPublic()) + "   alice@laptop \n";

        var checked = AdminPublicKey.check(line, TARGET);

        assertThat(checked).isEqualTo(PublicKeyEntry.toString(key.getPublic()) + " alice@laptop");
        assertThat(AdminPublicKey.matches(checked, key.getPublic())).isTrue();
        assertThat(AdminPublicKey.matches(checked, generate(type, bits).getPublic())).isFalse();
    }

    @Test
    void refusesWhatIsNotOneAcceptableKey() throws GeneralSecurityException {
        var ed25519 = PublicKeyEntry.toString(generate(KeyPairProvider.SSH_ED25519, 256).getPublic());
        var weakRsa = PublicKeyEntry.toString(generate(KeyPairProvider.SSH_RSA, 1024).getPublic());
        var dsa = PublicKeyEntry.toString(generate(KeyPairProvider.SSH_DSS, 1024).getPublic());

        assertRefused("", "empty");
        assertRefused("not a key", "does not parse");
        assertRefused("ssh-ed25519 AAAAgarbage x", "does not parse");
        assertRefused(ed25519 + "\n" + ed25519, "one key on one line");
        assertRefused("command=\"ls\" " + ed25519, "authorized_keys options (command)");
        assertRefused(weakRsa, "1024 bits; at least 2048");
        assertRefused(dsa, "type ssh-dss are not accepted");
    }

    @Test
    void aRegisteredKeyThatDoesNotParseMatchesNothing() throws GeneralSecurityException {
        var key = generate(KeyPairProvider.SSH_ED25519, 256).getPublic();

        assertThat(AdminPublicKey.matches("garbage", key)).isFalse();
        assertThat(AdminPublicKey.matches(null, key)).isFalse();
    }

    private static void assertRefused(String line, String message) {
        assertThatThrownBy(() -> AdminPublicKey.check(line, TARGET)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo("InvalidSshPublicKey");
            assertThat(e.target()).isEqualTo(TARGET);
            assertThat(e.getMessage()).contains(message);
        });
    }

    private static KeyPair generate(String type, int bits) throws GeneralSecurityException {
        return KeyUtils.generateKeyPair(type, bits);
    }
}
