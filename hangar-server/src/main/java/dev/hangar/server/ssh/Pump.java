package dev.hangar.server.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies one stream into another on a virtual thread, flushing after every read so that a keystroke or a prompt goes
 * through at once. A failed read or write ends the copy quietly: either side going away is how a session ends.
 */
final class Pump {
    /** After the process has ended, how long its output may stay silent before the rest is given up. */
    static final Duration DRAIN_IDLE = Duration.ofMillis(500);
    private static final int CHUNK = 32 * 1024;

    private final Thread thread;
    private final AtomicLong moved = new AtomicLong();
    private volatile boolean writing;

    private Pump(String name, InputStream from, OutputStream to, boolean closeAtEnd) {
        this.thread = Thread.ofVirtual().name(name).start(() -> copy(from, to, closeAtEnd));
    }

    /** Starts copying {@code from} into {@code to}; {@code closeAtEnd} closes {@code to} once {@code from} ends. */
    static Pump start(String name, InputStream from, OutputStream to, boolean closeAtEnd) {
        return new Pump(name, from, to, closeAtEnd);
    }

    private void copy(InputStream from, OutputStream to, boolean closeAtEnd) {
        var buffer = new byte[CHUNK];
        try {
            for (int read; (read = from.read(buffer)) >= 0; ) {
                writing = true;
                to.write(buffer, 0, read);
                to.flush();
                writing = false;
                moved.addAndGet(read);
            }
        } catch (IOException e) {
            // The other side is gone; there is nobody left to copy for.
        } finally {
            writing = false;
            if (closeAtEnd) {
                closeQuietly(to);
            }
        }
    }

    /**
     * Waits until the copy has ended, or has stopped moving bytes for {@link #DRAIN_IDLE}: a process that has exited
     * may have left a child holding its output open, and a slow client must still get every byte already produced.
     */
    void drain() throws InterruptedException {
        var seen = -1L;
        while (thread.isAlive()) {
            var now = moved.get();
            if (now == seen && !writing) {
                return;
            }
            seen = now;
            thread.join(DRAIN_IDLE);
        }
    }

    /** Stops a copy blocked in a read (an interruptible one, such as the channel's input pipe). */
    void stop() {
        thread.interrupt();
    }

    static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Closing at the end of a session: nothing useful to do with a failure.
        }
    }
}
