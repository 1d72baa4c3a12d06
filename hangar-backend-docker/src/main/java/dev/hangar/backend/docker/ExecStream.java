package dev.hangar.backend.docker;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The hijacked connection of {@code POST /exec/{id}/start}, spoken directly over the engine's socket rather than
 * through docker-java, whose transports never half-close the connection: without that, the process in the container
 * never sees the end of its input ({@code ssh host 'cat > file' < file} would wait forever). Closing {@link #input()}
 * half-closes the connection, which the engine passes on as end of input; {@link #output()} gives the raw stream
 * (a TTY's bytes, or the engine's multiplexed frames without one).
 */
final class ExecStream implements Closeable {
    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final SocketChannel unix;
    private final Socket tcp;
    private final InputStream output;
    private final OutputStream input;

    private ExecStream(SocketChannel unix, Socket tcp) throws IOException {
        this.unix = unix;
        this.tcp = tcp;
        var rawIn = unix != null ? Channels.newInputStream(unix) : tcp.getInputStream();
        var rawOut = unix != null ? Channels.newOutputStream(unix) : tcp.getOutputStream();
        this.output = new BufferedInputStream(rawIn, 64 * 1024);
        this.input = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                rawOut.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                rawOut.write(bytes, offset, length);
            }

            @Override
            public void close() throws IOException {
                halfClose();
            }
        };
    }

    /** Connects to the engine, starts the exec and returns once the engine has switched to the raw stream. */
    static ExecStream start(URI host, String execId, boolean tty) throws IOException {
        var stream = connect(host);
        try {
            var body = "{\"Detach\":false,\"Tty\":" + tty + "}";
            var request = "POST /exec/" + execId + "/start HTTP/1.1\r\n"
                    + "Host: docker\r\n"
                    + "Content-Type: application/json\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Upgrade: tcp\r\n"
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
            stream.input.write(request.getBytes(StandardCharsets.UTF_8));
            stream.input.flush();
            stream.readResponseHead(execId);
            return stream;
        } catch (IOException | RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    private static ExecStream connect(URI host) throws IOException {
        return switch (host.getScheme()) {
            case "unix" -> {
                var channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    channel.connect(UnixDomainSocketAddress.of(host.getPath()));
                    yield new ExecStream(channel, null);
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
            }
            case "tcp" -> {
                var socket = new Socket();
                try {
                    socket.connect(new InetSocketAddress(host.getHost(), host.getPort()), 10_000);
                    socket.setTcpNoDelay(true);
                    yield new ExecStream(null, socket);
                } catch (IOException e) {
                    socket.close();
                    throw e;
                }
            }
            default -> throw new IOException("Sessions need a unix:// or tcp:// engine address, not " + host);
        };
    }

    /** Reads the status line and headers; anything but 101 or 200 is the engine's refusal. */
    private void readResponseHead(String execId) throws IOException {
        var head = new ByteArrayOutputStream();
        while (!endsWithBlankLine(head.toByteArray())) {
            int b = output.read();
            if (b < 0) {
                throw new IOException("The engine closed the connection while starting exec " + execId);
            }
            head.write(b);
            if (head.size() > MAX_HEADER_BYTES) {
                throw new IOException("The engine's answer to starting exec " + execId + " has no end of headers");
            }
        }
        var text = head.toString(StandardCharsets.ISO_8859_1);
        var statusLine = text.substring(0, text.indexOf("\r\n"));
        var parts = statusLine.split(" ", 3);
        var status = parts.length > 1 ? parts[1] : "";
        if (!status.equals("101") && !status.equals("200")) {
            var body = new String(output.readNBytes(4096), StandardCharsets.UTF_8).strip();
            throw new IOException("The engine refused to start exec " + execId + ": " + statusLine + " " + body);
        }
    }

    private static boolean endsWithBlankLine(byte[] head) {
        var n = head.length;
        return n >= 4 && head[n - 4] == '\r' && head[n - 3] == '\n' && head[n - 2] == '\r' && head[n - 1] == '\n';
    }

    InputStream output() {
        return output;
    }

    OutputStream input() {
        return input;
    }

    private void halfClose() throws IOException {
        if (unix != null) {
            if (unix.isOpen()) {
                unix.shutdownOutput();
            }
        } else if (!tcp.isClosed() && !tcp.isOutputShutdown()) {
            tcp.shutdownOutput();
        }
    }

    @Override
    public void close() throws IOException {
        if (unix != null) {
            unix.close();
        } else {
            tcp.close();
        }
    }
}
