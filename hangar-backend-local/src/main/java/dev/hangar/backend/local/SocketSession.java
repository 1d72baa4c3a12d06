package dev.hangar.backend.local;

import dev.hangar.core.spi.InstanceSession;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A forwarded TCP connection as a session: closing {@link #input()} half-closes the connection, and the session ends
 * (exit status 0) once both directions are done or it is closed.
 */
final class SocketSession implements InstanceSession {
    private final Socket socket;
    private final OutputStream input;
    private final InputStream output;
    private final CompletableFuture<Integer> ended = new CompletableFuture<>();
    private final AtomicBoolean inputDone = new AtomicBoolean();
    private final AtomicBoolean outputDone = new AtomicBoolean();

    SocketSession(Socket socket) {
        this.socket = socket;
        try {
            this.input = new FilterOutputStream(socket.getOutputStream()) {
                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    out.write(bytes, offset, length);
                }

                @Override
                public void close() throws IOException {
                    if (inputDone.compareAndSet(false, true)) {
                        if (!socket.isClosed()) {
                            out.flush();
                            socket.shutdownOutput();
                        }
                        endIfDone();
                    }
                }
            };
            this.output = new FilterInputStream(socket.getInputStream()) {
                @Override
                public int read() throws IOException {
                    return seen(super.read());
                }

                @Override
                public int read(byte[] bytes, int offset, int length) throws IOException {
                    return seen(super.read(bytes, offset, length));
                }

                private int seen(int result) {
                    if (result < 0 && outputDone.compareAndSet(false, true)) {
                        endIfDone();
                    }
                    return result;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void endIfDone() {
        if (inputDone.get() && outputDone.get()) {
            close();
        }
    }

    @Override
    public OutputStream input() {
        return input;
    }

    @Override
    public InputStream output() {
        return output;
    }

    @Override
    public InputStream errors() {
        return InputStream.nullInputStream();
    }

    @Override
    public void resize(int columns, int rows) {
    }

    @Override
    public CompletionStage<Integer> exitStatus() {
        return ended;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is all that was left to do.
        }
        ended.complete(0);
    }
}
