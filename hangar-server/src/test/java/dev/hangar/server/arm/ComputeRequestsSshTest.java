package dev.hangar.server.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hangar.core.compute.ComputeInstance.SshSettings;
import dev.hangar.core.error.ApiException;
import java.security.GeneralSecurityException;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How a PUT body's {@code sshSettings} are read. */
class ComputeRequestsSshTest {
    private static String key;

    @BeforeAll
    static void aKey() throws GeneralSecurityException {
        key = PublicKeyEntry.toString(KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256).getPublic());
    }

    private static String body(String sshSettings) {
        return """
                {"properties":{"computeType":"ComputeInstance","properties":{"vmSize":"Standard_DS1_v2"%s}}}"""
                .formatted(sshSettings == null ? "" : ",\"sshSettings\":" + sshSettings);
    }

    @Test
    void noSettingsSayNothingAndDisabledKeepsNoKey() {
        assertThat(ComputeRequests.instance(body(null), true).ssh()).isNull();
        assertThat(ComputeRequests.instance(body("null"), true).ssh()).isNull();
        assertThat(ComputeRequests.instance(body("{\"sshPublicAccess\":\"disabled\",\"adminPublicKey\":\"" + key
                + "\"}"), true).ssh()).isEqualTo(SshSettings.DISABLED);
        assertThat(ComputeRequests.instance(body("{\"adminUserName\":\"azureuser\"}"), true).ssh())
                .isEqualTo(SshSettings.DISABLED);
    }

    @Test
    void enabledTakesTheKey() {
        var ssh = ComputeRequests.instance(body("{\"sshPublicAccess\":\"Enabled\",\"adminPublicKey\":\"" + key
                + " me@laptop\"}"), true).ssh();

        assertThat(ssh).isEqualTo(new SshSettings(true, key + " me@laptop"));
        assertThat(ssh.sameAccessAs(new SshSettings(true, key + " renamed"))).isTrue();
        assertThat(ssh.sameAccessAs(SshSettings.DISABLED)).isFalse();
    }

    @Test
    void enabledNeedsAKeyAndTheGateway() {
        assertRefused(body("{\"sshPublicAccess\":\"Enabled\"}"), true, "InvalidSshPublicKey",
                "sshSettings.adminPublicKey");
        assertRefused(body("{\"sshPublicAccess\":\"Enabled\",\"adminPublicKey\":\"ssh-ed25519 AAAA\"}"), true,
                "InvalidSshPublicKey", "sshSettings.adminPublicKey");
        assertRefused(body("{\"sshPublicAccess\":\"Enabled\",\"adminPublicKey\":\"" + key + "\"}"), false,
                "SshAccessUnavailable", "sshSettings.sshPublicAccess");
        assertRefused(body("{\"sshPublicAccess\":\"Sometimes\"}"), true, "BadArgument",
                "sshSettings.sshPublicAccess");
    }

    private static void assertRefused(String body, boolean gateway, String code, String target) {
        assertThatThrownBy(() -> ComputeRequests.instance(body, gateway))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.target()).isEqualTo(target);
                });
    }
}
