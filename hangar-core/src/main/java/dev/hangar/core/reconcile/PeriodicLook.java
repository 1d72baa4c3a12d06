package dev.hangar.core.reconcile;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread of its own that runs a look every {@code interval}, and at once when woken; a look that fails is logged
 * and the next one runs as planned. How Hangar's loops over the store (jobs, clusters, attached engines) are paced.
 */
public final class PeriodicLook implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeriodicLook.class);

    private final String name;
    private final Duration interval;
    private final Runnable look;
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean stopped;
    private Thread thread;

    /** @param name the thread's name, also how a failed look is logged */
    public PeriodicLook(String name, Duration interval, Runnable look) {
        this.name = name;
        this.interval = interval;
        this.look = look;
    }

    public void start() {
        thread = Thread.ofPlatform().daemon().name(name).start(this::run);
    }

    /** Has the next look run at once. */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void run() {
        while (!stopped) {
            try {
                look.run();
            } catch (RuntimeException e) {
                LOG.warn("A look of {} failed; trying again", name, e);
            }
            synchronized (signal) {
                if (!woken && !stopped) {
                    try {
                        signal.wait(interval.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                woken = false;
            }
        }
    }

    /** Stops looking: a look under way is interrupted, and waited for a few seconds. */
    @Override
    public void close() {
        stopped = true;
        wake();
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
