package dev.hangar.server.ssh;

import java.security.PublicKey;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a client in when {@link Instances#admit} does. Every refusal looks the same to the client ("Permission denied
 * (publickey)"), so that nobody learns which instances exist or have SSH; the server's log says why.
 */
final class InstanceKeyAuthenticator implements PublickeyAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceKeyAuthenticator.class);

    private final Instances instances;

    InstanceKeyAuthenticator(Instances instances) {
        this.instances = instances;
    }

    @Override
    public boolean authenticate(String username, PublicKey key, ServerSession session) {
        var admission = instances.admit(username, key);
        if (!admission.admitted()) {
            LOG.info("SSH login as '{}' from {} refused: {}", username, session.getClientAddress(),
                    admission.refusal());
        }
        return admission.admitted();
    }
}
