package dev.hangar.server.ssh;

import dev.hangar.core.spi.InstanceSession;
import dev.hangar.core.spi.SessionRequest;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.ChannelOutputStream;
import org.apache.sshd.common.channel.ChannelPipedInputStream;
import org.apache.sshd.common.channel.ChannelPipedOutputStream;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.channel.AbstractServerChannel;
import org.apache.sshd.server.session.ServerSession;

/**
 * A {@code direct-tcpip} channel ({@code ssh -L}) to a port on the instance's own loopback, carried by a
 * {@link SessionRequest.Forward} session: the connection is made inside the instance by its backend, not from the
 * Hangar host (a container's loopback is its own). Any other target host is refused. Bytes from the client go through
 * a pipe that gives the client more window only as the instance takes them.
 */
final class ForwardChannel extends AbstractServerChannel {
    static final String TYPE = "direct-tcpip";
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1", "[::1]", "0:0:0:0:0:0:0:1");

    private final SessionOpener opener;
    private ChannelPipedInputStream fromClient;
    private ChannelPipedOutputStream toPipe;
    private volatile InstanceSession session;

    private ForwardChannel(SessionOpener opener) {
        super("", List.of(), null);
        this.opener = opener;
        addCloseFutureListener(closed -> release());
    }

    @Override
    protected OpenFuture doInit(Buffer buffer) {
        var host = buffer.getString();
        var port = buffer.getInt();
        var opened = new DefaultOpenFuture(this, this);
        if (!LOOPBACK.contains(host.toLowerCase(Locale.ROOT)) || port < 1 || port > 65_535) {
            log.info("SSH forwarding to {}:{} for {} refused: only ports on the instance's own loopback are reached",
                    host, port, getSession());
            return refuse(opened, SshConstants.SSH_OPEN_ADMINISTRATIVELY_PROHIBITED, "Hangar forwards only to ports"
                    + " on the instance's own loopback (localhost:PORT), not to " + host + ":" + port + ".");
        }
        fromClient = new ChannelPipedInputStream(this, getLocalWindow());
        toPipe = new ChannelPipedOutputStream(fromClient);
        var ssh = (ServerSession) getSession();
        Thread.ofVirtual().name("ssh-forward-" + getChannelId()).start(() -> {
            try {
                connect(opener.open(ssh, new SessionRequest.Forward(port)), opened);
            } catch (SessionOpener.Refused refused) {
                refuse(opened, SshConstants.SSH_OPEN_CONNECT_FAILED, refused.getMessage());
            }
        });
        return opened;
    }

    private void connect(InstanceSession connection, OpenFuture opened) {
        session = connection;
        if (isClosing()) {
            connection.close();
            return;
        }
        var toClient = new ChannelOutputStream(this, getRemoteWindow(), log, SshConstants.SSH_MSG_CHANNEL_DATA, true);
        signalChannelOpenSuccess(); // what sends the client the confirmation
        opened.setOpened();
        var name = "ssh-forward-" + getChannelId();
        var up = Pump.start(name + "-up", fromClient, connection.input(), true);
        var down = Pump.start(name + "-down", connection.output(), toClient, true);
        // The connection ends once both directions have (or it was closed): then so does the channel, after the
        // client got every byte and the end of data (an EOF after the channel's close would break the client).
        Thread.ofVirtual().name(name + "-end").start(() -> {
            try {
                connection.exitStatus().toCompletableFuture().exceptionally(failure -> -1).join();
                down.drain();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                up.stop();
                close(false);
            }
        });
    }

    private OpenFuture refuse(OpenFuture opened, int reason, String message) {
        // The client is told only the reason code (MINA sends no message); the log says the rest.
        var failure = new SshChannelOpenException(getChannelId(), reason, message);
        signalChannelOpenFailure(failure);
        close(true);
        opened.setException(failure);
        return opened;
    }

    @Override
    protected void doWriteData(byte[] data, int offset, long length) throws IOException {
        toPipe.write(data, offset, (int) length);
    }

    @Override
    protected void doWriteExtendedData(byte[] data, int offset, long length) {
        throw new UnsupportedOperationException("A forwarded connection has no extended data");
    }

    @Override
    public void handleEof() throws IOException {
        super.handleEof();
        if (toPipe != null) {
            toPipe.close();
        }
    }

    private void release() {
        var connection = session;
        if (connection != null) {
            connection.close();
        }
        if (fromClient != null) {
            Pump.closeQuietly(fromClient);
        }
    }

    /** Opens {@code direct-tcpip} channels as {@link ForwardChannel}s. */
    static final class Factory implements ChannelFactory {
        private final SessionOpener opener;

        Factory(SessionOpener opener) {
            this.opener = opener;
        }

        @Override
        public String getName() {
            return TYPE;
        }

        @Override
        public Channel createChannel(Session session) {
            return new ForwardChannel(opener);
        }
    }
}
