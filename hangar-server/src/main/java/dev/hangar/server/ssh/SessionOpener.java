package dev.hangar.server.ssh;

import dev.hangar.core.error.ApiException;
import dev.hangar.core.session.InstanceSessions;
import dev.hangar.core.spi.InstanceSession;
import dev.hangar.core.spi.SessionRequest;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens what an SSH channel asks for in the instance its session logged into, as that instance is now. Blocking (up
 * to the backend's open timeout): call it from a virtual thread, never from an I/O thread of the SSH server.
 */
final class SessionOpener {
    private static final Logger LOG = LoggerFactory.getLogger(SessionOpener.class);

    private final Instances instances;
    private final InstanceSessions sessions;

    SessionOpener(Instances instances, InstanceSessions sessions) {
        this.instances = instances;
        this.sessions = sessions;
    }

    /** The session; {@link Refused} with a message for the user when it cannot be opened. */
    InstanceSession open(ServerSession ssh, SessionRequest request) throws Refused {
        var user = ssh.getUsername();
        var target = instances.current(ssh).orElseThrow(() -> new Refused("Compute instance '" + user
                + "' no longer exists, or no longer accepts this key."));
        try {
            var session = sessions.open(target.compute(), request);
            LOG.info("SSH {} opened in '{}' for {}", describe(request), target.login(), ssh.getClientAddress());
            return session;
        } catch (ApiException e) {
            LOG.info("SSH {} in '{}' for {} refused: {}: {}", describe(request), target.login(),
                    ssh.getClientAddress(), e.code(), e.getMessage());
            throw new Refused(e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("SSH {} in '{}' for {} failed", describe(request), target.login(), ssh.getClientAddress(), e);
            throw new Refused("Hangar could not open a session in compute instance '" + target.compute().name()
                    + "'; the server's log says why.");
        }
    }

    private static String describe(SessionRequest request) {
        return switch (request) {
            case SessionRequest.Shell shell -> shell.tty() == null ? "shell" : "shell with a terminal";
            case SessionRequest.Command command -> command.tty() == null ? "command" : "command with a terminal";
            case SessionRequest.Sftp sftp -> "SFTP session";
            case SessionRequest.Forward forward -> "connection to port " + forward.port();
            case SessionRequest.Container container -> "command in image " + container.image();
            case SessionRequest.AdminCommand command -> "setup command";
        };
    }

    /** Why a session could not be opened, in words for the person at the SSH client. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
