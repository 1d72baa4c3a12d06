package dev.hangar.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One HTTP/1.1 keep-alive connection, over TLS or plain, that sends the same GET again and again, with blocking socket
 * I/O (cheap on a virtual thread). The load generator shares the machine with the server, so it is kept as lean as it
 * can be: no client framework, just the request bytes out and the response read to its last byte. It reconnects when
 * the server closes the connection. Not thread-safe.
 */
final class KeepAliveConnection implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 30_000;

    private final URI target;
    private final SSLContext tls;
    private final byte[] request;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private String cacheControl;
    private String contentEncoding;

    /** @param tls the context of an {@code https} target; null for plain HTTP */
    KeepAliveConnection(URI target, SSLContext tls, String authorization) {
        this(target, tls, authorization, "Accept: application/json");
    }

    /** @param headers more header lines, e.g. {@code Accept-Encoding: gzip} */
    KeepAliveConnection(URI target, SSLContext tls, String authorization, String... headers) {
        this.target = target;
        this.tls = tls;
        var path = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        var more = new StringBuilder();
        for (var header : headers) {
            more.append(header).append("\r\n");
        }
        this.request = ("GET " + path + " HTTP/1.1\r\nHost: " + target.getRawAuthority() + "\r\nAuthorization: "
                + authorization + "\r\n" + more + "User-Agent: hangar-bench\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Sends the GET and reads the whole answer; returns its status. The body is read and dropped. */
    int get() throws IOException {
        if (socket == null) {
            connect();
        }
        out.write(request);
        out.flush();
        var status = readStatus();
        long length = -1;
        var chunked = false;
        var close = false;
        cacheControl = null;
        contentEncoding = null;
        for (var line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            var name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            var value = line.substring(colon + 1).strip();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                case "cache-control" -> cacheControl = value;
                case "content-encoding" -> contentEncoding = value;
                default -> { }
            }
        }
        if (chunked) {
            skipChunks();
        } else if (length >= 0) {
            skip(length);
        } else {
            throw new IOException("an answer without Content-Length or chunked encoding");
        }
        if (close) {
            close();
        }
        return status;
    }

    /** The {@code Cache-Control} header of the last answer, or null when it had none. */
    String cacheControl() {
        return cacheControl;
    }

    /** The {@code Content-Encoding} header of the last answer, or null when it had none. */
    String contentEncoding() {
        return contentEncoding;
    }

    private void connect() throws IOException {
        var created = tls == null ? new Socket() : tls.getSocketFactory().createSocket();
        try {
            created.connect(new InetSocketAddress(target.getHost(), target.getPort()), TIMEOUT_MILLIS);
            created.setSoTimeout(TIMEOUT_MILLIS);
            created.setTcpNoDelay(true);
            if (created instanceof SSLSocket secure) {
                var parameters = secure.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                secure.setSSLParameters(parameters);
                secure.startHandshake();
            }
        } catch (IOException e) {
            created.close();
            throw e;
        }
        socket = created;
        in = new BufferedInputStream(created.getInputStream(), 16 * 1024);
        out = created.getOutputStream();
    }

    private int readStatus() throws IOException {
        var line = readLine();
        var parts = line.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.1 status line: " + line);
        }
        return Integer.parseInt(parts[1]);
    }

    private void skipChunks() throws IOException {
        while (true) {
            var size = readLine();
            int extension = size.indexOf(';');
            long length = Long.parseLong((extension < 0 ? size : size.substring(0, extension)).strip(), 16);
            if (length == 0) {
                while (!readLine().isEmpty()) {
                    // trailers
                }
                return;
            }
            skip(length);
            readLine();
        }
    }

    private void skip(long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("the connection closed inside a body");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private String readLine() throws IOException {
        var line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed the connection");
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
            socket = null;
        }
    }
}
