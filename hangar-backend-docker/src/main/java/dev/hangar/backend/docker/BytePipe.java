package dev.hangar.backend.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Bytes written on one side, read on the other, by any threads (unlike {@link java.io.PipedInputStream}, which breaks
 * when the thread that wrote last has ended). Bounded: a writer waits while the reader is {@value #CHUNKS} chunks
 * behind, so a slow reader slows the engine's stream down instead of filling memory. Closing the sink is end of
 * stream; closing the source makes later writes fail and drops what was not read.
 */
final class BytePipe {
    private static final int CHUNKS = 256;
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>(CHUNKS);
    private volatile boolean sinkClosed;
    private volatile boolean sourceClosed;

    private final OutputStream sink = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (sinkClosed || sourceClosed) {
                throw new IOException("The pipe is closed");
            }
            if (length > 0) {
                put(Arrays.copyOfRange(bytes, offset, offset + length));
            }
        }

        @Override
        public void close() throws IOException {
            if (!sinkClosed) {
                sinkClosed = true;
                put(END);
            }
        }
    };

    private final InputStream source = new InputStream() {
        private byte[] current;
        private int position;
        private boolean ended;

        @Override
        public int read() throws IOException {
            var one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (current == null || position == current.length) {
                if (ended || sourceClosed) {
                    return -1;
                }
                try {
                    current = chunks.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("Interrupted while reading");
                }
                position = 0;
                if (current == END) {
                    ended = true;
                    return -1;
                }
            }
            var count = Math.min(length, current.length - position);
            System.arraycopy(current, position, bytes, offset, count);
            position += count;
            return count;
        }

        @Override
        public int available() {
            return current == null ? 0 : current.length - position;
        }

        @Override
        public void close() {
            sourceClosed = true;
            chunks.clear();
            // A writer waiting for room, or a reader waiting for bytes, must not wait forever.
            chunks.offer(END);
        }
    };

    OutputStream sink() {
        return sink;
    }

    InputStream source() {
        return source;
    }

    private void put(byte[] chunk) throws IOException {
        try {
            while (!sourceClosed) {
                if (chunks.offer(chunk, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while writing");
        }
        if (chunk != END) {
            throw new IOException("The pipe's reader has gone");
        }
    }
}
