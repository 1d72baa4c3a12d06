package dev.hangar.server.ssh;

import java.io.IOException;
import java.util.Map;
import org.apache.sshd.common.channel.PtyMode;
import org.apache.sshd.common.channel.RequestHandler.Result;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.channel.ChannelSessionFactory;

/** MINA's session channel, remembering whether the client asked for a terminal ({@code ssh -t}, or a plain login). */
final class TerminalAwareChannelSession extends ChannelSession {
    private volatile boolean terminal;

    boolean terminalRequested() {
        return terminal;
    }

    @Override
    protected Result handlePtyReqParsed(String term, int columns, int rows, int widthPixels, int heightPixels,
                                        Map<PtyMode, Integer> modes) throws IOException {
        var result = super.handlePtyReqParsed(term, columns, rows, widthPixels, heightPixels, modes);
        if (result == Result.ReplySuccess) {
            terminal = true;
        }
        return result;
    }

    /** Opens {@code session} channels as {@link TerminalAwareChannelSession}s. */
    static final class Factory extends ChannelSessionFactory {
        @Override
        public org.apache.sshd.common.channel.Channel createChannel(Session session) {
            return new TerminalAwareChannelSession();
        }
    }
}
