package dev.hangar.server.ssh;

import dev.hangar.core.compute.ComputeService;
import dev.hangar.core.session.InstanceSessions;
import dev.hangar.core.spi.SessionRequest;
import dev.hangar.core.store.Store;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.SessionHeartbeatController;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.subsystem.SubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSH gateway: one SSH server (Apache MINA SSHD) on one port in front of every instance. The login name picks the
 * instance ({@code <compute>.<workspace>}), its registered public key is the only credential (no passwords, no
 * keyboard-interactive), and what the client opens (a shell, a command, with or without a terminal, SFTP, a
 * {@code ssh -L} connection to the instance's loopback) runs inside the instance through its backend. Remote
 * forwarding, agent and X11 forwarding are refused. The host key is generated once and kept in the data directory.
 */
public final class SshGateway implements AutoCloseable {
    /** OpenSSH's {@code MaxAuthTries}. */
    static final int MAX_AUTH_ATTEMPTS = 6;
    static final Duration AUTH_TIMEOUT = Duration.ofMinutes(1);
    /**
     * How often an idle session carries a message (SSH_MSG_IGNORE): firewalls keep it open, and a client that is gone
     * shows when the write fails. An idle but live session stays open however long.
     */
    static final Duration KEEP_ALIVE_INTERVAL = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(SshGateway.class);

    private final SshServer server;
    private final HostKey hostKey;

    private SshGateway(SshServer server, HostKey hostKey) {
        this.server = server;
        this.hostKey = hostKey;
    }

    /**
     * Listens on {@code host:port} (0: a free port) with the host key kept in {@code keyDirectory}.
     *
     * @throws IllegalStateException when the port cannot be bound or the host key cannot be read or written
     */
    public static SshGateway start(String host, int port, Path keyDirectory, Store store, ComputeService computes,
                                   InstanceSessions sessions) {
        var hostKey = HostKey.ensure(keyDirectory);
        var instances = new Instances(store, computes);
        var opener = new SessionOpener(instances, sessions);
        var server = SshServer.setUpDefaultServer();
        server.setHost(host);
        server.setPort(port);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKey.keyPair()));
        server.setUserAuthFactories(List.of(new UserAuthPublicKeyFactory()));
        server.setPublickeyAuthenticator(new InstanceKeyAuthenticator(instances));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setGSSAuthenticator(null);
        server.setHostBasedAuthenticator(null);
        server.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        server.setChannelFactories(List.of(new TerminalAwareChannelSession.Factory(),
                new ForwardChannel.Factory(opener)));
        server.setShellFactory(channel -> new InstanceCommand(opener, SessionRequest.Shell::new));
        server.setCommandFactory((channel, line) -> new InstanceCommand(opener,
                (tty, environment) -> new SessionRequest.Command(line, tty, environment)));
        server.setSubsystemFactories(List.of(new Sftp(opener)));
        CoreModuleProperties.MAX_AUTH_REQUESTS.set(server, MAX_AUTH_ATTEMPTS);
        CoreModuleProperties.AUTH_TIMEOUT.set(server, AUTH_TIMEOUT);
        CoreModuleProperties.IDLE_TIMEOUT.set(server, Duration.ZERO);
        CoreModuleProperties.SOCKET_KEEPALIVE.set(server, true);
        server.setSessionHeartbeat(SessionHeartbeatController.HeartbeatType.IGNORE, KEEP_ALIVE_INTERVAL);
        CoreModuleProperties.SERVER_IDENTIFICATION.set(server, "Hangar");
        try {
            server.start();
        } catch (IOException e) {
            closeQuietly(server);
            throw new IllegalStateException("Cannot start the SSH gateway on " + host + ":" + port + ": "
                    + e.getMessage() + " (set ssh.port, or ssh.enabled=false)", e);
        }
        var gateway = new SshGateway(server, hostKey);
        LOG.info("SSH gateway listening on {}:{}, host key {} ({})", host, gateway.port(), hostKey.fingerprint(),
                hostKey.file());
        return gateway;
    }

    /** The port the gateway listens on (the one picked when 0 was asked for). */
    public int port() {
        return server.getBoundAddresses().stream().filter(InetSocketAddress.class::isInstance)
                .map(address -> ((InetSocketAddress) address).getPort()).findFirst().orElse(server.getPort());
    }

    /** The host key's fingerprint, {@code SHA256:...}, as the OpenSSH client shows it on first connect. */
    public String fingerprint() {
        return hostKey.fingerprint();
    }

    @Override
    public void close() {
        closeQuietly(server);
    }

    private static void closeQuietly(SshServer server) {
        try {
            server.stop(true);
        } catch (IOException e) {
            LOG.warn("Stopping the SSH gateway failed: {}", e.toString());
        }
    }

    /** The {@code sftp} subsystem: OpenSSH's SFTP server inside the instance. */
    private record Sftp(SessionOpener opener) implements SubsystemFactory {
        @Override
        public String getName() {
            return "sftp";
        }

        @Override
        public Command createSubsystem(ChannelSession channel) {
            return new InstanceCommand(opener, (tty, environment) -> new SessionRequest.Sftp());
        }
    }
}
