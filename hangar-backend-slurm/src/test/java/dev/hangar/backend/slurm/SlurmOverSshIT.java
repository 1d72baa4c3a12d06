package dev.hangar.backend.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hangar.core.spi.engine.EngineNode;
import dev.hangar.testkit.process.HostAccount;
import dev.hangar.testkit.process.Ports;
import dev.hangar.testkit.ssh.ClientKey;
import dev.hangar.testkit.ssh.SshHost;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine reaching the cluster through a login node: a real sshd on 127.0.0.1, logged in with a key of the test's
 * as a service account made for the test, which runs commands as other accounts through {@code sudo -n} (and has no
 * home, so none of the machine's login scripts run for it), the login node's host key pinned unless a test says
 * otherwise.
 */
class SlurmOverSshIT extends SlurmEngineContract {
    private HostAccount service;
    private SshHost loginNode;
    private ClientKey key;

    @Override
    void startConnection() {
        service = HostAccount.create("hangar-slurm-login-").allowSudo();
        loginNode = SshHost.start(site.directory().resolve("ssh"));
        key = ClientKey.generate();
        loginNode.authorize(service.name(), key.publicKey());
    }

    @Override
    void stopConnection() {
        try {
            if (loginNode != null) {
                loginNode.close();
            }
        } finally {
            if (service != null) {
                service.close();
            }
        }
    }

    @Override
    String connectionAccount() {
        return service.name();
    }

    @Override
    String connection() {
        return "Ssh";
    }

    @Override
    Map<String, String> settings() {
        var settings = new HashMap<>(site.settings());
        settings.putAll(Map.of("connection", "Ssh", "address", "127.0.0.1", "sshPort",
                Integer.toString(loginNode.port()), "username", service.name(), "hostKey", loginNode.hostKey()));
        return settings;
    }

    @Override
    Map<String, String> secrets() {
        return Map.of("privateKeyData", key.privateKey());
    }

    @Override
    Unanswered unanswered() {
        var port = Ports.freeLoopback();
        var settings = new HashMap<>(settings());
        settings.put("sshPort", Integer.toString(port));
        return new Unanswered(settings, "127.0.0.1:" + port);
    }

    @Test
    void checkTrustsTheFirstHostKeyAndGoesOnOverIt() {
        var settings = new HashMap<>(settings());
        settings.remove("hostKey");
        var learned = new HashMap<>(learned());
        learned.put("hostKey", loginNode.hostKey());
        try (var trusting = connect(settings)) {
            var info = trusting.check();

            assertThat(info.learned()).isEqualTo(learned);
            assertThat(info.account()).isEqualTo(service.name());
            assertThat(info.partition()).isEqualTo("debug");
            assertThat(info.nodeCount()).isEqualTo(1);
            assertThat(trusting.nodes()).singleElement().extracting(EngineNode::name)
                    .isEqualTo(site.cluster().node());
        }
    }

    @Test
    void anotherHostKeyThanThePinnedOneIsRefused() {
        var otherKey = ClientKey.generate().publicKey().split(" ");
        var settings = new HashMap<>(settings());
        settings.put("hostKey", otherKey[0] + " " + otherKey[1]);

        var failure = checkFailure(settings, secrets());

        assertThat(failure.code()).isEqualTo("SlurmHostKeyMismatch");
        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).contains(loginNode.hostKey());
    }

    @Test
    void aKeyTheServerDoesNotAcceptFailsAuthentication() {
        var failure = checkFailure(settings(), Map.of("privateKeyData", ClientKey.generate().privateKey()));

        assertThat(failure.code()).isEqualTo("SlurmAuthenticationFailed");
        assertThat(failure.retryable()).isFalse();
    }
}
